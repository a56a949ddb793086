//! Runs the fuzz targets' properties over the committed fuzz corpus
//! (`fuzz/corpus/<target>/`), so CI checks them without nightly tooling.

use std::path::PathBuf;
use ward_phi::{properties, Detector, KnownIdentifiers};

fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| {
            let p = e.unwrap().path();
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert!(files.len() >= 20, "the {target} corpus is too small");
    files
}

#[test]
fn detector_properties_hold_on_the_fuzz_corpus() {
    let d = Detector::new(KnownIdentifiers::new());
    for (name, data) in corpus("detect") {
        let text = String::from_utf8_lossy(&data);
        if let Err(e) = properties::check_detector(&d, &text) {
            panic!("corpus file {name}: {e}");
        }
    }
}

#[test]
fn round_trip_properties_hold_on_the_fuzz_corpus() {
    let d = Detector::new(KnownIdentifiers::new());
    for (name, data) in corpus("round_trip") {
        let (seed, rest) = match data.split_first() {
            Some((s, r)) => (*s as u64, r),
            None => (0, &data[..]),
        };
        let text = String::from_utf8_lossy(rest);
        if text.len() > 2048 {
            continue;
        }
        if let Err(e) = properties::check_round_trip(&d, &text, seed) {
            panic!("corpus file {name}: {e}");
        }
    }
}
