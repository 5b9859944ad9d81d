//! Amdahl's law (and Gustafson's view of it): what speedup `k` workers can give when a
//! fraction of the work is serial, and the serial fraction that best explains measured
//! speedups. Pure arithmetic; measuring is done elsewhere.

/// Amdahl's speedup `1 / (s + (1 - s) / k)` for serial fraction `s` and `k` workers.
pub fn amdahl_speedup(serial_fraction: f64, workers: f64) -> f64 {
    1.0 / (serial_fraction + (1.0 - serial_fraction) / workers)
}

/// Amdahl's speedup when only `min(workers, cores)` of the workers can compute at once.
pub fn amdahl_on_cores(serial_fraction: f64, workers: usize, cores: usize) -> f64 {
    amdahl_speedup(serial_fraction, workers.min(cores).max(1) as f64)
}

/// The ceiling `1 / s` that no number of workers can pass (infinite for `s = 0`).
pub fn amdahl_ceiling(serial_fraction: f64) -> f64 {
    1.0 / serial_fraction
}

/// Gustafson's scaled speedup `s + (1 - s) k`: the problem grows with the workers.
pub fn gustafson_speedup(serial_fraction: f64, workers: f64) -> f64 {
    serial_fraction + (1.0 - serial_fraction) * workers
}

/// The serial fraction in `[0, 1]` whose Amdahl curve fits `(workers, speedup)` points
/// best, by least squares on `1/speedup - 1/k = s (1 - 1/k)`.
///
/// Points with one worker carry no information and are skipped; `None` when nothing is
/// left to fit or a point is not a positive finite number.
pub fn fit_serial_fraction(points: &[(f64, f64)]) -> Option<f64> {
    let mut xy = 0.0;
    let mut xx = 0.0;
    for &(k, speedup) in points {
        if !(k.is_finite() && speedup.is_finite() && k > 0.0 && speedup > 0.0) {
            return None;
        }
        let x = 1.0 - 1.0 / k;
        if x <= 0.0 {
            continue;
        }
        xy += x * (1.0 / speedup - 1.0 / k);
        xx += x * x;
    }
    (xx > 0.0).then(|| (xy / xx).clamp(0.0, 1.0))
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
    fn fit_recovers_a_known_fraction() {
        let points: Vec<_> = [1.0, 2.0, 4.0, 8.0].iter().map(|&k| (k, amdahl_speedup(0.15, k))).collect();
        assert!((fit_serial_fraction(&points).unwrap() - 0.15).abs() < 1e-9);
    }

    #[test]
    fn fit_refuses_empty_or_bad_points() {
        assert_eq!(fit_serial_fraction(&[]), None);
        assert_eq!(fit_serial_fraction(&[(1.0, 1.0)]), None);
        assert_eq!(fit_serial_fraction(&[(2.0, f64::NAN)]), None);
        assert_eq!(fit_serial_fraction(&[(2.0, 4.0)]), Some(0.0)); // superlinear clamps
    }
}
