//! restore(protect(x)) == x, whole and streamed at every chunk boundary.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use ward_phi::{properties, Detector, KnownIdentifiers};

fuzz_target!(|data: &[u8]| {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| Detector::new(KnownIdentifiers::new()));
    let (seed, rest) = match data.split_first() {
        Some((s, r)) => (*s as u64, r),
        None => (0, data),
    };
    let text = String::from_utf8_lossy(rest);
    if text.len() > 2048 {
        return; // the streaming check is quadratic
    }
    if let Err(e) = properties::check_round_trip(detector, &text, seed) {
        panic!("{e}");
    }
});
