//! Amdahl's law, measured: a job of `total` loop iterations whose first part must run
//! on one worker before the rest can be split across all of them.
//!
//! The job is the busy loop over `0..total`, cut into a serial range and equal parallel
//! chunks, so its result is exactly `sum_of_squares(total)` however it is split: the
//! parallel run is checked against the sequential one like every other engine.
//!
//! The parallel part is [`CHUNKS_PER_WORKER`] chunks per worker, which the workers take
//! one at a time, not one fixed share each: cores that do not run at one speed (a
//! laptop's performance and efficiency cores, a virtual machine's cores that change
//! speed) would otherwise make the slowest worker's share the parallel part's time, and
//! read as serial work that is not there.

use crate::engines::Clock;
use crate::scheduling::ChunkRecord;
use crate::workloads::sum_of_squares_range;
use serde::Serialize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// How many chunks each worker's share of the parallel part is cut into: enough that a
/// worker on a core half as fast leaves the others little to wait for, few enough that
/// taking one costs nothing next to it (a chunk of the default job is millions of
/// iterations; taking one is an atomic add).
pub const CHUNKS_PER_WORKER: u64 = 8;

/// A run of the two-part job.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhasedOutcome {
    /// The wrapping sum over `0..total`: equal to `sum_of_squares(total)`.
    pub result: u64,
    /// Iterations in the serial part.
    pub serial_iterations: u64,
    /// Iterations in the parallel part.
    pub parallel_iterations: u64,
    /// The serial part is chunk 0 on worker 0; then the parallel part's chunks, in order,
    /// each on the worker that took it.
    pub chunks: Vec<ChunkRecord>,
    /// Wall time of the serial part, in ms.
    pub serial_ms: f64,
    /// Wall time of the parallel part, in ms.
    pub parallel_ms: f64,
}

/// How many iterations a job has when it grows with the workers (Gustafson's view): the
/// serial part stays `serial_fraction * base`, the parallel part is `workers` times its
/// one-worker size.
pub fn scaled_total(base: u64, serial_fraction: f64, workers: usize) -> u64 {
    let serial = (base as f64 * serial_fraction).round() as u64;
    serial + (base - serial.min(base)) * workers as u64
}

/// Runs `total` iterations: `serial_fraction` of them on one worker, then the rest cut
/// into `CHUNKS_PER_WORKER × workers` equal chunks that `workers` rayon lanes take in
/// turn.
pub fn run_phased(total: u64, serial_fraction: f64, workers: usize, clock: Clock) -> PhasedOutcome {
    let workers = workers.max(1);
    let serial_end = ((total as f64 * serial_fraction.clamp(0.0, 1.0)).round() as u64).min(total);
    let origin = clock();
    let serial_sum = sum_of_squares_range(0, serial_end);
    let serial_done = clock();
    let mut chunks = vec![ChunkRecord {
        chunk: 0,
        worker: 0,
        first: 0,
        len: serial_end as usize,
        start_ms: 0.0,
        end_ms: serial_done - origin,
        wait_ms: 0.0,
    }];
    let parallel = total - serial_end;
    let count = CHUNKS_PER_WORKER * workers as u64;
    let next = AtomicU64::new(0);
    let pieces: Mutex<Vec<(ChunkRecord, u64)>> = Mutex::new(Vec::with_capacity(count as usize));
    rayon::scope(|scope| {
        for worker in 0..workers {
            let (next, pieces) = (&next, &pieces);
            scope.spawn(move |_| loop {
                let chunk = next.fetch_add(1, Ordering::Relaxed);
                if chunk >= count {
                    break;
                }
                let start = serial_end + parallel * chunk / count;
                let end = serial_end + parallel * (chunk + 1) / count;
                let start_ms = clock() - origin;
                let sum = sum_of_squares_range(start, end);
                let record = ChunkRecord {
                    chunk: chunk as usize + 1,
                    worker,
                    first: start as usize,
                    len: (end - start) as usize,
                    start_ms,
                    end_ms: clock() - origin,
                    wait_ms: 0.0,
                };
                pieces.lock().unwrap_or_else(|e| e.into_inner()).push((record, sum));
            });
        }
    });
    let finished = clock();
    let mut pieces = pieces.into_inner().unwrap_or_else(|e| e.into_inner());
    pieces.sort_by_key(|(record, _)| record.chunk);
    let result = pieces.iter().fold(serial_sum, |acc, (_, sum)| acc.wrapping_add(*sum));
    chunks.extend(pieces.into_iter().map(|(record, _)| record));
    PhasedOutcome {
        result,
        serial_iterations: serial_end,
        parallel_iterations: parallel,
        chunks,
        serial_ms: serial_done - origin,
        parallel_ms: finished - serial_done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workloads::sum_of_squares;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn any_split_gives_the_sequential_result() {
        for fraction in [0.0, 0.2, 0.5, 1.0] {
            for workers in [1, 2, 3, 8] {
                let outcome = run_phased(100_003, fraction, workers, clock);
                assert_eq!(outcome.result, sum_of_squares(100_003), "s={fraction} k={workers}");
                assert_eq!(outcome.serial_iterations + outcome.parallel_iterations, 100_003);
                assert_eq!(outcome.chunks.len(), workers * CHUNKS_PER_WORKER as usize + 1);
                assert!(outcome.chunks.iter().all(|c| c.worker < workers), "a chunk on a worker that was not asked for");
                let covered: u64 = outcome.chunks.iter().map(|c| c.len as u64).sum();
                assert_eq!(covered, 100_003);
            }
        }
    }

    #[test]
    fn twenty_percent_is_serial() {
        let outcome = run_phased(1_000_000, 0.2, 4, clock);
        assert_eq!(outcome.serial_iterations, 200_000);
    }

    #[test]
    fn gustafson_grows_only_the_parallel_part() {
        assert_eq!(scaled_total(1000, 0.2, 1), 1000);
        assert_eq!(scaled_total(1000, 0.2, 4), 200 + 800 * 4);
    }
}
