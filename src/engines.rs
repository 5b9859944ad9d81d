//! The engines behind one `map` interface: the lesson's "same interface, different
//! engine". Each engine takes the same workload, inputs, worker count and chunk size and
//! must produce the same results in the same order; only how the chunks are executed
//! differs.
//!
//! Three engines run here, on threads: sequential, threads (shared memory) and threads
//! with a GIL. The fourth, the process pool, runs chunks in separate wasm instances,
//! which only the browser side can create; it reuses [`run_chunk`] and the plan from
//! [`crate::scheduling`]. Timing is injected as a [`Clock`], so this module does not
//! depend on any particular platform.

use crate::gil::Gil;
use crate::scheduling::{assemble, plan_chunks, Chunk, ChunkQueue, ChunkRecord};
use crate::workloads::Workload;
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

/// A monotonic clock in milliseconds, shared by every thread of a run.
pub type Clock = fn() -> f64;

/// The ways a `map` can be executed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    /// One worker, a plain loop: the baseline every other engine is checked against.
    Sequential,
    /// Threads that must hold one global lock to compute, as Python threads must.
    Gil,
    /// Threads sharing one memory, free to run at once.
    Threads,
    /// Separate wasm instances with separate memories; data crosses by copied messages.
    Processes,
}

impl Engine {
    /// Every engine, in the order the page lists them.
    pub const ALL: [Engine; 4] = [Engine::Sequential, Engine::Gil, Engine::Threads, Engine::Processes];

    /// The identifier used in configurations and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Engine::Sequential => "sequential",
            Engine::Gil => "gil",
            Engine::Threads => "threads",
            Engine::Processes => "processes",
        }
    }

    /// Looks an engine up by its identifier.
    pub fn from_id(id: &str) -> Option<Engine> {
        Engine::ALL.into_iter().find(|e| e.id() == id)
    }

    /// Whether the engine needs threads over shared memory (a cross-origin isolated page).
    pub fn needs_shared_memory(self) -> bool {
        matches!(self, Engine::Gil | Engine::Threads)
    }
}

/// What a `map` produced: results in input order and one record per chunk.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MapOutcome {
    /// One result per input, in input order.
    pub results: Vec<u64>,
    /// One record per chunk, sorted by chunk index.
    pub chunks: Vec<ChunkRecord>,
}

/// What a process-pool worker does with the chunk of inputs it was sent.
pub fn run_chunk(workload: Workload, inputs: &[u64]) -> Vec<u64> {
    inputs.iter().map(|&x| workload.apply(x)).collect()
}

/// Runs every chunk in order on the calling thread.
pub fn map_sequential(workload: Workload, inputs: &[u64], chunksize: usize, clock: Clock) -> MapOutcome {
    let origin = clock();
    let queue = ChunkQueue::new(plan_chunks(inputs.len(), chunksize));
    let mut lane = Lane::new(0, origin, clock);
    while let Some(chunk) = queue.pull() {
        lane.record(chunk, || (run_chunk(workload, &inputs[chunk.range()]), 0.0));
    }
    lane.finish(inputs.len())
}

/// Runs chunks on `workers` lanes of the current rayon pool, each lane pulling the next
/// chunk when it is free.
pub fn map_threads(workload: Workload, inputs: &[u64], workers: usize, chunksize: usize, clock: Clock) -> MapOutcome {
    run_lanes(inputs, workers, chunksize, clock, |lane, queue| {
        while let Some(chunk) = queue.pull() {
            lane.record(chunk, || (run_chunk(workload, &inputs[chunk.range()]), 0.0));
        }
    })
}

/// Like [`map_threads`], but every lane must hold one [`Gil`] to compute and hands it
/// over after `switch_interval_ms` when another lane is waiting.
pub fn map_with_gil(
    workload: Workload,
    inputs: &[u64],
    workers: usize,
    chunksize: usize,
    switch_interval_ms: f64,
    clock: Clock,
) -> MapOutcome {
    let gil = Gil::new();
    run_lanes(inputs, workers, chunksize, clock, |lane, queue| {
        gil.acquire();
        let mut held_since = clock();
        while let Some(chunk) = queue.pull() {
            lane.record(chunk, || {
                let mut waited = 0.0;
                let mut hand_over = || {
                    let now = clock();
                    if now - held_since >= switch_interval_ms && gil.is_contended() {
                        gil.release();
                        gil.acquire();
                        held_since = clock();
                        waited += held_since - now;
                    }
                };
                let values = inputs[chunk.range()].iter().map(|&x| workload.apply_sliced(x, &mut hand_over)).collect();
                (values, waited)
            });
        }
        gil.release();
    })
}

