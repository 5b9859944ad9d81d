//! The lesson's workloads: named, top-level functions doing real CPU work.
//!
//! Every engine runs exactly these functions, so a result computed in parallel can be
//! compared bit for bit with the sequential one. This module is not for scheduling or
//! timing; see [`crate::scheduling`] and [`crate::measurement`].

use serde::{Deserialize, Serialize};

/// How many loop iterations [`Workload::apply_sliced`] runs between two calls of its
/// `between` hook: small enough to hand a lock over within microseconds, large enough
/// that the hook's cost (a clock read) stays invisible.
pub const SLICE_ITERATIONS: u64 = 1 << 14;

/// One of the functions a learner can map over inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Workload {
    /// The lesson's busy loop: the wrapping sum of `i * i` for `i` in `0..n`.
    SumOfSquares,
    /// Trial division; the result is 1 for a prime and 0 otherwise.
    IsPrime,
    /// `x * x`: so cheap that shipping it to a worker costs more than computing it.
    Square,
}

impl Workload {
    /// Every workload, in the order the page lists them.
    pub const ALL: [Workload; 3] = [Workload::SumOfSquares, Workload::IsPrime, Workload::Square];

    /// The identifier used in configurations and URLs.
    pub fn id(self) -> &'static str {
        match self {
            Workload::SumOfSquares => "sum_of_squares",
            Workload::IsPrime => "is_prime",
            Workload::Square => "square",
        }
    }

    /// Looks a workload up by its identifier.
    pub fn from_id(id: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.id() == id)
    }

    /// Computes the workload for one input.
    pub fn apply(self, input: u64) -> u64 {
        match self {
            Workload::SumOfSquares => sum_of_squares(input),
            Workload::IsPrime => u64::from(is_prime(input)),
            Workload::Square => square(input),
        }
    }

    /// Computes the same value as [`Workload::apply`], calling `between` every
    /// [`SLICE_ITERATIONS`] iterations so that a caller can, for example, hand over a
    /// global lock mid-task the way CPython's interpreter does.
    pub fn apply_sliced(self, input: u64, between: &mut dyn FnMut()) -> u64 {
        match self {
            Workload::SumOfSquares => {
                let mut total = 0u64;
                let mut start = 0u64;
                while start < input {
                    let end = start.saturating_add(SLICE_ITERATIONS).min(input);
                    total = total.wrapping_add(sum_of_squares_range(start, end));
                    start = end;
                    between();
                }
                total
            }
            Workload::IsPrime => {
                if input < 2 {
                    return 0;
                }
                let mut divisor = 2u64;
                loop {
                    match trial_divide(input, divisor, SLICE_ITERATIONS) {
                        Division::Composite => return 0,
                        Division::Prime => return 1,
                        Division::Undecided(next) => divisor = next,
                    }
                    between();
                }
            }
            Workload::Square => square(input),
        }
    }
}

/// The wrapping sum of `i * i` for `i` in `0..n`: the lesson's `cpu_task`.
pub fn sum_of_squares(n: u64) -> u64 {
    sum_of_squares_range(0, n)
}

/// The wrapping sum of `i * i` for `i` in `start..end`.
pub fn sum_of_squares_range(start: u64, end: u64) -> u64 {
    // A step LLVM cannot see through keeps it from replacing the loop with the cubic
    // closed form, which would make the "CPU-bound" task take no time at all. It is
    // always 1.
    let step = std::hint::black_box(1u64);
    // Four running sums, each pass of the loop adding the next four squares: the same
    // additions in another order (wrapping addition is associative and commutative, so
    // the result is identical). Native code and wasm get the same source; the pass matters
    // most to wasm, where every loop-back also costs V8 an interrupt check, which four
    // iterations now share instead of paying one each.
    let stride = 4 * step;
    let mut sums = [0u64; 4];
    let mut i = start;
    while i < end && end - i >= stride {
        for (lane, sum) in sums.iter_mut().enumerate() {
            let x = i + lane as u64 * step;
            *sum = sum.wrapping_add(x.wrapping_mul(x));
        }
        i += stride;
    }
    let mut total = sums.iter().fold(0u64, |a, &b| a.wrapping_add(b));
    while i < end {
        total = total.wrapping_add(i.wrapping_mul(i));
        i += step;
    }
    total
}

/// Whether `n` is prime, by trial division up to its square root.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    matches!(trial_divide(n, 2, u64::MAX), Division::Prime)
}

/// `x * x`, wrapping.
pub fn square(x: u64) -> u64 {
    x.wrapping_mul(x)
}

enum Division {
    Composite,
    Prime,
    Undecided(u64),
}

/// Tries at most `budget` divisors of `n` from `first`; `n` must be at least 2.
fn trial_divide(n: u64, first: u64, budget: u64) -> Division {
    let mut divisor = first;
    let mut tried = 0u64;
    // `divisor <= n / divisor` is `divisor * divisor <= n` without overflow.
    while divisor <= n / divisor {
        if tried == budget {
            return Division::Undecided(divisor);
        }
        if n % divisor == 0 {
            return Division::Composite;
        }
        divisor += 1;
        tried += 1;
    }
    Division::Prime
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sum_of_squares_known_values() {
        assert_eq!(sum_of_squares(0), 0);
        assert_eq!(sum_of_squares(1), 0);
        assert_eq!(sum_of_squares(4), 1 + 4 + 9);
        // (n-1) n (2n-1) / 6 for n = 10_000, well below wrapping.
        assert_eq!(sum_of_squares(10_000), 9_999 * 10_000 * 19_999 / 6);
    }

    #[test]
    fn every_range_matches_the_one_at_a_time_sum() {
        // Ranges of every length around the four-at-a-time pass, from several starts.
        let exact = |a: u64, b: u64| (a..b).fold(0u64, |t, i| t.wrapping_add(i.wrapping_mul(i)));
        for start in [0, 1, 5, 1 << 33] {
            for len in 0..11 {
                assert_eq!(sum_of_squares_range(start, start + len), exact(start, start + len), "{start}..+{len}");
            }
        }
        assert_eq!(sum_of_squares_range(10, 3), 0, "an empty range");
    }

    #[test]
    fn sum_of_squares_wraps_like_u64() {
        let n = 3_000_000u64;
        let exact: u128 = (n as u128 - 1) * n as u128 * (2 * n as u128 - 1) / 6;
        assert_eq!(sum_of_squares(n), exact as u64);
    }

    #[test]
    fn primes_by_trial_division() {
        let primes: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
        assert!(is_prime(1_000_003));
        assert!(!is_prime(1_000_001));
        assert!(is_prime(4_294_967_291)); // largest prime below 2^32
        assert!(!is_prime(u64::MAX));
    }

    #[test]
    fn sliced_equals_plain() {
        for w in Workload::ALL {
            for input in [0, 1, 2, 97, 1_000_003, 1_000_001, 100_000, 65_537 * 65_521] {
                let mut calls = 0;
                assert_eq!(w.apply_sliced(input, &mut || calls += 1), w.apply(input), "{w:?}({input})");
            }
        }
    }

    #[test]
    fn ids_round_trip() {
        for w in Workload::ALL {
            assert_eq!(Workload::from_id(w.id()), Some(w));
        }
        assert_eq!(Workload::from_id("lambda"), None);
    }
}
