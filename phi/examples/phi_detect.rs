//! Prints the detector's findings for each line of standard input (for
//! trying the detector by hand; prints the input, so use test text only).
//!
//! `echo 'Seen by Dr. Kevin Alvarado on 1/29/21.' | cargo run -p ward-phi --example phi_detect`

use std::io::BufRead;
use ward_phi::{Detector, KnownIdentifiers};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let d = Detector::new(KnownIdentifiers::new());
    for line in std::io::stdin().lock().lines() {
        let line = line?.replace("\\n", "\n");
        let found: Vec<String> = d
            .detect(&line)?
            .iter()
            .map(|x| format!("{}={:?}", x.kind, &line[x.start..x.end]))
            .collect();
        println!("{line:?}\n    {}", found.join("  "));
    }
    Ok(())
}
