//! Prints every detection (line, start, end, kind) of every text of the
//! given `.jsonl` corpora, and of the benchmark's generated 1 MB notes
//! document: a baseline to diff against after a change that must not
//! change detections.
//!
//! `cargo run --release -p ward-phi --example phi_dump -- FILE.jsonl... > dump.txt`

use std::io::Write;
use ward_phi::{Detector, KnownIdentifiers};

#[path = "../benches/support/notes.rs"]
mod notes;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = Detector::new(KnownIdentifiers::new());
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path)?;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let v: serde_json::Value = serde_json::from_str(line)?;
            let doc = v["text"].as_str().unwrap_or_default();
            for x in d.detect(doc)? {
                writeln!(out, "{path}:{n} {} {} {}", x.start, x.end, x.kind)?;
            }
        }
    }
    let doc = notes::document(1 << 20);
    for x in d.detect(&doc)? {
        writeln!(out, "notes {} {} {}", x.start, x.end, x.kind)?;
    }
    Ok(())
}
