use safemark_bench::generate;
use std::time::Instant;
fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut times = vec![f64::MAX; 6000];
    let mut info = vec![String::new(); 6000];
    for _ in 0..10 {
        let mut s = sanitizer.stream();
        let mut i = 0;
        let mut k = 0;
        while i < doc.len() {
            let mut j = (i + 4).min(doc.len());
            while !doc.is_char_boundary(j) {
                j += 1;
            }
            let t = Instant::now();
            let u = s.push(&doc[i..j]).expect("push");
            let d = t.elapsed().as_secs_f64() * 1e6;
            if d < times[k] {
                times[k] = d;
            }
            info[k] = format!(
                "chunk {:?} committed {} tail {} bytes: {:?}",
                &doc[i..j],
                u.committed.len(),
                u.tail.len(),
                &u.tail[..u.tail.len().min(100)]
            );
            i = j;
            k += 1;
        }
    }
    let mut idx: Vec<usize> = (0..times.len()).filter(|&k| times[k] < f64::MAX).collect();
    idx.sort_by(|a, b| times[*b].partial_cmp(&times[*a]).unwrap());
    for &k in idx.iter().take(40) {
        println!("{k} {:.1} {}", times[k], info[k]);
    }
}
