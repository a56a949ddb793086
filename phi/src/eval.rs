//! The evaluator: scores a [`Detector`] on a JSONL corpus.
//!
//! Each line is `{"text": …, "spans": [{"start": s, "end": e, "type": T}, …]}`
//! with `start`/`end` in Unicode code points, end exclusive (other fields are
//! ignored). The metrics:
//!
//! * **Entity recall** (the leak rate's complement): a gold entity counts as
//!   caught only if every non-whitespace character of it lies inside some
//!   detection, of any kind (a masked identifier does not leak, whatever
//!   label it got). Reported overall and per gold type.
//! * **Token precision / recall / F1**: a *token* is a maximal run of
//!   alphanumeric characters (`char::is_alphanumeric`). A token is gold if
//!   any of its characters lies in a gold span, predicted if any lies in a
//!   detection. Per type, recall counts the gold tokens of that type and
//!   precision the tokens predicted with that kind.
//! * **Type agreement**: of the caught entities, the share whose covering
//!   detection has the gold type (informative; surrogates use the kind).
//! * **Throughput**: text bytes over time spent in `detect` (MB = 10^6 bytes).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::detect::Detector;
use crate::error::PhiError;
use crate::kind::PhiType;

/// Why a corpus could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("cannot read the corpus: {0}")]
    Io(#[from] std::io::Error),
    /// A line is not a valid corpus record.
    #[error("line {line}: not a corpus record: {reason}")]
    Format {
        /// 1-based line number.
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// The detector failed on a line.
    #[error("line {line}: {source}")]
    Detect {
        /// 1-based line number.
        line: usize,
        /// The detector's error.
        source: PhiError,
    },
}

#[derive(Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    spans: Vec<GoldSpan>,
}

#[derive(Deserialize)]
struct GoldSpan {
    start: usize,
    end: usize,
    #[serde(rename = "type")]
    kind: String,
}

