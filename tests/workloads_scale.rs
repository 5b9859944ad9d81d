//! The busy loops must really loop: if LLVM folded a workload into a closed form, its
//! time would stop growing with n and the lesson's "CPU-bound" task would be a lie.
//! Checked as a ratio of times, never against a wall-clock bound.

use parallel_playground::workloads::{is_prime, sum_of_squares};
use std::hint::black_box;
use std::time::Instant;

/// The fastest of several timings of `small` and of `large`, taken alternately so that a
/// busy spell on the machine slows both rather than one, in seconds.
fn fastest_pair(mut small: impl FnMut(), mut large: impl FnMut()) -> (f64, f64) {
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed().as_secs_f64()
    };
    (0..9).fold((f64::INFINITY, f64::INFINITY), |(s, l), _| (s.min(time(&mut small)), l.min(time(&mut large))))
}

/// One timing test at a time: the other would share the two cores with it.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[test]
fn sum_of_squares_time_grows_linearly_with_n() {
    let _alone = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let n = 4_000_000u64;
    let (small, large) = fastest_pair(
        || {
            black_box(sum_of_squares(black_box(n)));
        },
        || {
            black_box(sum_of_squares(black_box(8 * n)));
        },
    );
    let ratio = large / small;
    // Linear work gives about 8; a closed form gives about 1. The margin is for a
    // machine whose cores slow down now and then.
    assert!((3.0..20.0).contains(&ratio), "8x the work took {ratio:.2}x the time");
}

#[test]
fn is_prime_time_grows_with_the_square_root() {
    let _alone = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // Primes force every trial division: about 1e4 and 4e4 divisions.
    let (p_small, p_large) = (100_000_007u64, 1_600_000_009u64);
    assert!(is_prime(p_small) && is_prime(p_large));
    let (small, large) = fastest_pair(
        || {
            for _ in 0..50 {
                black_box(is_prime(black_box(p_small)));
            }
        },
        || {
            for _ in 0..50 {
                black_box(is_prime(black_box(p_large)));
            }
        },
    );
    let ratio = large / small;
    assert!((1.8..10.0).contains(&ratio), "4x the divisions took {ratio:.2}x the time");
}
