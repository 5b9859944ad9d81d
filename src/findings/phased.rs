//! Amdahl's law measured (lesson 6): a job with a serial part, run with 1, 2, … k
//! workers, against Amdahl's prediction (or Gustafson's, when the job grows with the
//! workers) and the serial fraction fitted to the points; and [`predict`], what the laws
//! say for a serial fraction before anything is measured.
//!
//! Every prediction comes twice: the law as written, with a core per worker, and the law
//! on this device, where only `min(k, cores)` workers compute at once. The measured points
//! are read, and the serial fraction fitted, against the second.

use super::thresholds::*;
use crate::amdahl::{amdahl_ceiling, amdahl_on_cores, amdahl_speedup, fit_serial_range, gustafson_on_cores, gustafson_speedup, MeasuredSpeedup, SerialFit};
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

    /// The law as written: a core for each of `workers`.
    pub fn unlimited(&self, workers: usize) -> f64 {
        let k = workers.max(1) as f64;
        if self.gustafson {
            gustafson_speedup(self.serial_fraction, k)
        } else {
            amdahl_speedup(self.serial_fraction, k)
        }
    }

    /// The law on `cores` cores: only `min(workers, cores)` compute at once.
    pub fn on_cores(&self, workers: usize, cores: usize) -> f64 {
        if self.gustafson {
            gustafson_on_cores(self.serial_fraction, workers, cores)
        } else {
            amdahl_on_cores(self.serial_fraction, workers, cores)
        }
    }
}

/// A sweep over worker counts: as the driver measured it (`P` = [`PointRaw`]) and as
/// the report shows it (`P` = [`Point`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sweep<P> {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// Cores the browser reports.
    pub cores: usize,
    /// One point per worker count, ascending.
    pub points: Vec<P>,
    /// The last run's chunk records (serial part first).
    #[serde(default)]
    pub timeline: Vec<Span>,
}

/// What the driver measured.
pub type PhasedRaw = Sweep<PointRaw>;

/// One worker count's job: as sent, with every timed run in ms (`T` = `Vec<f64>`), and
/// as a point shows it, its runs summarised (`T` = [`Summary`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job<T> {
    /// Workers used.
    pub workers: usize,
    /// Loop iterations in the job at this k.
    pub total: u64,
    /// The plain loop over the same job.
    pub sequential: T,
    /// The two-part job.
    pub parallel: T,
    /// The last run's serial part, in ms.
    pub serial_ms: f64,
    /// The last run's parallel part, in ms.
    pub parallel_ms: f64,
}

/// One worker count, as sent.
pub type PointRaw = Job<Vec<f64>>;

impl PointRaw {
    /// Its runs summarised; `None` when either side has no timed run.
    fn summarised(&self) -> Option<Job<Summary>> {
        let (sequential, parallel) = (summarize(&self.sequential)?, summarize(&self.parallel)?);
        Some(Job { workers: self.workers, total: self.total, sequential, parallel, serial_ms: self.serial_ms, parallel_ms: self.parallel_ms })
    }
}

/// The finished sweep.
#[derive(Clone, Debug, Serialize)]
pub struct PhasedReport {
    /// The job, the cores, the points and the last run's chunk records.
    #[serde(flatten)]
    pub sweep: Sweep<Point>,
    /// `1 / s` (infinite, serialised as null, for s = 0).
    pub ceiling: Option<f64>,
    /// The serial fraction fitted to the measured speedups on these cores (Amdahl only),
    /// when the points pin it down.
    pub fitted_serial_fraction: Option<f64>,
    /// The fit with the range the runs' spread leaves it in, pinned down or not.
    pub fit: Option<SerialFit>,
    /// Every parallel result was checked against the plain loop.
    pub verified: bool,
    /// What the sweep says.
    pub findings: Vec<Finding>,
}