/// Counts for one type (or overall).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypeCounts {
    /// Gold entities.
    pub entities: usize,
    /// Gold entities fully covered.
    pub caught: usize,
    /// Caught entities whose covering detection had the gold type.
    pub typed: usize,
    /// Gold tokens.
    pub gold_tokens: usize,
    /// Gold tokens that were predicted.
    pub gold_tokens_hit: usize,
    /// Predicted tokens (with this kind, per type).
    pub pred_tokens: usize,
    /// Predicted tokens that were gold.
    pub pred_tokens_hit: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl TypeCounts {
    /// Share of entities fully covered.
    pub fn entity_recall(&self) -> f64 {
        ratio(self.caught, self.entities)
    }
    /// Token precision.
    pub fn token_precision(&self) -> f64 {
        ratio(self.pred_tokens_hit, self.pred_tokens)
    }
    /// Token recall.
    pub fn token_recall(&self) -> f64 {
        ratio(self.gold_tokens_hit, self.gold_tokens)
    }
    /// Token F1.
    pub fn token_f1(&self) -> f64 {
        let (p, r) = (self.token_precision(), self.token_recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// Share of caught entities labelled with their gold type.
    pub fn type_agreement(&self) -> f64 {
        ratio(self.typed, self.caught)
    }
}

/// One missed gold entity (for debugging the detector on development data).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Miss {
    /// 1-based line number.
    pub line: usize,
    /// Gold type name.
    pub kind: String,
    /// The entity's text.
    pub value: String,
}

/// The scores of one corpus. `Display` prints the table and, as its last
/// line, the JSON summary.
#[derive(Debug, Clone, Default)]
pub struct EvalReport {
    /// Lines scored.
    pub documents: usize,
    /// Bytes of text scored.
    pub bytes: usize,
    /// Time spent detecting.
    pub elapsed: Duration,
    /// Overall counts.
    pub overall: TypeCounts,
    /// Counts per type name (gold types, and predicted kinds for precision).
    pub per_type: BTreeMap<String, TypeCounts>,
    /// Missed entities, in corpus order.
    pub misses: Vec<Miss>,
    /// Predicted tokens that were not gold: (line, token, predicted kind).
    pub false_positives: Vec<(usize, String, String)>,
}

impl EvalReport {
    /// Throughput in MB (10^6 bytes) per second of detection.
    pub fn mb_per_s(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs == 0.0 {
            0.0
        } else {
            self.bytes as f64 / 1e6 / secs
        }
    }

    /// The one-line JSON summary.
    pub fn json_line(&self) -> String {
        let per_type: BTreeMap<&str, f64> = self
            .per_type
            .iter()
            .filter(|(_, c)| c.entities > 0)
            .map(|(k, c)| (k.as_str(), round4(c.entity_recall())))
            .collect();
        serde_json::json!({
            "entity_recall": round4(self.overall.entity_recall()),
            "token_precision": round4(self.overall.token_precision()),
            "token_recall": round4(self.overall.token_recall()),
            "per_type": per_type,
            "mb_per_s": (self.mb_per_s() * 100.0).round() / 100.0,
        })
        .to_string()
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "PHI detector evaluation: {} documents, {} bytes",
            self.documents, self.bytes
        )?;
        writeln!(
            f,
            "{:<16} {:>8} {:>8} {:>9} {:>9} {:>9} {:>7} {:>8}",
            "type", "entities", "missed", "ent_rec", "tok_prec", "tok_rec", "tok_f1", "typed"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &TypeCounts| {
            writeln!(
                f,
                "{:<16} {:>8} {:>8} {:>9.4} {:>9.4} {:>9.4} {:>7.4} {:>8.4}",
                name,
                c.entities,
                c.entities - c.caught,
                c.entity_recall(),
                c.token_precision(),
                c.token_recall(),
                c.token_f1(),
                c.type_agreement()
            )
        };
        for (name, c) in &self.per_type {
            row(f, name, c)?;
        }
        row(f, "OVERALL", &self.overall)?;
        writeln!(
            f,
            "throughput: {:.2} MB/s ({} bytes in {:.3} ms of detection, one thread)",
            self.mb_per_s(),
            self.bytes,
            self.elapsed.as_secs_f64() * 1000.0
        )?;
        writeln!(f, "{}", self.json_line())
    }
}

/// Scores `detector` on a JSONL corpus file.
pub fn evaluate_file(detector: &Detector, path: &Path) -> Result<EvalReport, EvalError> {
    let text = std::fs::read_to_string(path)?;
    evaluate_str(detector, &text)
}

/// Scores `detector` on JSONL corpus text.
pub fn evaluate_str(detector: &Detector, corpus: &str) -> Result<EvalReport, EvalError> {
    let mut report = EvalReport::default();
    for (idx, line) in corpus.lines().enumerate() {
        let line_no = idx + 1;
        if line.trim().is_empty() {
            continue;
        }
        let rec: Record = serde_json::from_str(line).map_err(|e| EvalError::Format {
            line: line_no,
            reason: e.to_string(),
        })?;
        score_one(detector, &rec, line_no, &mut report)?;
    }
    Ok(report)
}

fn score_one(
    detector: &Detector,
    rec: &Record,
    line: usize,
    report: &mut EvalReport,
) -> Result<(), EvalError> {
    let text = rec.text.as_str();
    let t0 = Instant::now();
    let dets = detector
        .detect(text)
        .map_err(|source| EvalError::Detect { line, source })?;
    report.elapsed += t0.elapsed();
    report.documents += 1;
    report.bytes += text.len();

    // Per character (code point): gold type index and predicted kind.
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let nchars = chars.len();
    let byte_to_char = |b: usize| chars.partition_point(|&(i, _)| i < b);
    let mut pred: Vec<Option<PhiType>> = vec![None; nchars];
    for d in &dets {
        for p in pred
            .iter_mut()
            .take(byte_to_char(d.end))
            .skip(byte_to_char(d.start))
        {
            *p = Some(d.kind);
        }
    }
    let mut gold: Vec<Option<usize>> = vec![None; nchars];
    for (gi, g) in rec.spans.iter().enumerate() {
        if g.start > g.end || g.end > nchars {
            return Err(EvalError::Format {
                line,
                reason: "span offsets outside the text".into(),
            });
        }
        for slot in gold.iter_mut().take(g.end).skip(g.start) {
            *slot = Some(gi);
        }
        let counts = report.per_type.entry(g.kind.clone()).or_default();
        counts.entities += 1;
        report.overall.entities += 1;
        let mut caught = true;
        let mut kinds = Vec::new();
        for (c, p) in chars[g.start..g.end].iter().zip(&pred[g.start..g.end]) {
            if c.1.is_whitespace() {
                continue;
            }
            match p {
                Some(k) => kinds.push(*k),
                None => caught = false,
            }
        }
        if caught {
            counts.caught += 1;
            report.overall.caught += 1;
            if !kinds.is_empty() && kinds.iter().all(|k| k.as_str() == g.kind) {
                counts.typed += 1;
                report.overall.typed += 1;
            }
        } else {
            let value: String = chars[g.start..g.end].iter().map(|c| c.1).collect();
            report.misses.push(Miss {
                line,
                kind: g.kind.clone(),
                value,
            });
        }
    }
    // Tokens.
    let mut k = 0;
    while k < nchars {
        if !chars[k].1.is_alphanumeric() {
            k += 1;
            continue;
        }
        let s = k;
        while k < nchars && chars[k].1.is_alphanumeric() {
            k += 1;
        }
        let gold_type = gold[s..k]
            .iter()
            .flatten()
            .next()
            .map(|&gi| rec.spans[gi].kind.clone());
        let pred_kind = pred[s..k].iter().flatten().next().copied();
        if let Some(gt) = &gold_type {
            report.overall.gold_tokens += 1;
            let c = report.per_type.entry(gt.clone()).or_default();
            c.gold_tokens += 1;
            if pred_kind.is_some() {
                report.overall.gold_tokens_hit += 1;
                c.gold_tokens_hit += 1;
            }
        }
        if let Some(pk) = pred_kind {
            report.overall.pred_tokens += 1;
            let c = report.per_type.entry(pk.as_str().to_string()).or_default();
            c.pred_tokens += 1;
            if gold_type.is_some() {
                report.overall.pred_tokens_hit += 1;
                c.pred_tokens_hit += 1;
            } else {
                let tok: String = chars[s..k].iter().map(|c| c.1).collect();
                report
                    .false_positives
                    .push((line, tok, pk.as_str().to_string()));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::known::KnownIdentifiers;

    #[test]
    fn scorer_counts_entities_and_tokens_on_a_tiny_corpus() {
        // Line 1: an SSN (caught) and a made-up code word nobody detects.
        // Line 2: a clinical sentence with nothing to find.
        let corpus = concat!(
            r#"{"text": "SSN 123-45-6789 for zorblax", "spans": [{"start": 4, "end": 15, "type": "SSN"}, {"start": 20, "end": 27, "type": "ID"}]}"#,
            "\n",
            r#"{"text": "BP 132/84, 40 mg daily.", "spans": []}"#,
            "\n"
        );
        let d = Detector::new(KnownIdentifiers::new());
        let r = evaluate_str(&d, corpus).unwrap();
        assert_eq!(r.documents, 2);
        assert_eq!(r.overall.entities, 2);
        assert_eq!(r.overall.caught, 1);
        assert_eq!(r.per_type["SSN"].entity_recall(), 1.0);
        assert_eq!(r.per_type["ID"].entity_recall(), 0.0);
        // tokens: SSN(no) 123 45 6789 (gold, hit) for(no) zorblax(gold, missed)
        assert_eq!(r.overall.gold_tokens, 4);
        assert_eq!(r.overall.gold_tokens_hit, 3);
        assert_eq!(r.overall.pred_tokens, 3);
        assert_eq!(r.overall.pred_tokens_hit, 3);
        assert_eq!(r.overall.token_precision(), 1.0);
        assert_eq!(r.overall.token_recall(), 0.75);
        assert_eq!(r.misses.len(), 1);
        let shown = r.to_string();
        let last = shown.lines().last().unwrap();
        let v: serde_json::Value = serde_json::from_str(last).unwrap();
        assert_eq!(v["entity_recall"], 0.5);
        assert_eq!(v["token_recall"], 0.75);
        assert_eq!(v["per_type"]["SSN"], 1.0);
        assert!(v["mb_per_s"].is_number());
    }

    #[test]
    fn code_point_offsets_are_converted_to_bytes() {
        // "é" is 2 bytes; the span is in code points.
        let corpus = r#"{"text": "é Josef R. Mališ is here", "spans": [{"start": 2, "end": 16, "type": "NAME"}]}"#;
        let d = Detector::new(KnownIdentifiers::new());
        let r = evaluate_str(&d, corpus).unwrap();
        assert_eq!(r.overall.entities, 1);
        assert_eq!(r.overall.caught, 1, "{:?}", r.misses);
    }
}
