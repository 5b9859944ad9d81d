//! "Share results, not state": several workers count items into one total, three ways.
//!
//! - [`Strategy::RacyIncrement`]: read the shared counter, add one, write it back, as two
//!   separate atomic operations. Defined behaviour, but another worker can write in
//!   between, so updates are lost: the classic race.
//! - [`Strategy::AtomicIncrement`]: one indivisible `fetch_add` per item. Correct, but every
//!   worker fights over the same cache line.
//! - [`Strategy::ReturnAndCombine`]: each worker counts privately and returns its count;
//!   the totals are added at the end. Correct and fastest, and the lesson's advice.

use crate::engines::Clock;
use serde::Serialize;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// How workers combine their counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Separate atomic load and store: loses updates under contention.
    RacyIncrement,
    /// One atomic read-modify-write per item: right, but contended.
    AtomicIncrement,
    /// Private counts returned and summed: right and uncontended.
    ReturnAndCombine,
}

impl Strategy {
    /// Every strategy, in the order the lesson shows them.
    pub const ALL: [Strategy; 3] = [Strategy::RacyIncrement, Strategy::AtomicIncrement, Strategy::ReturnAndCombine];

    /// The identifier used by the page.
    pub fn id(self) -> &'static str {
        match self {
            Strategy::RacyIncrement => "racy_increment",
            Strategy::AtomicIncrement => "atomic_increment",
            Strategy::ReturnAndCombine => "return_and_combine",
        }
    }

    /// Looks a strategy up by its identifier.
    pub fn from_id(id: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// What a counting run ended with.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountOutcome {
    /// The strategy used.
    pub strategy: Strategy,
    /// `workers * increments_per_worker`: what a correct count gives.
    pub expected: u64,
    /// What the counter said at the end.
    pub counted: u64,
    /// `expected - counted`: increments overwritten by another worker.
    pub lost: u64,
    /// Wall time of the whole run, in ms.
    pub ms: f64,
}

/// Lets `workers` rayon lanes each count `increments_per_worker` items with `strategy`.
pub fn count(strategy: Strategy, workers: usize, increments_per_worker: u64, clock: Clock) -> CountOutcome {
    let shared = AtomicU64::new(0);
    let partials = Mutex::new(Vec::with_capacity(workers));
    let started = clock();
    rayon::scope(|scope| {
        for _ in 0..workers.max(1) {
            let (shared, partials) = (&shared, &partials);
            scope.spawn(move |_| match strategy {
                Strategy::RacyIncrement => {
                    for _ in 0..increments_per_worker {
                        let seen = shared.load(Ordering::Relaxed);
                        shared.store(black_box(seen) + 1, Ordering::Relaxed);
                    }
                }
                Strategy::AtomicIncrement => {
                    for _ in 0..increments_per_worker {
                        shared.fetch_add(black_box(1), Ordering::Relaxed);
                    }
                }
                Strategy::ReturnAndCombine => {
                    let mut mine = 0u64;
                    for _ in 0..increments_per_worker {
                        // `black_box` keeps this a real loop, as the other two are.
                        mine = black_box(mine) + 1;
                    }
                    partials.lock().unwrap_or_else(|e| e.into_inner()).push(mine);
                }
            });
        }
    });
    let counted = match strategy {
        Strategy::ReturnAndCombine => partials.into_inner().unwrap_or_else(|e| e.into_inner()).iter().sum(),
        _ => shared.load(Ordering::SeqCst),
    };
    let expected = workers.max(1) as u64 * increments_per_worker;
    CountOutcome { strategy, expected, counted, lost: expected - counted.min(expected), ms: clock() - started }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn correct_strategies_count_everything() {
        for strategy in [Strategy::AtomicIncrement, Strategy::ReturnAndCombine] {
            let outcome = count(strategy, 4, 100_000, clock);
            assert_eq!((outcome.counted, outcome.lost, outcome.expected), (400_000, 0, 400_000), "{strategy:?}");
        }
    }

    #[test]
    fn racy_increments_never_overcount() {
        let outcome = count(Strategy::RacyIncrement, 4, 200_000, clock);
        assert!(outcome.counted <= outcome.expected);
        assert_eq!(outcome.lost, outcome.expected - outcome.counted);
        // One worker has nobody to race with.
        let alone = count(Strategy::RacyIncrement, 1, 200_000, clock);
        assert_eq!(alone.lost, 0);
    }

    #[test]
    fn ids_round_trip() {
        for s in Strategy::ALL {
            assert_eq!(Strategy::from_id(s.id()), Some(s));
        }
    }
}
