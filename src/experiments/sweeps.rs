//! The plans of the sweeps: which chunk sizes and which payload sizes a sweep measures,
//! and the chunk sizes a learner can choose from. Pure arithmetic on the checked
//! settings, so the driver worker runs exactly the plan computed here and the report can
//! say why each point is there. Measuring is done by the driver; this module runs nothing.

use serde::Serialize;

/// The ×3 ladder of chunk sizes a chunk sweep climbs, up to one chunk per worker.
const CHUNK_LADDER: [usize; 10] = [1, 3, 10, 30, 100, 300, 1_000, 3_000, 10_000, 30_000];

/// The chunk sizes a sweep over `tasks` inputs on `workers` lanes measures, ascending and
/// without repeats:
///
/// - the ladder below one chunk per worker, where the per-chunk fee shows;
/// - `ceil(tasks / workers)`, one chunk per worker: every worker busy, fewest messages;
/// - `tasks`, one chunk: all the work on one worker, the other extreme;
/// - `chosen`, the learner's own size, clamped into `1..=tasks`.
pub fn chunk_sizes(tasks: usize, workers: usize, chosen: usize) -> Vec<usize> {
    let tasks = tasks.max(1);
    let per_worker = tasks.div_ceil(workers.max(1));
    let mut sizes: Vec<usize> = CHUNK_LADDER.into_iter().filter(|&size| size < per_worker).collect();
    sizes.extend([per_worker, tasks, chosen.clamp(1, tasks)]);
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

/// The steps of one decade of choosable chunk sizes (in tenths of the decade's power of
/// ten): about ×1.5–2 apart, so a log-scale slider moves evenly.
const CHUNK_STEPS: [usize; 6] = [10, 15, 20, 30, 50, 70];

/// The chunk sizes a learner can choose for `tasks` inputs: 1, 2, 3, 5, 7, 10, 15, 20, …
/// below `tasks`, then `tasks` itself (one chunk: no chunk holds more than every input).
pub fn chunk_choices(tasks: usize) -> Vec<usize> {
    let tasks = tasks.max(1);
    let decades = std::iter::successors(Some(1usize), |p| p.checked_mul(10)).take_while(|&p| p < tasks);
    let mut sizes: Vec<usize> = decades.flat_map(|p| CHUNK_STEPS.into_iter().filter(move |s| s * p % 10 == 0).map(move |s| s * p / 10)).filter(|&s| s < tasks).collect();
    sizes.push(tasks);
    sizes.dedup();
    sizes
}

/// What a chunk sweep with these settings would do, before anything runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ChunkPlan {
    /// Inputs per map.
    pub tasks: usize,
    /// The chosen chunk size, clamped into `1..=tasks`.
    pub chunksize: usize,
    /// How many chunks it makes: `ceil(tasks / chunksize)`.
    pub chunks: usize,
    /// The sizes a sweep measures ([`chunk_sizes`]).
    pub sizes: Vec<usize>,
    /// The sizes a learner can choose ([`chunk_choices`]).
    pub choices: Vec<usize>,
}

/// The plan for `tasks` inputs on `workers` lanes at the `chosen` chunk size.
pub fn chunk_plan(tasks: usize, workers: usize, chosen: usize) -> ChunkPlan {
    let tasks = tasks.max(1);
    let chunksize = chosen.clamp(1, tasks);
    ChunkPlan { tasks, chunksize, chunks: tasks.div_ceil(chunksize), sizes: chunk_sizes(tasks, workers, chosen), choices: chunk_choices(tasks) }
}

/// The payload sizes a sweep up to `up_to` bytes measures: 1 kB, 10 kB, … below it, and
/// `up_to` itself, so each step is ten times the bytes of the one before.
pub fn payload_sizes(up_to: u64) -> Vec<u64> {
    let mut sizes: Vec<u64> = std::iter::successors(Some(1_000u64), |b| b.checked_mul(10)).take_while(|&b| b < up_to).collect();
    sizes.push(up_to);
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sweeps_climb_to_one_chunk_per_worker_then_one_chunk() {
        assert_eq!(chunk_sizes(10_000, 2, 10), [1, 3, 10, 30, 100, 300, 1000, 3000, 5000, 10_000]);
        // The learner's size joins the plan where it falls.
        assert_eq!(chunk_sizes(1000, 4, 7), [1, 3, 7, 10, 30, 100, 250, 1000]);
        // A chosen size past all the inputs is one chunk, already in the plan.
        assert_eq!(chunk_sizes(20, 1, 500), [1, 3, 10, 20]);
    }

    #[test]
    fn chunk_sweeps_survive_odd_settings() {
        assert_eq!(chunk_sizes(1, 8, 1), [1]);
        assert_eq!(chunk_sizes(5, 0, 0), [1, 3, 5]);
        assert_eq!(chunk_sizes(0, 2, 3), [1]);
        for (tasks, workers) in [(7, 3), (100_000, 32), (9, 9)] {
            let sizes = chunk_sizes(tasks, workers, 2);
            assert!(sizes.windows(2).all(|w| w[0] < w[1]), "{sizes:?}");
            assert_eq!(sizes.last(), Some(&tasks));
            assert!(sizes.contains(&tasks.div_ceil(workers)));
        }
    }

    #[test]
    fn the_choices_step_through_each_decade_up_to_one_chunk() {
        assert_eq!(chunk_choices(100), [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100]);
        assert_eq!(chunk_choices(2000)[..], [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000]);
        assert_eq!(chunk_choices(1000).last(), Some(&1000));
        assert_eq!(chunk_choices(12), [1, 2, 3, 5, 7, 10, 12]);
        assert_eq!(chunk_choices(1), [1]);
        assert_eq!(chunk_choices(0), [1]);
    }

    #[test]
    fn a_plan_counts_the_chunks_of_the_chosen_size() {
        let counts = |tasks, chunksize| chunk_plan(tasks, 2, chunksize).chunks;
        assert_eq!([counts(500, 50), counts(501, 50), counts(4, 1), counts(1000, 5000)], [10, 11, 4, 1]);
        let plan = chunk_plan(5000, 2, 7);
        assert_eq!(plan.sizes, [1, 3, 7, 10, 30, 100, 300, 1000, 2500, 5000]);
        assert_eq!((plan.tasks, plan.chunksize, plan.choices.last()), (5000, 7, Some(&5000)));
        assert_eq!(chunk_plan(1000, 2, 10_000).chunksize, 1000);
    }

    #[test]
    fn payload_sweeps_go_up_by_ten() {
        assert_eq!(payload_sizes(10_000_000), [1_000, 10_000, 100_000, 1_000_000, 10_000_000]);
        assert_eq!(payload_sizes(256_000_000), [1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 256_000_000]);
        assert_eq!(payload_sizes(5_000), [1_000, 5_000]);
        assert_eq!(payload_sizes(1_000), [1_000]);
    }
}
