//! Detector throughput on a realistic generated clinical document (~1 MB):
//! progress notes with vitals, labs, medications and doses, and a realistic
//! density of identifiers (names, dates, MRNs, phones, addresses, ...).
//!
//! `cargo bench -p ward-phi --bench detect`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use ward_phi::{Detector, DisclosureTally, KnownIdentifiers, PhiMode, SessionVault};

#[path = "support/notes.rs"]
mod notes;
use notes::document;

fn bench(c: &mut Criterion) {
    let doc = document(1 << 20);
    let detector = Detector::new(KnownIdentifiers::new());
    let mut g = c.benchmark_group("phi");
    g.throughput(Throughput::Bytes(doc.len() as u64));
    g.sample_size(20);
    g.bench_with_input(BenchmarkId::new("detect", "1MB_notes"), &doc, |b, doc| {
        b.iter(|| black_box(detector.detect(black_box(doc)).unwrap()))
    });
    g.bench_with_input(
        BenchmarkId::new("protect_text", "1MB_notes"),
        &doc,
        |b, doc| {
            b.iter(|| {
                let mut v = SessionVault::new(1);
                let mut t = DisclosureTally::new();
                black_box(
                    v.protect_text(&detector, PhiMode::Pseudonymize, doc, &mut t)
                        .unwrap(),
                )
            })
        },
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
