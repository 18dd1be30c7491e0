//! Debug helper: which chunks make the tail render (slow pushes), by the chunk's characters.
use safemark_bench::generate;
use std::collections::BTreeMap;
use std::time::Instant;
fn main() {
    let doc = generate::answer(20_000);
    let sanitizer = safemark::Sanitizer::from_json(generate::DEFAULT_POLICY).expect("policy");
    let mut times = vec![f64::MAX; 6000];
    let mut chunks = vec![String::new(); 6000];
    let mut tails = vec![String::new(); 6000];
    for _ in 0..10 {
        let mut s = sanitizer.stream();
        let (mut i, mut k) = (0, 0);
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
            chunks[k] = doc[i..j].to_string();
            tails[k] = u.tail.chars().take(30).collect();
            i = j;
            k += 1;
        }
    }
    let mut by: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    let mut plain = Vec::new();
    for k in 0..6000 {
        if times[k] == f64::MAX || times[k] < 1.2 {
            continue;
        }
        let c = &chunks[k];
        let class: String = c
            .chars()
            .filter(|ch| !ch.is_alphanumeric() && *ch != ' ')
            .collect();
        let class = if class.is_empty() {
            if c.contains(' ') {
                "space".into()
            } else {
                "letters".into()
            }
        } else {
            class
        };
        let e = by.entry(class.clone()).or_default();
        e.0 += 1;
        e.1 += times[k];
        if class == "space" || class == "letters" {
            plain.push((
                k,
                times[k],
                c.clone(),
                chunks[k.saturating_sub(3)..k].concat(),
                tails[k].clone(),
            ));
        }
    }
    let mut v: Vec<_> = by.into_iter().collect();
    v.sort_by(|a, b| b.1 .1.partial_cmp(&a.1 .1).unwrap());
    for (c, (n, t)) in v.iter().take(40) {
        println!("{c:?}\t{n}\t{t:.0} µs");
    }
    println!("plain chunks that rendered: {}", plain.len());
    for p in plain.iter().take(40) {
        println!("{p:?}");
    }
}
