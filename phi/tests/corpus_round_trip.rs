//! Pseudonymising the sentences of the labelled corpora and restoring the
//! result gives every sentence back exactly, whole and streamed: the new
//! written forms the detector finds (timestamps, weekdays, partial dates,
//! ages in words, IPv6) survive the session vault's round trip.

use std::path::PathBuf;
use ward_phi::{properties, Detector, KnownIdentifiers};

fn sentences(name: &str) -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a corpus record");
            v["text"].as_str().expect("a text").to_string()
        })
        .collect()
}

#[test]
fn corpus_sentences_survive_pseudonymisation_and_restore_exactly() {
    let d = Detector::new(KnownIdentifiers::new());
    for name in [
        "tune.jsonl",
        "tune2.jsonl",
        "tune3.jsonl",
        "tune4.jsonl",
        "tune5.jsonl",
        "tune6.jsonl",
        "clean.jsonl",
        "adversarial.jsonl",
    ] {
        // Every 5th sentence of the tuning parts (each template several
        // times over), every hand-written one.
        let step = if name == "adversarial.jsonl" { 1 } else { 5 };
        for (k, text) in sentences(name).iter().enumerate().step_by(step) {
            if let Err(e) = properties::check_round_trip(&d, text, k as u64) {
                panic!("{name} line {}: {e}", k + 1);
            }
        }
    }
}
