//! Writes the benchmark documents to `bench/target/docs/` for the JavaScript benches.
use std::fs;

fn main() -> std::io::Result<()> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/target/docs");
    fs::create_dir_all(dir)?;
    for &(name, size) in safemark_bench::SIZES {
        fs::write(
            format!("{dir}/{name}.md"),
            safemark_bench::generate::answer(size),
        )?;
    }
    Ok(())
}
