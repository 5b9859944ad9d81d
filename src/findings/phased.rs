//! Amdahl's law measured (lesson 6): a job with a serial part, run with 1, 2, … k
//! workers, against Amdahl's prediction (or Gustafson's, when the job grows with the
//! workers) and the serial fraction fitted to the points; and [`predict`], what the laws
//! say for a serial fraction before anything is measured.

use super::thresholds::*;
use crate::amdahl::{amdahl_ceiling, amdahl_speedup, fit_serial_fraction, gustafson_speedup};
use crate::measurement::{summarize, Summary};
use crate::timeline::Span;
use serde::{Deserialize, Serialize};

/// The job's serial fraction and whether it grows with the workers: what a sweep is run
/// with, a prediction asked for with, and both report.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Law {
    /// The serial fraction built into the job.
    pub serial_fraction: f64,
    /// Whether the job grows with the workers.
    pub gustafson: bool,
}

impl Law {
    /// Amdahl's ceiling `1 / s` for a fixed-size job; `None` when nothing is serial.
    pub fn ceiling(&self) -> Option<f64> {
        Some(amdahl_ceiling(self.serial_fraction)).filter(|c| c.is_finite())
    }
}

/// What the driver measured.
#[derive(Clone, Debug, Deserialize)]
pub struct PhasedRaw {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// Cores the browser reports.
    pub cores: usize,
    /// One point per worker count, ascending.
    pub points: Vec<PointRaw>,
    /// The last run's chunk records (serial part first).
    #[serde(default)]
    pub timeline: Vec<Span>,
}

/// One worker count.
#[derive(Clone, Debug, Deserialize)]
pub struct PointRaw {
    /// Workers used.
    pub workers: usize,
    /// Loop iterations in the job at this k.
    pub total: u64,
    /// Timed runs of the plain loop over the same job, in ms.
    pub sequential: Vec<f64>,
    /// Timed runs of the two-part job, in ms.
    pub parallel: Vec<f64>,
    /// The last run's serial part, in ms.
    pub serial_ms: f64,
    /// The last run's parallel part, in ms.
    pub parallel_ms: f64,
}

/// The finished sweep.
#[derive(Clone, Debug, Serialize)]
pub struct PhasedReport {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// `1 / s` (infinite, serialised as null, for s = 0).
    pub ceiling: Option<f64>,
    /// Cores the browser reports.
    pub cores: usize,
    /// One point per worker count.
    pub points: Vec<Point>,
    /// The serial fraction fitted to the measured speedups (Amdahl only).
    pub fitted_serial_fraction: Option<f64>,
    /// The last run's chunk records.
    pub timeline: Vec<Span>,
    /// Every parallel result was checked against the plain loop.
    pub verified: bool,
    /// What the sweep says.
    pub findings: Vec<Finding>,
}

/// One point, summarised.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// Workers used.
    pub workers: usize,
    /// Loop iterations.
    pub total: u64,
    /// The plain loop.
    pub sequential: Summary,
    /// The two-part job.
    pub parallel: Summary,
    /// Ratio of medians.
    pub speedup: f64,
    /// Fastest loop over slowest job.
    pub speedup_min: f64,
    /// Slowest loop over fastest job.
    pub speedup_max: f64,
    /// Amdahl's (or Gustafson's) prediction.
    pub predicted: f64,
    /// Amdahl's curve for the fitted serial fraction at this k, when there is a fit.
    pub fitted: Option<f64>,
    /// The last run's serial part, in ms.
    pub serial_ms: f64,
    /// The last run's parallel part, in ms.
    pub parallel_ms: f64,
}

/// What the law says before any measurement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LawVerdict {
    /// The job grows: no ceiling.
    Gustafson,
    /// A ceiling of `1 / s`.
    Ceiling,
    /// Nothing serial: only the cores limit.
    NoSerial,
}

/// How the best point compares with the prediction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BestVerdict {
    /// No extra worker helped.
    NoExtraHelped,
    /// Above the prediction: noise.
    AbovePrediction,
    /// Close to it.
    Close,
    /// A share of it.
    Partial,
}

/// How the fitted fraction compares with the one built in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitVerdict {
    /// Within [`FIT_CLOSE`].
    Close,
    /// More: overheads behave like serial work.
    More,
    /// Less: only noise can do that.
    Less,
}

/// The statements lesson 6 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// The law for this job.
    AmdahlLaw { verdict: LawVerdict, serial_fraction: f64, ceiling: Option<f64>, last_workers: usize, last_predicted: f64, cores: usize, lesson_example: bool },
    /// The best measured point.
    PhasedBest { verdict: BestVerdict, speedup: f64, workers: usize, predicted: f64, share: f64 },
    /// Past the core count, against the prediction that assumes a core per worker.
    PhasedPastCores { cores: usize, workers: usize, speedup: f64, predicted: f64, gustafson: bool },
    /// The fitted serial fraction.
    FittedSerial { fitted: f64, set: f64, verdict: FitVerdict, pulled: bool },
}

