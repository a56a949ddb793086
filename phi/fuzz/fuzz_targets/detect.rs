//! The detector never panics, and its detections are in bounds, on char
//! boundaries, sorted and non-overlapping.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use ward_phi::{properties, Detector, KnownIdentifiers};

fuzz_target!(|data: &[u8]| {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| Detector::new(KnownIdentifiers::new()));
    let text = String::from_utf8_lossy(data);
    if let Err(e) = properties::check_detector(detector, &text) {
        panic!("{e}");
    }
});