/// One point, summarised.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The job, its runs summarised.
    #[serde(flatten)]
    pub job: Job<Summary>,
    /// Ratio of medians.
    pub speedup: f64,
    /// Fastest loop over slowest job.
    pub speedup_min: f64,
    /// Slowest loop over fastest job.
    pub speedup_max: f64,
    /// Amdahl's (or Gustafson's) prediction on this device's cores.
    pub predicted: f64,
    /// The law as written, with a core per worker.
    pub unlimited: f64,
    /// Amdahl's curve on these cores for the fitted serial fraction, when there is a fit.
    pub fitted: Option<f64>,
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
    /// Past the core count, where the law as written and the law on this device part.
    PhasedPastCores { cores: usize, workers: usize, speedup: f64, predicted: f64, unlimited: f64, gustafson: bool },
    /// The fitted serial fraction, with the range the runs leave it in.
    FittedSerial { fitted: f64, low: f64, high: f64, set: f64, verdict: FitVerdict },
    /// No serial fraction is fitted: the points cannot pin it down.
    FitRefused { reason: FitRefusal, low: Option<f64>, high: Option<f64>, cores: usize },
}

/// Why no serial fraction was fitted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitRefusal {
    /// No point had two workers computing at once (one core, or only k = 1).
    NothingAtOnce,
    /// The runs' spread leaves the fraction more than [`FIT_UNPINNED`] wide.
    Unpinned,
}

/// Builds the report.
pub fn report(raw: PhasedRaw) -> Result<PhasedReport, String> {
    let law = raw.law;
    let mut points = Vec::new();
    for p in &raw.points {
        let job = p.summarised().ok_or_else(|| format!("{} workers: no timed run", p.workers))?;
        let (seq, par) = (job.sequential, job.parallel);
        points.push(Point {
            speedup: seq.median / par.median,
            speedup_min: seq.min / par.max,
            speedup_max: seq.max / par.min,
            predicted: law.on_cores(p.workers, raw.cores),
            unlimited: law.unlimited(p.workers),
            fitted: None,
            job,
        });
    }
    let measured: Vec<MeasuredSpeedup> = points.iter().map(|p| MeasuredSpeedup { workers: p.job.workers, speedup: p.speedup, low: p.speedup_min, high: p.speedup_max }).collect();
    let fit = if law.gustafson { None } else { fit_serial_range(&measured, raw.cores) };
    let pinned = fit.filter(|f| f.width() <= FIT_UNPINNED).map(|f| f.serial_fraction);
    if let Some(f) = pinned {
        for p in &mut points {
            p.fitted = Some(amdahl_on_cores(f, p.job.workers, raw.cores));
        }
    }
    let findings = read(&raw, &points, fit);
    Ok(PhasedReport { sweep: Sweep { law, cores: raw.cores, points, timeline: raw.timeline }, ceiling: law.ceiling(), fitted_serial_fraction: pinned, fit, verified: true, findings })
}

/// The settings a prediction is asked for with.
#[derive(Clone, Debug, Deserialize)]
pub struct PredictRaw {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// The largest worker count to predict for.
    pub up_to: usize,
    /// This device's cores, for the curves it can reach; without them, only the laws as
    /// written.
    #[serde(default)]
    pub cores: Option<usize>,
}

/// What the laws say for one serial fraction, k = 1 … `up_to`.
#[derive(Clone, Debug, Serialize)]
pub struct Prediction {
    /// The job.
    #[serde(flatten)]
    pub law: Law,
    /// Amdahl's ceiling `1 / s` for a fixed-size job; `None` when nothing is serial.
    pub ceiling: Option<f64>,
    /// The cores the device curves are for.
    pub cores: Option<usize>,
    /// The first worker count at which this device falls below the law as written (one
    /// past the cores), when the prediction reaches that far.
    pub parts_at: Option<usize>,
    /// One point per worker count, ascending.
    pub points: Vec<Predicted>,
}

/// Both laws at one worker count, as written and on this device.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Predicted {
    /// Workers.
    pub workers: usize,
    /// A core per worker.
    #[serde(flatten)]
    pub laws: Laws,
    /// On this device's cores, when they were given.
    pub on_device: Option<Laws>,
}

/// What each law predicts for one job at one worker count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Laws {
    /// Amdahl's speedup for a fixed-size job.
    pub amdahl: f64,
    /// Gustafson's scaled speedup for a job that grows with the workers.
    pub gustafson: f64,
}

