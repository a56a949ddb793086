//! Detector throughput on one core, outside criterion: detects over a text
//! `ROUNDS` times and prints MB/s (10^6 bytes). Without a file it uses the
//! benchmark's generated 1 MB of clinical notes (`benches/support/notes.rs`).
//!
//! `cargo run --release -p ward-phi --example phi_throughput -- [FILE] [ROUNDS]`

use std::time::Instant;
use ward_phi::{Detector, KnownIdentifiers};

#[path = "../benches/support/notes.rs"]
mod notes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    let (text, rounds) = match first.as_deref().map(str::parse::<usize>) {
        Some(Ok(r)) => (notes::document(1 << 20), r),
        Some(Err(_)) => {
            let path = first.unwrap_or_default();
            let r = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
            (std::fs::read_to_string(path)?, r)
        }
        None => (notes::document(1 << 20), 20),
    };
    let detector = Detector::new(KnownIdentifiers::new());
    let mut found = detector.detect(&text)?.len();
    let t0 = Instant::now();
    for _ in 0..rounds {
        found = std::hint::black_box(detector.detect(std::hint::black_box(&text))?).len();
    }
    let secs = t0.elapsed().as_secs_f64();
    let mb = (text.len() * rounds) as f64 / 1e6;
    println!(
        "{} bytes x {rounds} rounds: {:.1} MB/s ({found} detections per round)",
        text.len(),
        if secs > 0.0 { mb / secs } else { 0.0 }
    );
    Ok(())
}
