//! Measurement: summaries of repeated timings and the checksum that proves a parallel
//! result equals the sequential one.
//!
//! This module does not time anything itself (the caller owns the clock and decides
//! which runs are warm-up); it only turns samples into honest numbers.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Median, extremes and mean of a set of timings, in the samples' unit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// How many samples were summarised.
    pub count: usize,
    /// The middle sample (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The fastest sample.
    pub min: f64,
    /// The slowest sample: never dropped, however slow.
    pub max: f64,
    /// The arithmetic mean.
    pub mean: f64,
}

/// Summarises samples; `None` when there are none or any is not a finite number.
pub fn summarize(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() || samples.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 { sorted[mid] } else { (sorted[mid - 1] + sorted[mid]) / 2.0 };
    Some(Summary {
        count: sorted.len(),
        median,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
        mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
    })
}

/// One timed run of an experiment, as the driver recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// How long the run took, in ms.
    pub ms: f64,
    /// Whether it was an untimed warm-up run (left out of the usual summary).
    #[serde(default)]
    pub warmup: bool,
}

/// Summarises the timed runs, or every run (warm-ups included) with `include_warmup`;
/// `None` when no run qualifies.
pub fn summarize_runs(runs: &[Run], include_warmup: bool) -> Option<Summary> {
    let samples: Vec<f64> = runs.iter().filter(|r| include_warmup || !r.warmup).map(|r| r.ms).collect();
    summarize(&samples)
}

/// A speedup over a baseline: the ratio of medians, and the lowest and highest ratio
/// any pairing of one baseline run with one measured run could give.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeedupRange {
    /// Baseline median over measured median.
    pub speedup: f64,
    /// Fastest baseline run over slowest measured run.
    pub low: f64,
    /// Slowest baseline run over fastest measured run.
    pub high: f64,
}

/// The speedup of `measured` over `baseline`; `None` if any time is not positive.
pub fn speedup_between(baseline: &Summary, measured: &Summary) -> Option<SpeedupRange> {
    let times = [baseline.median, baseline.min, baseline.max, measured.median, measured.min, measured.max];
    if times.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
        return None;
    }
    Some(SpeedupRange { speedup: baseline.median / measured.median, low: baseline.min / measured.max, high: baseline.max / measured.min })
}

/// An order-sensitive fingerprint of a result list: equal lists give equal checksums,
/// and swapping two different results changes it.
pub fn checksum(results: &[u64]) -> u64 {
    // FNV-1a over the little-endian bytes: simple, order-sensitive, no dependency.
    results.iter().flat_map(|r| r.to_le_bytes()).fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A parallel result that differs from the sequential one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChecksumMismatch {
    /// The engine whose result was wrong.
    pub engine: String,
    /// The sequential checksum.
    pub expected: u64,
    /// The engine's checksum.
    pub actual: u64,
}

impl fmt::Display for ChecksumMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} engine's results differ from the sequential results (checksum {:016x}, expected {:016x}); no timing is shown for a wrong answer",
            self.engine, self.actual, self.expected
        )
    }
}

impl std::error::Error for ChecksumMismatch {}

/// Checks an engine's checksum against the sequential one.
pub fn verify(engine: &str, expected: u64, actual: u64) -> Result<(), ChecksumMismatch> {
    if expected == actual {
        Ok(())
    } else {
        Err(ChecksumMismatch { engine: engine.to_owned(), expected, actual })
    }
}


/// A straight line `y = slope * x + intercept`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Line {
    /// Change in y per unit of x: for time against chunk count, the cost of one chunk.
    pub slope: f64,
    /// y at x = 0: for time against chunk count, the cost of the work itself.
    pub intercept: f64,
}

/// The least-squares line through `(x, y)` points; `None` with fewer than two distinct
/// x values or any non-finite number.
pub fn fit_line(points: &[(f64, f64)]) -> Option<Line> {
    if points.iter().any(|(x, y)| !x.is_finite() || !y.is_finite()) {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if points.len() < 2 || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(Line { slope, intercept: mean_y - slope * mean_x })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_odd_and_even_counts() {
        let s = summarize(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((s.count, s.median, s.min, s.max, s.mean), (3, 3.0, 1.0, 5.0, 3.0));
        let s = summarize(&[4.0, 1.0, 3.0, 100.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.5, 1.0, 100.0));
    }

    #[test]
    fn summary_refuses_nothing_and_nonsense() {
        assert_eq!(summarize(&[]), None);
        assert_eq!(summarize(&[1.0, f64::NAN]), None);
        assert_eq!(summarize(&[f64::INFINITY]), None);
    }

    #[test]
    fn checksum_sees_order_and_values() {
        assert_eq!(checksum(&[1, 2, 3]), checksum(&[1, 2, 3]));
        assert_ne!(checksum(&[1, 2, 3]), checksum(&[2, 1, 3]));
        assert_ne!(checksum(&[1, 2, 3]), checksum(&[1, 2, 4]));
        assert_ne!(checksum(&[]), checksum(&[0]));
    }

    #[test]
    fn line_through_exact_points() {
        let line = fit_line(&[(1.0, 12.0), (2.0, 14.0), (4.0, 18.0)]).unwrap();
        assert!((line.slope - 2.0).abs() < 1e-12 && (line.intercept - 10.0).abs() < 1e-12);
        assert_eq!(fit_line(&[(1.0, 1.0)]), None);
        assert_eq!(fit_line(&[(1.0, 1.0), (1.0, 2.0)]), None);
        assert_eq!(fit_line(&[(1.0, 1.0), (2.0, f64::NAN)]), None);
    }

    #[test]
    fn runs_with_and_without_warmup() {
        let runs = [Run { ms: 90.0, warmup: true }, Run { ms: 10.0, warmup: false }, Run { ms: 12.0, warmup: false }];
        assert_eq!(summarize_runs(&runs, false).unwrap().max, 12.0);
        assert_eq!(summarize_runs(&runs, true).unwrap().max, 90.0);
        assert_eq!(summarize_runs(&runs[..1], false), None);
    }

    #[test]
    fn paired_speedup_range() {
        let base = summarize(&[90.0, 100.0, 120.0]).unwrap();
        let fast = summarize(&[45.0, 50.0, 60.0]).unwrap();
        let range = speedup_between(&base, &fast).unwrap();
        assert_eq!((range.speedup, range.low, range.high), (2.0, 1.5, 120.0 / 45.0));
        let zero = Summary { median: 0.0, ..fast };
        assert_eq!(speedup_between(&base, &zero), None);
    }

    #[test]
    fn mismatch_is_an_error_with_a_message() {
        assert!(verify("threads", 7, 7).is_ok());
        let err = verify("processes", 7, 8).unwrap_err();
        assert!(err.to_string().contains("processes engine's results differ"));
    }
}
