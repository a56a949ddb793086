//! Quality floors of the detector on labelled corpora: the committed
//! held-out parts (`corpus/heldout.jsonl` … `heldout6.jsonl`, never tuned
//! against), the tuning parts (`tune.jsonl` … `tune6.jsonl`), a PHI-free
//! clinical corpus (`clean.jsonl`, a ceiling on false positives), the
//! hand-written adversarial set, and the shared dev corpus
//! (`../shared/data/phi-dev.jsonl`, or `WARD_PHI_DEV_CORPUS`). The floors are
//! recall and precision, never time (throughput is reported by benches).

use std::path::PathBuf;
use ward_phi::eval::{evaluate_file, EvalReport};
use ward_phi::{Detector, KnownIdentifiers};

/// Minimum overall entity recall, per-type entity recall and overall token
/// precision of one corpus.
struct Floors {
    recall: f64,
    per_type: f64,
    precision: f64,
    /// Types with their own (lower) recall floor, where the detector is
    /// known to fall short of `per_type` (see `phi/BENCHMARKS.md`).
    exceptions: &'static [(&'static str, f64)],
}

fn score(path: PathBuf) -> EvalReport {
    let detector = Detector::new(KnownIdentifiers::new());
    evaluate_file(&detector, &path)
        .unwrap_or_else(|e| panic!("cannot score {}: {e}", path.display()))
}

fn corpus(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name)
}

