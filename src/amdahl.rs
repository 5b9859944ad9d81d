//! Amdahl's law (and Gustafson's view of it): what speedup `k` workers can give when a
//! fraction of the work is serial, and the serial fraction that best explains measured
//! speedups. Pure arithmetic; measuring is done elsewhere.
//!
//! Each law comes twice: as written (a core for every worker) and on a machine with
//! `cores` cores, where only `min(k, cores)` workers compute at once. A fit must use the
//! second, or the points past the cores, which can never rise above `cores`, read as
//! serial work.

/// Amdahl's speedup `1 / (s + (1 - s) / k)` for serial fraction `s` and `k` workers.
pub fn amdahl_speedup(serial_fraction: f64, workers: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / workers)
}

/// How many workers can compute at once: `min(workers, cores)`, at least 1.
pub fn lanes(workers: usize, cores: usize) -> usize {
    workers.min(cores).max(1)
}

/// Amdahl's speedup when only `min(workers, cores)` of the workers can compute at once.
pub fn amdahl_on_cores(serial_fraction: f64, workers: usize, cores: usize) -> f64 {
    amdahl_speedup(serial_fraction, lanes(workers, cores) as f64)
}

/// The ceiling `1 / s` that no number of workers can pass (infinite for `s = 0`).
pub fn amdahl_ceiling(serial_fraction: f64) -> f64 {
    1.0 / serial_fraction
}

/// Gustafson's scaled speedup `s + (1 - s) k`: the problem grows with the workers.
pub fn gustafson_speedup(serial_fraction: f64, workers: f64) -> f64 {
    serial_fraction + (1.0 - serial_fraction) * workers
}

/// Gustafson's scaled speedup when only `m = min(workers, cores)` workers compute at once:
/// the grown job `s + (1 - s) k` takes `s + (1 - s) k / m` of the one-worker time.
pub fn gustafson_on_cores(serial_fraction: f64, workers: usize, cores: usize) -> f64 {
    let k = workers.max(1) as f64;
    let m = lanes(workers, cores) as f64;
    gustafson_speedup(serial_fraction, k) / (serial_fraction + (1.0 - serial_fraction) * k / m)
}

/// The serial fraction in `[0, 1]` whose Amdahl curve on `cores` cores fits `(workers,
/// speedup)` points best, by least squares on `1/speedup - 1/m = s (1 - 1/m)` with
/// `m = min(workers, cores)` (pass `usize::MAX` for a core per worker).
///
/// Points where only one worker computes carry no information and are skipped; `None`
/// when nothing is left to fit or a point is not a positive finite number.
pub fn fit_serial_fraction(points: &[(usize, f64)], cores: usize) -> Option<f64> {
    let mut xy = 0.0;
    let mut xx = 0.0;
    for &(k, speedup) in points {
        if k == 0 || !(speedup.is_finite() && speedup > 0.0) {
            return None;
        }
        let m = lanes(k, cores) as f64;
        let x = 1.0 - 1.0 / m;
        if x <= 0.0 {
            continue;
        }
        xy += x * (1.0 / speedup - 1.0 / m);
        xx += x * x;
    }
    (xx > 0.0).then(|| (xy / xx).clamp(0.0, 1.0))
}

/// A measured speedup with the range its runs allow.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasuredSpeedup {
    /// Workers used.
    pub workers: usize,
    /// The ratio of medians.
    pub speedup: f64,
    /// The slowest reading (slowest run against fastest baseline).
    pub low: f64,
    /// The fastest reading.
    pub high: f64,
}

/// A fitted serial fraction and the range the runs' spread leaves it in.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct SerialFit {
    /// The fit to the medians.
    pub serial_fraction: f64,
    /// The fit to every point's fastest reading.
    pub low: f64,
    /// The fit to every point's slowest reading.
    pub high: f64,
}

