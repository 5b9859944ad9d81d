//! Native timings of the same workloads the browser runs, for `cargo xtask bench`'s
//! "wasm versus native" row. Prints one JSON object; no harness, no plotting.
//!
//! Usage: `cargo bench --bench native -- [n] [tasks] [repetitions]`.

use parallel_playground::engines::map_sequential;
use parallel_playground::measurement::{checksum, summarize};
use parallel_playground::scheduling::task_inputs;
use parallel_playground::workloads::Workload;
use std::time::Instant;

fn clock() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64() * 1e3
}

fn main() {
    // `cargo bench` passes `--bench`; only numbers are ours.
    let numbers: Vec<u64> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = numbers.first().copied().unwrap_or(50_000_000);
    let tasks = numbers.get(1).copied().unwrap_or(4) as usize;
    let repetitions = numbers.get(2).copied().unwrap_or(7) as usize;
    let cases = [(Workload::SumOfSquares, n, tasks), (Workload::IsPrime, 1_000_000_000_000, 200)];
    let mut rows = Vec::new();
    for (workload, first, count) in cases {
        let inputs = task_inputs(first, count);
        let mut times = Vec::new();
        let mut sum = None;
        for i in 0..repetitions + 1 {
            let started = clock();
            let outcome = map_sequential(workload, &inputs, 1, clock);
            let ms = clock() - started;
            sum = Some(checksum(&outcome.results));
            if i > 0 {
                times.push(ms); // the first run is warm-up
            }
        }
        let summary = summarize(&times).expect("at least one timed run");
        rows.push(format!(
            "{{\"workload\":\"{}\",\"n\":{first},\"tasks\":{count},\"checksum\":\"{:016x}\",\"median_ms\":{:.3},\"min_ms\":{:.3},\"max_ms\":{:.3}}}",
            workload.id(),
            sum.unwrap_or_default(),
            summary.median,
            summary.min,
            summary.max
        ));
    }
    println!("[{}]", rows.join(","));
}
