//! Detector throughput on one core, outside criterion: detects over a text
//! `ROUNDS` times and prints MB/s (10^6 bytes). Without a file it uses the
//! benchmark's generated 1 MB of clinical notes (`benches/support/notes.rs`).
//! A `.jsonl` corpus file is read as documents (each line's `text`), each
//! detected on its own, as `phi-eval` does: short texts, where the cost of a
//! call counts as much as the cost of a byte.
//!
//! `cargo run --release -p ward-phi --example phi_throughput -- [FILE] [ROUNDS]`

use std::time::Instant;
use ward_phi::{Detector, KnownIdentifiers};

#[path = "../benches/support/notes.rs"]
mod notes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    let (docs, rounds) = match first.as_deref().map(str::parse::<usize>) {
        Some(Ok(r)) => (vec![notes::document(1 << 20)], r),
        Some(Err(_)) => {
            let path = first.unwrap_or_default();
            let r = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
            let text = std::fs::read_to_string(&path)?;
            let docs = if path.ends_with(".jsonl") {
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| {
                        let v: serde_json::Value = serde_json::from_str(l)?;
                        Ok(v["text"].as_str().unwrap_or_default().to_owned())
                    })
                    .collect::<Result<Vec<_>, serde_json::Error>>()?
            } else {
                vec![text]
            };
            (docs, r)
        }
        None => (vec![notes::document(1 << 20)], 20),
    };
    let detector = Detector::new(KnownIdentifiers::new());
    let mut found = 0;
    for doc in &docs {
        found += detector.detect(doc)?.len();
    }
    let t0 = Instant::now();
    for _ in 0..rounds {
        for doc in &docs {
            std::hint::black_box(detector.detect(std::hint::black_box(doc))?);
        }
    }
    let secs = t0.elapsed().as_secs_f64();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mb = (bytes * rounds) as f64 / 1e6;
    println!(
        "{bytes} bytes in {} texts x {rounds} rounds: {:.1} MB/s ({found} detections per round)",
        docs.len(),
        if secs > 0.0 { mb / secs } else { 0.0 }
    );
    Ok(())
}