/// Builds the report.
pub fn report(raw: PhasedRaw) -> Result<PhasedReport, String> {
    let Law { serial_fraction: s, gustafson } = raw.law;
    let mut points = Vec::new();
    for p in &raw.points {
        let (Some(seq), Some(par)) = (summarize(&p.sequential), summarize(&p.parallel)) else {
            return Err(format!("{} workers: no timed run", p.workers));
        };
        let k = p.workers as f64;
        points.push(Point {
            workers: p.workers,
            total: p.total,
            speedup: seq.median / par.median,
            speedup_min: seq.min / par.max,
            speedup_max: seq.max / par.min,
            predicted: if gustafson { gustafson_speedup(s, k) } else { amdahl_speedup(s, k) },
            fitted: None,
            sequential: seq,
            parallel: par,
            serial_ms: p.serial_ms,
            parallel_ms: p.parallel_ms,
        });
    }
    let fitted = if gustafson { None } else { fit_serial_fraction(&points.iter().map(|p| (p.workers as f64, p.speedup)).collect::<Vec<_>>()) };
    if let Some(f) = fitted {
        for p in &mut points {
            p.fitted = Some(amdahl_speedup(f, p.workers as f64));
        }
    }
    let findings = read(&raw, &points, fitted);
    Ok(PhasedReport {
        law: raw.law,
        ceiling: raw.law.ceiling(),
        cores: raw.cores,
        points,
        fitted_serial_fraction: fitted,
        timeline: raw.timeline,
        verified: true,
        findings,
    })
}

/// The settings a prediction is asked for with.
#[derive(Clone, Debug, Deserialize)]
pub struct PredictRaw {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// The largest worker count to predict for.
    pub up_to: usize,
}

/// What the laws say for one serial fraction, k = 1 … `up_to`.
#[derive(Clone, Debug, Serialize)]
pub struct Prediction {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// Amdahl's ceiling `1 / s` for a fixed-size job; `None` when nothing is serial.
    pub ceiling: Option<f64>,
    /// One point per worker count, ascending.
    pub points: Vec<Predicted>,
}

/// Both laws at one worker count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Predicted {
    /// Workers.
    pub workers: usize,
    /// Amdahl's speedup for a fixed-size job.
    pub amdahl: f64,
    /// Gustafson's scaled speedup for a job that grows with the workers.
    pub gustafson: f64,
}

/// Amdahl's and Gustafson's speedups for k = 1 … `up_to` and Amdahl's ceiling: the
/// curves the lesson draws before (and beside) any measurement. Like the sweep's
/// prediction, it assumes a core per worker.
pub fn predict(raw: PredictRaw) -> Result<Prediction, String> {
    let s = raw.law.serial_fraction;
    if !(0.0..=1.0).contains(&s) {
        return Err(format!("the serial fraction must be from 0 to 1, not {s}"));
    }
    let points = (1..=raw.up_to.max(1)).map(|k| Predicted { workers: k, amdahl: amdahl_speedup(s, k as f64), gustafson: gustafson_speedup(s, k as f64) }).collect();
    Ok(Prediction { law: raw.law, ceiling: raw.law.ceiling(), points })
}

