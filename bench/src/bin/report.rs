//! Prints the criterion results (`target/criterion/`) as a table: MB/s per size, the ratio to
//! the naive pipeline, and how time per byte varies from 2 KB to 2 MB.
use std::fs;

use safemark_bench::{generate, PIPELINES, SIZES};

fn mean_ns(size: &str, pipeline: &str) -> Option<f64> {
    let path = format!(
        "{}/target/criterion/{size}/{pipeline}/new/estimates.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let json: serde_json::Value = serde_json::from_str(&fs::read_to_string(path).ok()?).ok()?;
    json["mean"]["point_estimate"].as_f64()
}

fn main() {
    let lens: Vec<usize> = SIZES
        .iter()
        .map(|&(_, size)| generate::answer(size).len())
        .collect();
    let mut header = String::from("| pipeline |");
    let mut rule = String::from("|---|");
    for (name, _) in SIZES {
        header.push_str(&format!(" {name} MB/s |"));
        rule.push_str("---:|");
    }
    header.push_str(" × naive (200KB) | time/byte, max/min |");
    rule.push_str("---:|---:|");
    println!("{header}\n{rule}");
    let naive_200k = mean_ns("200KB", "pulldown-cmark+ammonia");
    for pipeline in PIPELINES {
        let mut row = format!("| {pipeline} |");
        let mut per_byte = Vec::new();
        for (i, (size, _)) in SIZES.iter().enumerate() {
            match mean_ns(size, pipeline) {
                Some(ns) => {
                    row.push_str(&format!(" {:.1} |", lens[i] as f64 / ns * 1e3));
                    per_byte.push(ns / lens[i] as f64);
                }
                None => row.push_str(" – |"),
            }
        }
        match (naive_200k, mean_ns("200KB", pipeline)) {
            (Some(naive), Some(ns)) => row.push_str(&format!(" {:.2}× |", naive / ns)),
            _ => row.push_str(" – |"),
        }
        let max = per_byte.iter().cloned().fold(f64::MIN, f64::max);
        let min = per_byte.iter().cloned().fold(f64::MAX, f64::min);
        row.push_str(&format!(" {:.2} |", max / min));
        println!("{row}");
    }
}
