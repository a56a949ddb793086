//! Property checks shared by the unit tests and the cargo-fuzz targets
//! (test support: not used by Ward at run time).
//!
//! Each check returns `Err(description)` when a property fails. The
//! descriptions may quote the input, so they are for tests and fuzzing
//! only, never for logs.

use crate::detect::Detector;
use crate::kind::PhiMode;
use crate::tally::DisclosureTally;
use crate::vault::SessionVault;

/// The detector never panics or errors on input within its size limit, and
/// its detections are in bounds, on char boundaries, non-empty, sorted and
/// non-overlapping.
pub fn check_detector(detector: &Detector, text: &str) -> Result<(), String> {
    let dets = detector
        .detect(text)
        .map_err(|e| format!("detect failed: {e}"))?;
    let mut prev_end = 0;
    for d in &dets {
        if d.start >= d.end || d.end > text.len() {
            return Err(format!("detection out of bounds: {d:?}"));
        }
        if !text.is_char_boundary(d.start) || !text.is_char_boundary(d.end) {
            return Err(format!("detection not on char boundaries: {d:?}"));
        }
        if d.start < prev_end {
            return Err(format!("detections overlap or are unsorted at {d:?}"));
        }
        prev_end = d.end;
    }
    Ok(())
}

/// Pseudonymising `text` and restoring the result gives `text` back, whole
/// and streamed with every two-chunk split and one character at a time.
pub fn check_round_trip(detector: &Detector, text: &str, seed: u64) -> Result<(), String> {
    let mut vault = SessionVault::new(seed);
    let mut tally = DisclosureTally::new();
    let protected = vault
        .protect_text(detector, PhiMode::Pseudonymize, text, &mut tally)
        .map_err(|e| format!("protect failed: {e}"))?;
    let restored = vault.restore(&protected);
    if restored != text {
        return Err(format!(
            "round trip failed:\n  input:     {text:?}\n  protected: {protected:?}\n  restored:  {restored:?}"
        ));
    }
    check_streaming(&vault, &protected)?;
    // A second message in the same session must round-trip too.
    let again = vault
        .protect_text(detector, PhiMode::Pseudonymize, text, &mut tally)
        .map_err(|e| format!("second protect failed: {e}"))?;
    if vault.restore(&again) != text {
        return Err(format!("second round trip failed for {text:?}"));
    }
    Ok(())
}

/// Streaming restore equals whole restore for every two-chunk split of
/// `reply` and for one-character chunks.
pub fn check_streaming(vault: &SessionVault, reply: &str) -> Result<(), String> {
    let whole = vault.restore(reply);
    let bounds: Vec<usize> = (0..=reply.len())
        .filter(|&k| reply.is_char_boundary(k))
        .collect();
    for &k in &bounds {
        let mut r = vault.restorer();
        let mut got = r.push(&reply[..k]);
        got.push_str(&r.push(&reply[k..]));
        got.push_str(&r.finish());
        if got != whole {
            return Err(format!(
                "streamed restore differs when split at {k}:\n  reply: {reply:?}\n  whole: {whole:?}\n  split: {got:?}"
            ));
        }
    }
    let mut r = vault.restorer();
    let mut got = String::new();
    for w in bounds.windows(2) {
        got.push_str(&r.push(&reply[w[0]..w[1]]));
    }
    got.push_str(&r.finish());
    if got != whole {
        return Err(format!(
            "char-by-char restore differs:\n  whole: {whole:?}\n  got:   {got:?}"
        ));
    }
    Ok(())
}