fn assert_floors(name: &str, r: &EvalReport, f: Floors) {
    assert!(r.documents > 0, "{name}: empty corpus");
    let recall = r.overall.entity_recall();
    assert!(
        recall >= f.recall,
        "{name}: entity recall {recall:.4} < {}",
        f.recall
    );
    let precision = r.overall.token_precision();
    assert!(
        precision >= f.precision,
        "{name}: token precision {precision:.4} < {}",
        f.precision
    );
    for (kind, c) in r.per_type.iter().filter(|(_, c)| c.entities > 0) {
        let rec = c.entity_recall();
        let floor = f
            .exceptions
            .iter()
            .find(|(k, _)| *k == kind.as_str())
            .map_or(f.per_type, |(_, v)| *v);
        assert!(
            rec >= floor,
            "{name}: {kind} entity recall {rec:.4} < {floor}"
        );
    }
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_held_out_part() {
    let r = score(corpus("heldout.jsonl"));
    assert!(r.overall.entities >= 4000, "the held-out part is too small");
    assert_floors(
        "heldout",
        &r,
        Floors {
            recall: HELDOUT_RECALL,
            per_type: HELDOUT_PER_TYPE,
            precision: 0.95,
            exceptions: &[],
        },
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_second_held_out_part() {
    let r = score(corpus("heldout2.jsonl"));
    assert!(
        r.overall.entities >= 5000,
        "the second held-out part is too small"
    );
    assert_floors(
        "heldout2",
        &r,
        Floors {
            recall: 0.982,
            per_type: 0.94,
            precision: 0.95,
            exceptions: &[("HOSPITAL", 0.88)],
        },
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_third_held_out_part() {
    let r = score(corpus("heldout3.jsonl"));
    assert!(
        r.overall.entities >= 4000,
        "the third held-out part is too small"
    );
    assert_floors(
        "heldout3",
        &r,
        Floors {
            recall: 0.97,
            per_type: 0.93,
            precision: 0.95,
            exceptions: &[("CITY", 0.91)],
        },
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_fourth_held_out_part() {
    let r = score(corpus("heldout4.jsonl"));
    assert!(
        r.overall.entities >= 3000,
        "the fourth held-out part is too small"
    );
    // Far below the targets (see `phi/BENCHMARKS.md`): these floors only
    // keep what the detector reaches from getting worse.
    assert_floors(
        "heldout4",
        &r,
        Floors {
            recall: 0.955,
            per_type: 0.84,
            precision: 0.95,
            exceptions: &[],
        },
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_fifth_held_out_part() {
    let r = score(corpus("heldout5.jsonl"));
    assert!(
        r.overall.entities >= 4000,
        "the fifth held-out part is too small"
    );
    // Far below the targets (see `phi/BENCHMARKS.md`): these floors only
    // keep what the detector reaches from getting worse.
    assert_floors(
        "heldout5",
        &r,
        Floors {
            recall: HELDOUT5_RECALL,
            per_type: HELDOUT5_PER_TYPE,
            precision: 0.95,
            exceptions: &[],
        },
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_sixth_held_out_part() {
    let r = score(corpus("heldout6.jsonl"));
    assert!(
        r.overall.entities >= 3500,
        "the sixth held-out part is too small"
    );
    // Far below the targets (see `phi/BENCHMARKS.md`): these floors only
    // keep what the detector reaches from getting worse.
    assert_floors(
        "heldout6",
        &r,
        Floors {
            recall: HELDOUT6_RECALL,
            per_type: HELDOUT6_PER_TYPE,
            precision: 0.95,
            exceptions: &[],
        },
    );
}

/// A PHI-free clinical corpus (`corpus/clean.jsonl`: medicines, eponyms,
/// organisms, services, headings): every detection is a false positive. The
/// ceiling keeps a change that reads clinical words as names from landing.
#[test]
fn the_detector_leaves_phi_free_clinical_text_nearly_untouched() {
    let r = score(corpus("clean.jsonl"));
    assert!(r.documents >= 1000, "the PHI-free corpus is too small");
    assert_eq!(r.overall.entities, 0, "the PHI-free corpus has labels");
    let lines: std::collections::BTreeSet<usize> =
        r.false_positives.iter().map(|(line, _, _)| *line).collect();
    assert!(
        r.false_positives.len() <= CLEAN_FALSE_POSITIVE_TOKENS,
        "{} false-positive tokens on PHI-free text (ceiling {CLEAN_FALSE_POSITIVE_TOKENS})",
        r.false_positives.len()
    );
    assert!(
        lines.len() * 100 <= r.documents * 4,
        "{} of {} PHI-free lines have a detection",
        lines.len(),
        r.documents
    );
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_tuning_and_adversarial_sets() {
    for (name, floors) in [
        (
            "tune.jsonl",
            Floors {
                recall: 0.995,
                per_type: 0.98,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "tune2.jsonl",
            Floors {
                recall: 0.995,
                per_type: 0.97,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "tune3.jsonl",
            Floors {
                recall: 0.98,
                per_type: 0.95,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "tune4.jsonl",
            Floors {
                recall: 0.995,
                per_type: 0.94,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "tune5.jsonl",
            Floors {
                recall: 0.965,
                per_type: 0.93,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "tune6.jsonl",
            Floors {
                recall: 0.92,
                per_type: 0.86,
                precision: 0.95,
                exceptions: &[],
            },
        ),
        (
            "adversarial.jsonl",
            Floors {
                recall: 0.99,
                per_type: 0.95,
                precision: 0.95,
                exceptions: &[],
            },
        ),
    ] {
        assert_floors(name, &score(corpus(name)), floors);
    }
}

#[test]
fn the_detector_keeps_its_recall_and_precision_on_the_dev_corpus() {
    let path = std::env::var_os("WARD_PHI_DEV_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/phi-dev.jsonl")
        });
    assert!(
        path.exists(),
        "the dev corpus is missing: {} (set WARD_PHI_DEV_CORPUS)",
        path.display()
    );
    assert_floors(
        "dev",
        &score(path),
        Floors {
            recall: 0.995,
            per_type: 0.98,
            precision: 0.98,
            exceptions: &[],
        },
    );
}

/// Floors on the held-out part, set just under what the detector reaches
/// (see `phi/BENCHMARKS.md`), so a change that loses recall fails here.
const HELDOUT_RECALL: f64 = 0.98;
const HELDOUT_PER_TYPE: f64 = 0.945;

/// Floors on the fifth held-out part (first scored at 0.8415 overall, NAME
/// 0.7355, before the detector's fifth round; see `phi/BENCHMARKS.md`).
const HELDOUT5_RECALL: f64 = 0.925;
const HELDOUT5_PER_TYPE: f64 = 0.84;

/// Floors on the sixth held-out part (first scored at 0.8256 overall, NAME
/// 0.7269, before the detector's sixth round).
const HELDOUT6_RECALL: f64 = 0.885;
const HELDOUT6_PER_TYPE: f64 = 0.78;

/// The most false-positive tokens allowed on `corpus/clean.jsonl`.
const CLEAN_FALSE_POSITIVE_TOKENS: usize = 40;
