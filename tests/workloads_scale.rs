//! The busy loops must really loop: if LLVM folded a workload into a closed form, its
//! time would stop growing with n and the lesson's "CPU-bound" task would be a lie.
//! Checked as a ratio of times, never against a wall-clock bound.

use parallel_playground::workloads::{is_prime, sum_of_squares};
use std::hint::black_box;
use std::time::Instant;

/// The fastest of several timings of `f`, in seconds.
fn fastest(mut f: impl FnMut()) -> f64 {
    (0..7)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn sum_of_squares_time_grows_linearly_with_n() {
    let n = 4_000_000u64;
    let small = fastest(|| {
        black_box(sum_of_squares(black_box(n)));
    });
    let large = fastest(|| {
        black_box(sum_of_squares(black_box(8 * n)));
    });
    let ratio = large / small;
    // Linear work gives about 8; a closed form gives about 1.
    assert!((4.0..16.0).contains(&ratio), "8x the work took {ratio:.2}x the time");
}

#[test]
fn is_prime_time_grows_with_the_square_root() {
    // Primes force every trial division: about 1e4 and 4e4 divisions.
    let (p_small, p_large) = (100_000_007u64, 1_600_000_009u64);
    assert!(is_prime(p_small) && is_prime(p_large));
    let small = fastest(|| {
        for _ in 0..50 {
            black_box(is_prime(black_box(p_small)));
        }
    });
    let large = fastest(|| {
        for _ in 0..50 {
            black_box(is_prime(black_box(p_large)));
        }
    });
    let ratio = large / small;
    assert!((2.0..8.0).contains(&ratio), "4x the divisions took {ratio:.2}x the time");
}
