//! Runs the PHI evaluator on a JSONL corpus, exactly as the server's
//! `phi-eval FILE` subcommand does.
//!
//! `cargo run --release -p ward-phi --example phi_eval -- ../shared/data/phi-dev.jsonl`
//! Add `--misses` to list missed entities and false-positive tokens.

use ward_phi::{Detector, KnownIdentifiers};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args.next().ok_or("usage: phi_eval FILE [--misses]")?;
    let verbose = args.next().as_deref() == Some("--misses");
    let report = ward_phi::eval::evaluate_file(
        &Detector::new(KnownIdentifiers::new()),
        std::path::Path::new(&path),
    )?;
    if verbose {
        for m in &report.misses {
            eprintln!("MISS line {} {}: {:?}", m.line, m.kind, m.value);
        }
        for (line, tok, kind) in &report.false_positives {
            eprintln!("FP   line {line} {kind}: {tok:?}");
        }
    }
    print!("{report}");
    Ok(())
}
