//! Chunking and the work queue: how `map(workload, inputs, workers, chunksize)` hands
//! inputs to workers, with `concurrent.futures` semantics.
//!
//! Inputs are grouped into consecutive chunks of `chunksize`; each of `workers` lanes
//! pulls the next unclaimed chunk whenever it is free (dynamic scheduling, like a process
//! pool's shared work queue). Results come back in input order whatever order chunks
//! finish in. This module knows nothing of threads or time sources; engines do.

use serde::Serialize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A run of consecutive inputs that one worker processes in one go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Chunk {
    /// Position of this chunk in the plan, from 0.
    pub index: usize,
    /// Index of the chunk's first input.
    pub first: usize,
    /// Number of inputs in the chunk (at least 1).
    pub len: usize,
}

impl Chunk {
    /// The input indices this chunk covers.
    pub fn range(&self) -> Range<usize> {
        self.first..self.first + self.len
    }
}

/// Splits `input_count` inputs into chunks of `chunksize` (the last may be shorter).
///
/// `chunksize` 0 is treated as 1, as a pool would refuse it rather than loop forever.
pub fn plan_chunks(input_count: usize, chunksize: usize) -> Vec<Chunk> {
    let size = chunksize.max(1);
    (0..input_count)
        .step_by(size)
        .enumerate()
        .map(|(index, first)| Chunk { index, first, len: size.min(input_count - first) })
        .collect()
}

/// The inputs a lesson maps over: `tasks` consecutive values starting at `n`, so that
/// every task does a slightly different, checkable piece of work.
pub fn task_inputs(n: u64, tasks: usize) -> Vec<u64> {
    (0..tasks as u64).map(|i| n.wrapping_add(i)).collect()
}

/// A shared queue of chunks that lanes pull from, each chunk handed out exactly once.
#[derive(Debug)]
pub struct ChunkQueue {
    chunks: Vec<Chunk>,
    next: AtomicUsize,
}

impl ChunkQueue {
    /// A queue over the given plan.
    pub fn new(chunks: Vec<Chunk>) -> Self {
        ChunkQueue { chunks, next: AtomicUsize::new(0) }
    }

    /// Claims the next chunk, or `None` once every chunk is taken.
    pub fn pull(&self) -> Option<&Chunk> {
        self.chunks.get(self.next.fetch_add(1, Ordering::Relaxed))
    }

    /// How many chunks the plan has.
    pub fn len(&self) -> usize {
        self.chunks.len()
    }

    /// Whether the plan has no chunks at all.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }
}

/// What happened to one chunk: who ran it and when. Lessons draw timelines from these.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ChunkRecord {
    /// Position of the chunk in the plan.
    pub chunk: usize,
    /// The lane (worker) that ran it, from 0.
    pub worker: usize,
    /// Index of the chunk's first input.
    pub first: usize,
    /// Number of inputs in the chunk.
    pub len: usize,
    /// When the worker started the chunk, in ms since the run started.
    pub start_ms: f64,
    /// When the worker finished the chunk, in ms since the run started.
    pub end_ms: f64,
    /// Time inside the chunk spent waiting for a global lock (GIL engine only), in ms.
    pub wait_ms: f64,
}

/// Puts per-chunk results back into input order and checks that every input was
/// computed exactly once.
///
/// Panics if the pieces do not tile `0..input_count`: that would be a scheduler bug, and
/// a wrong answer must never be shown as a result.
pub fn assemble(input_count: usize, mut pieces: Vec<(Chunk, Vec<u64>)>) -> Vec<u64> {
    pieces.sort_by_key(|(chunk, _)| chunk.first);
    let mut results = Vec::with_capacity(input_count);
    for (chunk, values) in pieces {
        assert_eq!(chunk.first, results.len(), "chunk {} is out of place", chunk.index);
        assert_eq!(chunk.len, values.len(), "chunk {} returned the wrong count", chunk.index);
        results.extend(values);
    }
    assert_eq!(results.len(), input_count, "some inputs were never computed");
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_input_once_in_order() {
        for count in [0, 1, 7, 100, 101] {
            for size in [0, 1, 3, 50, 1000] {
                let plan = plan_chunks(count, size);
                let covered: Vec<usize> = plan.iter().flat_map(Chunk::range).collect();
                assert_eq!(covered, (0..count).collect::<Vec<_>>(), "count {count} size {size}");
                assert!(plan.iter().all(|c| c.len >= 1 && c.len <= size.max(1)));
                assert!(plan.iter().enumerate().all(|(i, c)| c.index == i));
            }
        }
    }

    #[test]
    fn chunk_count_matches_chunksize() {
        assert_eq!(plan_chunks(500, 50).len(), 10);
        assert_eq!(plan_chunks(501, 50).len(), 11);
        assert_eq!(plan_chunks(4, 1).len(), 4);
    }

    #[test]
    fn queue_hands_out_each_chunk_once() {
        let queue = ChunkQueue::new(plan_chunks(10, 3));
        let pulled: Vec<usize> = std::iter::from_fn(|| queue.pull().map(|c| c.index)).collect();
        assert_eq!(pulled, [0, 1, 2, 3]);
        assert!(queue.pull().is_none());
    }

    #[test]
    fn assemble_restores_input_order() {
        let plan = plan_chunks(5, 2);
        let mut pieces: Vec<_> = plan.iter().map(|c| (c.clone(), c.range().map(|i| i as u64).collect())).collect();
        pieces.reverse();
        assert_eq!(assemble(5, pieces), [0, 1, 2, 3, 4]);
    }

    #[test]
    #[should_panic(expected = "never computed")]
    fn assemble_refuses_missing_chunks() {
        let plan = plan_chunks(5, 2);
        let pieces = plan[..2].iter().map(|c| (c.clone(), vec![0; c.len])).collect();
        assemble(5, pieces);
    }

    #[test]
    fn task_inputs_are_consecutive() {
        assert_eq!(task_inputs(1_000_000, 3), [1_000_000, 1_000_001, 1_000_002]);
    }
}