fn read(raw: &PhasedRaw, points: &[Point], fitted: Option<f64>) -> Vec<Finding> {
    let (Some(last), Some(best)) = (points.last(), points.iter().max_by(|a, b| a.speedup.total_cmp(&b.speedup))) else { return vec![] };
    let s = raw.law.serial_fraction;
    let verdict = if raw.law.gustafson {
        LawVerdict::Gustafson
    } else if s > 0.0 {
        LawVerdict::Ceiling
    } else {
        LawVerdict::NoSerial
    };
    let mut out = vec![Finding::AmdahlLaw {
        verdict,
        serial_fraction: s,
        ceiling: raw.law.ceiling(),
        last_workers: last.workers,
        last_predicted: last.predicted,
        cores: raw.cores,
        lesson_example: (s - 0.2).abs() < 1e-9,
    }];
    let share = best.speedup / best.predicted;
    let verdict = if best.workers == 1 {
        BestVerdict::NoExtraHelped
    } else if share > ABOVE_IDEAL {
        BestVerdict::AbovePrediction
    } else if share >= CLOSE_TO_IDEAL {
        BestVerdict::Close
    } else {
        BestVerdict::Partial
    };
    out.push(Finding::PhasedBest { verdict, speedup: best.speedup, workers: best.workers, predicted: best.predicted, share });
    if last.workers > raw.cores {
        out.push(Finding::PhasedPastCores { cores: raw.cores, workers: last.workers, speedup: last.speedup, predicted: last.predicted, gustafson: raw.law.gustafson });
    }
    if let Some(fitted) = fitted.filter(|_| points.len() > 1) {
        let gap = fitted - s;
        let verdict = if gap.abs() <= FIT_CLOSE {
            FitVerdict::Close
        } else if gap > 0.0 {
            FitVerdict::More
        } else {
            FitVerdict::Less
        };
        out.push(Finding::FittedSerial { fitted, set: s, verdict, pulled: last.workers > raw.cores });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: f64, gustafson: bool, cores: usize, speedups: &[f64]) -> PhasedRaw {
        PhasedRaw {
            law: Law { serial_fraction: s, gustafson },
            cores,
            points: speedups
                .iter()
                .enumerate()
                .map(|(i, x)| PointRaw { workers: i + 1, total: 1000, sequential: vec![100.0, 100.0], parallel: vec![100.0 / x, 100.0 / x], serial_ms: 1.0, parallel_ms: 1.0 })
                .collect(),
            timeline: vec![],
        }
    }

    #[test]
    fn a_job_that_follows_the_law() {
        let speedups: Vec<f64> = (1..=2).map(|k| amdahl_speedup(0.2, k as f64) * 0.99).collect();
        let r = report(raw(0.2, false, 2, &speedups)).unwrap();
        assert_eq!(r.ceiling, Some(5.0));
        assert!(matches!(r.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::Ceiling, lesson_example: true, .. }));
        assert!(matches!(r.findings[1], Finding::PhasedBest { verdict: BestVerdict::Close, workers: 2, .. }));
        assert!(matches!(r.findings[2], Finding::FittedSerial { verdict: FitVerdict::Close, pulled: false, .. }));
        let fitted = r.fitted_serial_fraction.unwrap();
        assert!(r.points.iter().all(|p| p.fitted == Some(amdahl_speedup(fitted, p.workers as f64))));
    }

    #[test]
    fn the_best_point_against_its_prediction() {
        // Lesson 6's example: 20% serial on two cores, swept to four workers.
        let r = report(raw(0.2, false, 2, &[1.0, 1.6, 1.62, 1.55])).unwrap();
        let Finding::PhasedBest { verdict, workers, predicted, share, .. } = r.findings[1] else { panic!("{:?}", r.findings) };
        assert_eq!((verdict, workers), (BestVerdict::Partial, 3));
        assert!((predicted - 1.0 / (0.2 + 0.8 / 3.0)).abs() < 1e-12 && (share - 0.756).abs() < 0.001, "{predicted} {share}");
        let Finding::PhasedPastCores { workers: 4, predicted, .. } = r.findings[2] else { panic!("{:?}", r.findings) };
        assert!((predicted - 2.5).abs() < 1e-12);
        let grow = report(raw(0.2, true, 8, &[1.0, 1.5])).unwrap();
        assert_eq!(grow.findings.len(), 2, "no fit and nothing past the cores: {:?}", grow.findings);
        let nothing_serial = report(raw(0.0, false, 2, &[1.0, 1.6])).unwrap();
        assert!(matches!(nothing_serial.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::NoSerial, ceiling: None, cores: 2, .. }));
        let just_one = report(raw(0.2, false, 2, &[1.0, 0.9])).unwrap();
        assert!(matches!(just_one.findings[1], Finding::PhasedBest { verdict: BestVerdict::NoExtraHelped, workers: 1, .. }));
    }

    #[test]
    fn a_prediction_before_any_run() {
        let p = predict(PredictRaw { law: Law { serial_fraction: 0.2, gustafson: false }, up_to: 16 }).unwrap();
        assert_eq!(p.ceiling, Some(5.0));
        assert_eq!(p.points.len(), 16);
        assert_eq!(p.points[0], Predicted { workers: 1, amdahl: 1.0, gustafson: 1.0 });
        assert!((p.points[3].amdahl - 2.5).abs() < 1e-12 && p.points.iter().all(|x| x.amdahl < 5.0));
        assert!((p.points[9].gustafson - 8.2).abs() < 1e-12);
        let none = predict(PredictRaw { law: Law { serial_fraction: 0.0, gustafson: true }, up_to: 0 }).unwrap();
        assert_eq!((none.ceiling, none.points.len(), none.points[0].amdahl), (None, 1, 1.0));
        assert_eq!(predict(PredictRaw { law: Law { serial_fraction: 0.5, gustafson: false }, up_to: 4 }).unwrap().ceiling, Some(2.0));
        assert!(predict(PredictRaw { law: Law { serial_fraction: 1.5, gustafson: false }, up_to: 4 }).is_err());
    }

    #[test]
    fn oversubscribed_points_pull_the_fit_up() {
        let r = report(raw(0.2, false, 2, &[1.0, 1.65, 1.66, 1.64])).unwrap();
        assert!(r.findings.iter().any(|f| matches!(f, Finding::PhasedPastCores { workers: 4, .. })));
        assert!(r.findings.iter().any(|f| matches!(f, Finding::FittedSerial { verdict: FitVerdict::More, pulled: true, .. })));
    }

    #[test]
    fn gustafson_has_no_fit_and_no_ceiling_verdict() {
        let r = report(raw(0.1, true, 4, &[1.0, 1.9])).unwrap();
        assert_eq!(r.fitted_serial_fraction, None);
        assert!(matches!(r.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::Gustafson, .. }));
        assert!((r.points[1].predicted - 1.9).abs() < 1e-12);
        let none = report(raw(0.0, false, 4, &[1.0, 2.5])).unwrap();
        assert_eq!(none.ceiling, None);
        assert!(matches!(none.findings[1], Finding::PhasedBest { verdict: BestVerdict::AbovePrediction, .. }));
    }
}