impl SerialFit {
    /// How wide the range is: what the points leave undecided.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// [`fit_serial_fraction`] to the medians, with the range from fitting the slowest and the
/// fastest readings; `None` when no point has two workers computing at once.
pub fn fit_serial_range(points: &[MeasuredSpeedup], cores: usize) -> Option<SerialFit> {
    let fit = |pick: fn(&MeasuredSpeedup) -> f64| fit_serial_fraction(&points.iter().map(|p| (p.workers, pick(p))).collect::<Vec<_>>(), cores);
    let serial_fraction = fit(|p| p.speedup)?;
    let (a, b) = (fit(|p| p.high)?, fit(|p| p.low)?);
    Some(SerialFit { serial_fraction, low: a.min(serial_fraction), high: b.max(serial_fraction) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_percent_serial_caps_at_five() {
        assert!((amdahl_ceiling(0.2) - 5.0).abs() < 1e-12);
        assert!(amdahl_speedup(0.2, 1e9) < 5.0);
        assert!((amdahl_speedup(0.2, 4.0) - 2.5).abs() < 1e-12);
        assert_eq!(amdahl_speedup(0.0, 8.0), 8.0);
    }

    #[test]
    fn on_cores_counts_only_the_lanes() {
        assert_eq!(amdahl_on_cores(0.0, 8, 2), 2.0);
        assert_eq!(amdahl_on_cores(0.5, 1, 4), 1.0);
        assert!((amdahl_on_cores(0.2, 1_000_000, 1_000_000) - 5.0).abs() < 1e-4);
    }

    #[test]
    fn gustafson_grows_without_ceiling() {
        assert!((gustafson_speedup(0.2, 10.0) - 8.2).abs() < 1e-12);
    }

    #[test]
    fn gustafson_on_cores_stops_growing_past_them() {
        assert!((gustafson_on_cores(0.2, 2, 4) - gustafson_speedup(0.2, 2.0)).abs() < 1e-12);
        // 4 workers on 2 cores: the grown job 3.4 takes 0.2 + 0.8 * 2 = 1.8 of the time.
        assert!((gustafson_on_cores(0.2, 4, 2) - 3.4 / 1.8).abs() < 1e-12);
        assert!(gustafson_on_cores(0.2, 64, 2) < 2.0);
    }

    #[test]
    fn fit_recovers_a_known_fraction() {
        let points: Vec<_> = [1, 2, 4, 8].iter().map(|&k| (k, amdahl_speedup(0.15, k as f64))).collect();
        assert!((fit_serial_fraction(&points, usize::MAX).unwrap() - 0.15).abs() < 1e-9);
    }

    #[test]
    fn the_fit_on_two_cores_is_not_pulled_by_oversubscribed_points() {
        // Lesson 6 on 2 cores: k = 3 and 4 measure what k = 2 does.
        let points: Vec<_> = (1..=4).map(|k| (k, amdahl_on_cores(0.2, k, 2))).collect();
        assert!((fit_serial_fraction(&points, 2).unwrap() - 0.2).abs() < 1e-9);
        let as_if_four_cores = fit_serial_fraction(&points, usize::MAX).unwrap();
        assert!(as_if_four_cores > 0.35, "the model without cores reads the flat tail as serial: {as_if_four_cores}");
    }

    #[test]
    fn the_range_comes_from_the_runs() {
        let at = |k: usize, x: f64, spread: f64| MeasuredSpeedup { workers: k, speedup: x, low: x * (1.0 - spread), high: x * (1.0 + spread) };
        let tight: Vec<_> = (1..=4).map(|k| at(k, amdahl_on_cores(0.2, k, 2), 0.01)).collect();
        let fit = fit_serial_range(&tight, 2).unwrap();
        assert!(fit.low < 0.2 && 0.2 < fit.high && fit.width() < 0.05, "{fit:?}");
        let loose: Vec<_> = (1..=4).map(|k| at(k, amdahl_on_cores(0.2, k, 2), 0.3)).collect();
        assert!(fit_serial_range(&loose, 2).unwrap().width() > 0.3);
        assert_eq!(fit_serial_range(&[at(1, 1.0, 0.1), at(4, 1.0, 0.1)], 1), None, "one core: nothing runs at once");
    }

    #[test]
    fn fit_refuses_empty_or_bad_points() {
        assert_eq!(fit_serial_fraction(&[], 2), None);
        assert_eq!(fit_serial_fraction(&[(1, 1.0)], 2), None);
        assert_eq!(fit_serial_fraction(&[(2, f64::NAN)], 2), None);
        assert_eq!(fit_serial_fraction(&[(2, 4.0)], 2), Some(0.0)); // superlinear clamps
    }
}
