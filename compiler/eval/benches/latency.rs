//! Per-decision latency over the benchmark's package of 1,000 live
//! campaigns: decides N fresh payments (default 1,000,000; `LATENCY_N`)
//! over 100,000 users in time order, timing each decision on its own, and
//! prints decisions per second and the p50, p90, p99, p99.9 and maximum
//! (`Evaluator::decide_outcome`: outcomes only, no explanations).
//! A benchmark, not a test: `cargo bench -p camp-eval --bench latency`.
//! Memory per payment: the process's resident memory after the stream
//! less before it (the payments are made before), over the number of
//! payments (Linux: `VmRSS` of `/proc/self/status`; the timings' buffer is
//! allocated before too). Peak memory of the whole process:
//! `/usr/bin/time -v target/release/deps/latency-*` (the binary `cargo
//! bench` built).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout
)]

mod support;

use std::hint::black_box;
use std::time::Instant;

/// The resident memory of this process in bytes (Linux); `None` elsewhere.
fn resident() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn main() {
    // `cargo bench` passes `--bench`; a number among the arguments (or
    // LATENCY_N) sets how many payments.
    let count: usize = std::env::args()
        .skip(1)
        .find_map(|argument| argument.parse().ok())
        .or_else(|| std::env::var("LATENCY_N").ok()?.parse().ok())
        .unwrap_or(1_000_000);
    let built = Instant::now();
    let mut evaluator = support::evaluator();
    let payments = support::payments(1, count, 100_000);
    println!(
        "{} campaigns, {count} payments, made in {:.1?}",
        support::CAMPAIGNS,
        built.elapsed()
    );
    // Touched now, so that the resident memory counts it before.
    let mut nanos: Vec<u64> = vec![u64::MAX; count];
    nanos.clear();
    let mut paid = 0_usize;
    let before = resident();
    let all = Instant::now();
    for payment in &payments {
        let start = Instant::now();
        let total = evaluator
            .decide_outcome(black_box(payment))
            .map(|decided| decided.total);
        let took = start.elapsed();
        nanos.push(u64::try_from(took.as_nanos()).unwrap_or(u64::MAX));
        if total.as_ref().is_ok_and(|total| !total.amount.is_zero()) {
            paid += 1;
        }
        let _ = black_box(total);
    }
    let total = all.elapsed();
    let after = resident();
    nanos.sort_unstable();
    let at = |quantile: f64| {
        let index = ((nanos.len() as f64 - 1.0) * quantile).round() as usize;
        nanos.get(index).copied().unwrap_or(0)
    };
    println!(
        "{} decisions in {:.2?} ({:.0} decisions/s, timer included), {paid} paid something",
        count,
        total,
        count as f64 / total.as_secs_f64()
    );
    println!(
        "latency ns: p50 {} p90 {} p99 {} p99.9 {} max {}",
        at(0.50),
        at(0.90),
        at(0.99),
        at(0.999),
        nanos.last().copied().unwrap_or(0)
    );
    if let (Some(before), Some(after)) = (before, after) {
        let grown = after.saturating_sub(before);
        println!(
            "resident memory grew by {:.1} MB over the stream: {:.0} bytes per payment",
            grown as f64 / 1e6,
            grown as f64 / count.max(1) as f64
        );
    }
}
