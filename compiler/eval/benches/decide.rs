//! Decisions per second over a package of 1,000 live campaigns (mixed
//! scenes, scopes, limits, guards, rollouts and stacking; see
//! `support/mod.rs`) and a stream of payments over 100,000 users, on one
//! core: `cargo bench -p camp-eval --bench decide`. Each measurement starts
//! from a fresh evaluator and decides fresh payment ids in time order (so
//! the counters fill as a day of traffic would fill them); the payments
//! are made before the clock starts. A second benchmark replays decided
//! ids. Both use `Evaluator::decide_outcome` (outcomes only); a third
//! decides with explanations (`Evaluator::decide`), for comparison. Latency percentiles: `cargo bench -p camp-eval --bench latency`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn decide(c: &mut Criterion) {
    let evaluator = support::evaluator();
    let mut group = c.benchmark_group("decide");
    group.throughput(Throughput::Elements(1));
    group.bench_function("1000 campaigns, fresh payments", |b| {
        let mut seed = 0;
        b.iter_custom(|iters| {
            seed += 1;
            let payments = support::payments(seed, iters as usize, 100_000);
            let mut evaluator = evaluator.clone();
            let start = Instant::now();
            for payment in &payments {
                let _ = black_box(
                    evaluator
                        .decide_outcome(black_box(payment))
                        .map(|d| d.total),
                );
            }
            let elapsed = start.elapsed();
            drop(evaluator);
            elapsed
        });
    });
    group.bench_function("1000 campaigns, replays", |b| {
        let payments = support::payments(0, 10_000, 100_000);
        let mut evaluator = evaluator.clone();
        for payment in &payments {
            let _ = evaluator.decide_outcome(payment);
        }
        let mut next = payments.iter().cycle();
        b.iter(|| {
            evaluator
                .decide_outcome(black_box(next.next().unwrap()))
                .map(|d| d.total)
        });
    });
    // `decide`, with every campaign's explanation (what `campc test`,
    // `campc explain` and the editor use), for comparison.
    group.bench_function("1000 campaigns, fresh payments, explained", |b| {
        let mut seed = 1_000_000;
        b.iter_custom(|iters| {
            seed += 1;
            let payments = support::payments(seed, iters as usize, 100_000);
            let mut evaluator = evaluator.clone();
            let start = Instant::now();
            for payment in &payments {
                black_box(evaluator.decide(black_box(payment)));
            }
            let elapsed = start.elapsed();
            drop(evaluator);
            elapsed
        });
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = decide
}
criterion_main!(benches);