/// Amdahl's and Gustafson's speedups for k = 1 … `up_to` and Amdahl's ceiling: the
/// curves the lesson draws before (and beside) any measurement, as written and, given
/// the cores, on this device.
pub fn predict(raw: PredictRaw) -> Result<Prediction, String> {
    let s = raw.law.serial_fraction;
    if !(0.0..=1.0).contains(&s) {
        return Err(format!("the serial fraction must be from 0 to 1, not {s}"));
    }
    if raw.cores == Some(0) {
        return Err("a device has at least one core, not 0".into());
    }
    let (amdahl, gustafson) = (Law { serial_fraction: s, gustafson: false }, Law { serial_fraction: s, gustafson: true });
    let laws = |at: &dyn Fn(Law) -> f64| Laws { amdahl: at(amdahl), gustafson: at(gustafson) };
    let up_to = raw.up_to.max(1);
    let points = (1..=up_to).map(|k| Predicted { workers: k, laws: laws(&|law| law.unlimited(k)), on_device: raw.cores.map(|c| laws(&|law| law.on_cores(k, c))) }).collect();
    // With everything serial, no worker count helps, so the curves never part.
    let parts_at = raw.cores.map(|c| c + 1).filter(|&k| k <= up_to && s < 1.0);
    Ok(Prediction { law: raw.law, ceiling: raw.law.ceiling(), cores: raw.cores, parts_at, points })
}