/// Spawns `workers` lanes on the current rayon pool and gathers what they computed.
fn run_lanes<F>(inputs: &[u64], workers: usize, chunksize: usize, clock: Clock, body: F) -> MapOutcome
where
    F: Fn(&mut Lane, &ChunkQueue) + Sync,
{
    let origin = clock();
    let queue = ChunkQueue::new(plan_chunks(inputs.len(), chunksize));
    let finished: Mutex<Vec<Lane>> = Mutex::new(Vec::with_capacity(workers));
    rayon::scope(|scope| {
        for worker in 0..workers.max(1) {
            let (queue, finished, body) = (&queue, &finished, &body);
            scope.spawn(move |_| {
                let mut lane = Lane::new(worker, origin, clock);
                body(&mut lane, queue);
                finished.lock().unwrap_or_else(|e| e.into_inner()).push(lane);
            });
        }
    });
    let lanes = finished.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut all = Lane::new(0, origin, clock);
    for lane in lanes {
        all.pieces.extend(lane.pieces);
        all.records.extend(lane.records);
    }
    all.finish(inputs.len())
}

/// What one worker lane computed, with a record per chunk.
struct Lane {
    worker: usize,
    origin: f64,
    clock: Clock,
    pieces: Vec<(Chunk, Vec<u64>)>,
    records: Vec<ChunkRecord>,
}

impl Lane {
    fn new(worker: usize, origin: f64, clock: Clock) -> Self {
        Lane { worker, origin, clock, pieces: Vec::new(), records: Vec::new() }
    }

    /// Times `compute`, which answers the chunk's results and its time spent waiting.
    fn record(&mut self, chunk: &Chunk, compute: impl FnOnce() -> (Vec<u64>, f64)) {
        let start_ms = (self.clock)() - self.origin;
        let (values, wait_ms) = compute();
        let end_ms = (self.clock)() - self.origin;
        self.records.push(ChunkRecord {
            chunk: chunk.index,
            worker: self.worker,
            first: chunk.first,
            len: chunk.len,
            start_ms,
            end_ms,
            wait_ms,
        });
        self.pieces.push((chunk.clone(), values));
    }

    fn finish(mut self, input_count: usize) -> MapOutcome {
        self.records.sort_by_key(|r| r.chunk);
        MapOutcome { results: assemble(input_count, self.pieces), chunks: self.records }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scheduling::task_inputs;
    use std::collections::BTreeSet;

    fn clock() -> f64 {
        use std::sync::OnceLock;
        static START: OnceLock<std::time::Instant> = OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1e3
    }

    fn reference(workload: Workload, inputs: &[u64]) -> Vec<u64> {
        inputs.iter().map(|&x| workload.apply(x)).collect()
    }

    #[test]
    fn every_engine_matches_the_plain_loop() {
        let inputs = task_inputs(1_000_000, 97);
        for workload in Workload::ALL {
            let expected = reference(workload, &inputs);
            for chunksize in [1, 5, 97, 1000] {
                assert_eq!(map_sequential(workload, &inputs, chunksize, clock).results, expected);
                for workers in [1, 2, 3, 8] {
                    let threads = map_threads(workload, &inputs, workers, chunksize, clock);
                    assert_eq!(threads.results, expected, "threads {workload:?} w{workers} c{chunksize}");
                    let gil = map_with_gil(workload, &inputs, workers, chunksize, 0.05, clock);
                    assert_eq!(gil.results, expected, "gil {workload:?} w{workers} c{chunksize}");
                }
            }
        }
    }

    #[test]
    fn records_cover_every_chunk_on_valid_workers() {
        let inputs = task_inputs(10, 23);
        let outcome = map_threads(Workload::Square, &inputs, 3, 4, clock);
        assert_eq!(outcome.chunks.len(), 6);
        for (i, record) in outcome.chunks.iter().enumerate() {
            assert_eq!(record.chunk, i);
            assert!(record.worker < 3);
            assert!(record.end_ms >= record.start_ms && record.start_ms >= 0.0);
        }
    }

    #[test]
    fn several_lanes_take_part_when_chunks_are_heavy() {
        // About 0.2 s of chunks, so no lane can drain the queue alone before the others
        // start, even on a loaded machine.
        let inputs = task_inputs(20_000_000, 16);
        let outcome = map_threads(Workload::SumOfSquares, &inputs, 2, 1, clock);
        let lanes: BTreeSet<usize> = outcome.chunks.iter().map(|r| r.worker).collect();
        assert_eq!(lanes.len(), 2);
    }

    #[test]
    fn gil_lanes_wait_for_each_other() {
        // About 0.3 s of chunks: both lanes are running long before the queue drains,
        // even on a loaded machine, so the second must queue for the lock.
        let inputs = task_inputs(20_000_000, 16);
        let outcome = map_with_gil(Workload::SumOfSquares, &inputs, 2, 1, 0.2, clock);
        let waited: f64 = outcome.chunks.iter().map(|r| r.wait_ms).sum();
        assert!(waited > 0.0, "two lanes never waited for the lock: {:?}", outcome.chunks);
        // Waiting happens inside a chunk, so a chunk lasts at least as long as it waited.
        assert!(outcome.chunks.iter().all(|r| r.end_ms - r.start_ms >= r.wait_ms));
    }

    #[test]
    fn engine_ids_round_trip() {
        for e in Engine::ALL {
            assert_eq!(Engine::from_id(e.id()), Some(e));
        }
        assert!(Engine::Threads.needs_shared_memory() && !Engine::Processes.needs_shared_memory());
    }
}