fn read(raw: &PhasedRaw, points: &[Point], fit: Option<SerialFit>) -> Vec<Finding> {
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
        last_workers: last.job.workers,
        last_predicted: last.unlimited,
        cores: raw.cores,
        lesson_example: (s - 0.2).abs() < 1e-9,
    }];
    let share = best.speedup / best.predicted;
    let verdict = if best.job.workers == 1 {
        BestVerdict::NoExtraHelped
    } else if share > ABOVE_IDEAL {
        BestVerdict::AbovePrediction
    } else if share >= CLOSE_TO_IDEAL {
        BestVerdict::Close
    } else {
        BestVerdict::Partial
    };
    out.push(Finding::PhasedBest { verdict, speedup: best.speedup, workers: best.job.workers, predicted: best.predicted, share });
    if last.job.workers > raw.cores {
        out.push(Finding::PhasedPastCores { cores: raw.cores, workers: last.job.workers, speedup: last.speedup, predicted: last.predicted, unlimited: last.unlimited, gustafson: raw.law.gustafson });
    }
    if raw.law.gustafson || points.len() < 2 {
        return out;
    }
    out.push(match fit {
        None => Finding::FitRefused { reason: FitRefusal::NothingAtOnce, low: None, high: None, cores: raw.cores },
        Some(f) if f.width() > FIT_UNPINNED => Finding::FitRefused { reason: FitRefusal::Unpinned, low: Some(f.low), high: Some(f.high), cores: raw.cores },
        Some(f) => {
            let gap = f.serial_fraction - s;
            let verdict = if gap.abs() <= FIT_CLOSE {
                FitVerdict::Close
            } else if gap > 0.0 {
                FitVerdict::More
            } else {
                FitVerdict::Less
            };
            Finding::FittedSerial { fitted: f.serial_fraction, low: f.low, high: f.high, set: s, verdict }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: f64, gustafson: bool, cores: usize, speedups: &[f64]) -> PhasedRaw {
        spread(s, gustafson, cores, speedups, 0.0)
    }

    /// Runs whose times spread `±spread` around the medians.
    fn spread(s: f64, gustafson: bool, cores: usize, speedups: &[f64], spread: f64) -> PhasedRaw {
        let around = |ms: f64| vec![ms * (1.0 - spread), ms, ms * (1.0 + spread)];
        PhasedRaw {
            law: Law { serial_fraction: s, gustafson },
            cores,
            points: speedups
                .iter()
                .enumerate()
                .map(|(i, x)| Job { workers: i + 1, total: 1000, sequential: around(100.0), parallel: around(100.0 / x), serial_ms: 1.0, parallel_ms: 1.0 })
                .collect(),
            timeline: vec![],
        }
    }

    fn predict_for(s: f64, up_to: usize, cores: Option<usize>) -> Prediction {
        predict(PredictRaw { law: Law { serial_fraction: s, gustafson: false }, up_to, cores }).unwrap()
    }

    #[test]
    fn a_job_that_follows_the_law() {
        let speedups: Vec<f64> = (1..=2).map(|k| amdahl_speedup(0.2, k as f64) * 0.99).collect();
        let r = report(raw(0.2, false, 2, &speedups)).unwrap();
        assert_eq!(r.ceiling, Some(5.0));
        assert!(matches!(r.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::Ceiling, lesson_example: true, .. }));
        assert!(matches!(r.findings[1], Finding::PhasedBest { verdict: BestVerdict::Close, workers: 2, .. }));
        assert!(matches!(r.findings[2], Finding::FittedSerial { verdict: FitVerdict::Close, .. }));
        let fitted = r.fitted_serial_fraction.unwrap();
        assert!(r.sweep.points.iter().all(|p| p.fitted == Some(amdahl_on_cores(fitted, p.job.workers, 2))));
    }

    #[test]
    fn the_best_point_against_its_prediction() {
        // Lesson 6's example: 20% serial on two cores, swept to four workers. Past the
        // cores the device's prediction stays at k = 2's 1.67x.
        let r = report(raw(0.2, false, 2, &[1.0, 1.5, 1.62, 1.55])).unwrap();
        let Finding::PhasedBest { verdict, workers, predicted, share, .. } = r.findings[1] else { panic!("{:?}", r.findings) };
        assert_eq!((verdict, workers), (BestVerdict::Close, 3), "1.62x where 2 cores allow 1.67x");
        assert!((predicted - 1.0 / (0.2 + 0.8 / 2.0)).abs() < 1e-12 && (share - 0.972).abs() < 0.001, "{predicted} {share}");
        let Finding::PhasedPastCores { workers: 4, predicted, unlimited, .. } = r.findings[2] else { panic!("{:?}", r.findings) };
        assert!((unlimited - 2.5).abs() < 1e-12 && (predicted - 1.0 / 0.6).abs() < 1e-12);
        let above = report(raw(0.2, false, 2, &[1.0, 1.75, 1.7])).unwrap();
        assert!(matches!(above.findings[1], Finding::PhasedBest { verdict: BestVerdict::AbovePrediction, workers: 2, .. }), "above 1.67x on 2 cores is noise");
        let grow = report(raw(0.2, true, 8, &[1.0, 1.5])).unwrap();
        assert_eq!(grow.findings.len(), 2, "no fit and nothing past the cores: {:?}", grow.findings);
        let nothing_serial = report(raw(0.0, false, 2, &[1.0, 1.6])).unwrap();
        assert!(matches!(nothing_serial.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::NoSerial, ceiling: None, cores: 2, .. }));
        let just_one = report(raw(0.2, false, 2, &[1.0, 0.9])).unwrap();
        assert!(matches!(just_one.findings[1], Finding::PhasedBest { verdict: BestVerdict::NoExtraHelped, workers: 1, .. }));
    }

    #[test]
    fn a_prediction_before_any_run() {
        let p = predict_for(0.2, 16, None);
        assert_eq!((p.ceiling, p.cores, p.parts_at), (Some(5.0), None, None));
        assert_eq!(p.points.len(), 16);
        assert_eq!(p.points[0], Predicted { workers: 1, laws: Laws { amdahl: 1.0, gustafson: 1.0 }, on_device: None });
        assert!((p.points[3].laws.amdahl - 2.5).abs() < 1e-12 && p.points.iter().all(|x| x.laws.amdahl < 5.0));
        assert!((p.points[9].laws.gustafson - 8.2).abs() < 1e-12);
        let none = predict(PredictRaw { law: Law { serial_fraction: 0.0, gustafson: true }, up_to: 0, cores: None }).unwrap();
        assert_eq!((none.ceiling, none.points.len(), none.points[0].laws.amdahl), (None, 1, 1.0));
        assert_eq!(predict_for(0.5, 4, None).ceiling, Some(2.0));
        assert!(predict(PredictRaw { law: Law { serial_fraction: 1.5, gustafson: false }, up_to: 4, cores: None }).is_err());
        assert!(predict(PredictRaw { law: Law { serial_fraction: 0.2, gustafson: false }, up_to: 4, cores: Some(0) }).is_err());
    }

    #[test]
    fn the_device_curve_parts_from_the_law_past_the_cores() {
        let p = predict_for(0.2, 16, Some(2));
        assert_eq!(p.parts_at, Some(3));
        for q in &p.points[..2] {
            assert_eq!(q.on_device, Some(q.laws), "within the cores they agree");
        }
        assert!(p.points[2..].iter().all(|q| (q.on_device.unwrap().amdahl - 1.0 / 0.6).abs() < 1e-12 && q.laws.amdahl > q.on_device.unwrap().amdahl));
        assert!(p.points[15].on_device.unwrap().gustafson < 2.0, "a job that grows still runs on two cores");
        assert_eq!(predict_for(0.2, 8, Some(8)).parts_at, None, "the sweep never leaves the cores");
        assert_eq!(predict_for(1.0, 8, Some(2)).parts_at, None, "all serial: nothing to part");
    }

    #[test]
    fn oversubscribed_points_no_longer_pull_the_fit_up() {
        // On 2 cores k = 3, 4 measure what k = 2 does; the fit reads them on 2 cores.
        let r = report(raw(0.2, false, 2, &[1.0, 1.65, 1.66, 1.64])).unwrap();
        assert!(r.findings.iter().any(|f| matches!(f, Finding::PhasedPastCores { workers: 4, .. })));
        let Some(Finding::FittedSerial { fitted, verdict: FitVerdict::Close, .. }) = r.findings.last() else { panic!("{:?}", r.findings) };
        assert!((fitted - 0.2).abs() < 0.02, "{fitted}");
    }

    #[test]
    fn the_fit_says_how_sure_it_is_and_refuses_when_it_cannot_be() {
        let speedups: Vec<f64> = (1..=4).map(|k| amdahl_on_cores(0.3, k, 2)).collect();
        let tight = report(spread(0.3, false, 2, &speedups, 0.02)).unwrap();
        let Some(Finding::FittedSerial { fitted, low, high, .. }) = tight.findings.last() else { panic!("{:?}", tight.findings) };
        assert!(*low < *fitted && fitted < high && high - low < FIT_UNPINNED, "{low} {fitted} {high}");
        let loose = report(spread(0.3, false, 2, &speedups, 0.25)).unwrap();
        assert!(matches!(loose.findings.last(), Some(Finding::FitRefused { reason: FitRefusal::Unpinned, low: Some(_), high: Some(_), .. })), "{:?}", loose.findings);
        assert_eq!((loose.fitted_serial_fraction, loose.sweep.points[1].fitted), (None, None), "no curve for a fit that was refused");
        assert!(loose.fit.is_some(), "the range is still reported");
        let one_core = report(raw(0.3, false, 1, &[1.0, 1.0, 0.98])).unwrap();
        assert!(matches!(one_core.findings.last(), Some(Finding::FitRefused { reason: FitRefusal::NothingAtOnce, .. })));
    }

    #[test]
    fn gustafson_has_no_fit_and_no_ceiling_verdict() {
        let r = report(raw(0.1, true, 4, &[1.0, 1.9])).unwrap();
        assert_eq!(r.fitted_serial_fraction, None);
        assert!(matches!(r.findings[0], Finding::AmdahlLaw { verdict: LawVerdict::Gustafson, .. }));
        assert!((r.sweep.points[1].predicted - 1.9).abs() < 1e-12);
        let none = report(raw(0.0, false, 4, &[1.0, 2.5])).unwrap();
        assert_eq!(none.ceiling, None);
        assert!(matches!(none.findings[1], Finding::PhasedBest { verdict: BestVerdict::AbovePrediction, .. }));
    }
}
