//! Speedup against workers (lesson 2): every engine run with 1, 2, … `largest` workers,
//! each point read against the sequential baseline, the ideal `min(k, cores)` and the
//! Amdahl curve fitted to the points within the core count.

use super::thresholds::*;
use super::{lanes, uneven_split, Checked, EngineRaw, Measured, UnevenSplit};
use crate::amdahl::{amdahl_on_cores, fit_serial_fraction};
use crate::engines::Engine;
use crate::measurement::{speedup_between, SpeedupRange};
use serde::{Deserialize, Serialize};

/// What the driver measured.
#[derive(Clone, Debug, Deserialize)]
pub struct SweepRaw {
    /// The sweep's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// The sequential baseline: every point must match its checksum.
    pub baseline: Measured,
    /// Each swept engine, in run order, one point per worker count, ascending.
    pub engines: Vec<EngineRaw<PointRaw>>,
}

/// The sweep's settings, as sent and as reported.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Setup {
    /// Cores the browser reports.
    pub cores: usize,
    /// The largest worker count swept.
    pub largest: usize,
    /// Inputs per map.
    pub tasks: usize,
    /// Problem size per task.
    pub n: u64,
}

/// One worker count on one engine.
#[derive(Clone, Debug, Deserialize)]
pub struct PointRaw {
    /// Workers used.
    pub workers: usize,
    /// Its runs.
    #[serde(flatten)]
    pub measured: Measured,
    /// The pool start paid before it, if any.
    #[serde(default)]
    pub startup_ms: Option<f64>,
}

/// The finished sweep.
#[derive(Clone, Debug, Serialize)]
pub struct SweepReport {
    /// The sweep's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// One series per engine, the sequential baseline first (one point at k = 1).
    pub series: Vec<Series>,
    /// The ideal `min(k, cores)` for every k from 1 to `largest`, for the chart's line
    /// whichever engines ran.
    pub ideal: Vec<Ideal>,
    /// What starting process-pool workers cost in all as the pool grew (left out of the
    /// timings), when any were started.
    pub pool_startup_ms: Option<f64>,
    /// What the sweep says.
    pub findings: Vec<Finding>,
}

/// One engine's points.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// The engine.
    pub engine: Engine,
    /// The serial fraction fitted to its points with 2 ≤ k ≤ cores, if any could be.
    pub fitted: Option<f64>,
    /// Its points, ascending in workers.
    pub points: Vec<Point>,
}

/// One measured point.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// Workers used.
    pub workers: usize,
    /// Its runs, read against the baseline.
    #[serde(flatten)]
    pub checked: Checked,
    /// Against the baseline.
    pub speedup: Option<SpeedupRange>,
    /// `min(k, cores)`.
    pub ideal: f64,
    /// The fitted Amdahl curve at this k on these cores.
    pub amdahl: Option<f64>,
    /// The pool start paid before it.
    pub startup_ms: Option<f64>,
}

/// The ideal speedup at one worker count.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Ideal {
    /// Workers.
    pub workers: usize,
    /// `min(workers, cores)`.
    pub speedup: f64,
}

/// How a fitted serial fraction reads.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Fit {
    /// The fitted fraction.
    pub serial_fraction: f64,
    /// `none`, `all` or `fraction`.
    pub verdict: FitVerdict,
    /// `1 / s`, rounded to a tenth, when it is a fraction.
    pub ceiling: Option<f64>,
}

/// See [`Fit`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FitVerdict {
    /// No serial part at all.
    None,
    /// Only a fully serial curve fits.
    All,
    /// A fraction between.
    Fraction,
}

/// How a parallel engine's best point reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepVerdict {
    /// Never clearly faster than sequential.
    NeverFaster,
    /// Above the ideal: noise.
    AboveIdeal,
    /// A share of the ideal.
    Share,
}

/// What happened past the core count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PastCores {
    /// No clear speedup even within the cores, so nothing can be said.
    NoClearSpeedup,
    /// Extra workers only took turns.
    TakingTurns,
    /// More gain than taking turns can give: the earlier point was slowed.
    MoreThanTurns,
}

/// The statements lesson 2 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// Only the sequential baseline ran.
    OnlyBaseline,
    /// The GIL engine's sweep.
    GilSweep { engine: Engine, low: f64, high: f64, most: usize, flat: bool, fit: Option<Fit> },
    /// A parallel engine's best point.
    EngineSweep { engine: Engine, verdict: SweepVerdict, speedup: f64, workers: usize, lanes: usize, share: f64, cores: usize, fit: Option<Fit> },
    /// Past the core count.
    Oversubscription { engine: Engine, verdict: PastCores, cores: usize, at_cores_workers: usize, at_cores_speedup: f64, last_workers: usize, last_speedup: f64, change: f64 },
    /// The sweep never went past the cores.
    WithinCores { largest: usize, cores: usize },
    /// Tasks that do not split evenly over the lanes.
    UnevenTasks(UnevenSplit),
    /// Speedup stopped growing at half the reported cores: `navigator.hardwareConcurrency`
    /// counts hardware threads, and two of them often share one physical core.
    FewerRealCores { engine: Engine, reported: usize, apparent: usize, at_apparent: f64, at_reported: f64 },
}

/// Builds the sweep's report.
pub fn report(raw: SweepRaw) -> Result<SweepReport, String> {
    let expected = &raw.baseline.checksum;
    let baseline = raw.baseline.check(expected).ok_or("the sequential baseline has no timed run")?;
    let base = baseline.summary;
    let speedup = speedup_between(&base, &base).map(|r| SpeedupRange { speedup: 1.0, ..r });
    let mut series = vec![Series { engine: Engine::Sequential, fitted: None, points: vec![Point { workers: 1, checked: baseline, speedup, ideal: 1.0, amdahl: None, startup_ms: None }] }];
    let cores = raw.setup.cores;
    for e in &raw.engines {
        let mut points = Vec::new();
        for p in &e.points {
            let checked = p.measured.check(expected).ok_or_else(|| format!("{} with {} workers has no timed run", e.engine.id(), p.workers))?;
            let speedup = speedup_between(&base, &checked.summary);
            points.push(Point { workers: p.workers, checked, speedup, ideal: lanes(p.workers, cores) as f64, amdahl: None, startup_ms: p.startup_ms });
        }
        // Past the cores, taking turns costs more than the model's flat line: fit within them.
        let inside: Vec<(usize, f64)> = points.iter().filter(|p| p.workers <= cores).filter_map(|p| p.speedup.map(|s| (p.workers, s.speedup))).collect();
        let fitted = fit_serial_fraction(&inside, cores);
        if let Some(s) = fitted {
            for p in &mut points {
                p.amdahl = Some(amdahl_on_cores(s, p.workers, cores));
            }
        }
        series.push(Series { engine: e.engine, fitted, points });
    }
    let findings = read(&raw.setup, &series);
    let ideal = (1..=raw.setup.largest.max(1)).map(|k| Ideal { workers: k, speedup: lanes(k, cores) as f64 }).collect();
    let started: Vec<f64> = series.iter().flat_map(|s| &s.points).filter_map(|p| p.startup_ms).filter(|ms| *ms > 0.0).collect();
    let pool_startup_ms = (!started.is_empty()).then(|| started.iter().sum());
    Ok(SweepReport { setup: raw.setup, series, ideal, pool_startup_ms, findings })
}

/// Reads a fitted serial fraction.
pub fn fit(serial_fraction: f64) -> Fit {
    let verdict = if serial_fraction <= NO_SERIAL_PART {
        FitVerdict::None
    } else if serial_fraction >= ALL_SERIAL {
        FitVerdict::All
    } else {
        FitVerdict::Fraction
    };
    let ceiling = (verdict == FitVerdict::Fraction).then(|| (10.0 / serial_fraction).round() / 10.0);
    Fit { serial_fraction, verdict, ceiling }
}

fn read(raw: &Setup, series: &[Series]) -> Vec<Finding> {
    let swept: Vec<&Series> = series.iter().filter(|s| s.engine != Engine::Sequential && !s.points.is_empty()).collect();
    if swept.is_empty() {
        return vec![Finding::OnlyBaseline];
    }
    let mut out = Vec::new();
    for s in &swept {
        let usable: Vec<(usize, f64)> = s.points.iter().filter_map(|p| p.speedup.map(|r| (p.workers, r.speedup))).collect();
        let Some(&best) = usable.iter().max_by(|a, b| a.1.total_cmp(&b.1)) else { continue };
        let fit = s.fitted.map(fit);
        if s.engine == Engine::Gil {
            let low = usable.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let most = usable.iter().map(|p| p.0).max().unwrap_or(1);
            out.push(Finding::GilSweep { engine: s.engine, low, high: best.1, most, flat: best.1 <= GIL_FLAT, fit });
            continue;
        }
        let lanes = lanes(best.0, raw.cores);
        let share = best.1 / lanes as f64;
        let verdict = if best.1 < HARDLY_FASTER {
            SweepVerdict::NeverFaster
        } else if share > ABOVE_IDEAL {
            SweepVerdict::AboveIdeal
        } else {
            SweepVerdict::Share
        };
        out.push(Finding::EngineSweep { engine: s.engine, verdict, speedup: best.1, workers: best.0, lanes, share, cores: raw.cores, fit });
    }
    let parallel: Vec<&&Series> = swept.iter().filter(|s| s.engine != Engine::Gil).collect();
    if raw.largest > raw.cores {
        for s in &parallel {
            if let Some(finding) = past_cores(s, raw.cores) {
                out.push(finding);
            }
        }
    } else {
        out.push(Finding::WithinCores { largest: raw.largest, cores: raw.cores });
    }
    if let Some(finding) = parallel.iter().find_map(|s| fewer_real_cores(s, raw.cores)) {
        out.push(finding);
    }
    let lanes = lanes(raw.largest, raw.cores);
    if !parallel.is_empty() {
        out.extend(uneven_split(raw.tasks, lanes).map(Finding::UnevenTasks));
    }
    out
}

/// Half the reported cores near the ideal, and little more from the other half.
fn fewer_real_cores(s: &Series, cores: usize) -> Option<Finding> {
    if cores < 4 || cores % 2 != 0 {
        return None;
    }
    let half = cores / 2;
    let at = |k: usize| s.points.iter().find(|p| p.workers == k).and_then(|p| p.speedup).map(|r| r.speedup);
    let (at_half, at_all) = (at(half)?, at(cores)?);
    let smt = at_half / half as f64 >= HALF_THE_CORES_EFFICIENT && at_all < at_half * (1.0 + SECOND_THREAD_GAIN);
    smt.then_some(Finding::FewerRealCores { engine: s.engine, reported: cores, apparent: half, at_apparent: at_half, at_reported: at_all })
}

fn past_cores(s: &Series, cores: usize) -> Option<Finding> {
    let usable: Vec<(usize, f64)> = s.points.iter().filter_map(|p| p.speedup.map(|r| (p.workers, r.speedup))).collect();
    let last = *usable.iter().max_by_key(|p| p.0)?;
    if last.0 <= cores {
        return None;
    }
    let at = *usable.iter().filter(|p| p.0 <= cores).max_by_key(|p| p.0)?;
    let change = last.1 / at.1 - 1.0;
    let verdict = if at.1 < HARDLY_FASTER && last.1 < HARDLY_FASTER {
        PastCores::NoClearSpeedup
    } else if change <= TAKING_TURNS_GAIN {
        PastCores::TakingTurns
    } else {
        PastCores::MoreThanTurns
    };
    Some(Finding::Oversubscription { engine: s.engine, verdict, cores, at_cores_workers: at.0, at_cores_speedup: at.1, last_workers: last.0, last_speedup: last.1, change })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measurement::Run;

    #[test]
    fn a_point_without_a_pool_start_reads_as_none() {
        let raw = serde_json::json!({ "workers": 2, "runs": [{ "ms": 5.0, "warmup": false }], "checksum": "c" });
        let point: PointRaw = serde_json::from_value(raw).unwrap();
        assert_eq!((point.startup_ms, point.measured.timeline.len()), (None, 0));
    }

    fn measured(ms: f64) -> Measured {
        let runs = vec![Run { ms: ms * 1.3, warmup: true }, Run { ms, warmup: false }, Run { ms: ms * 1.02, warmup: false }];
        Measured { runs, checksum: "c".into(), timeline: vec![] }
    }

    /// A sweep whose speedups at k = 1.. are `speedups` for one engine.
    fn sweep(cores: usize, tasks: usize, engine: Engine, speedups: &[f64]) -> SweepReport {
        let points = speedups
            .iter()
            .enumerate()
            .map(|(i, s)| PointRaw { workers: i + 1, measured: measured(100.0 / s), startup_ms: None })
            .collect();
        report(SweepRaw { setup: Setup { cores, largest: speedups.len(), tasks, n: 1000 }, baseline: measured(100.0), engines: vec![EngineRaw { engine, points }] }).unwrap()
    }

    #[test]
    fn past_the_cores_extra_workers_take_turns() {
        let r = sweep(2, 8, Engine::Threads, &[0.98, 1.9, 1.85, 1.88]);
        let Finding::EngineSweep { verdict, workers, share, .. } = &r.findings[0] else { panic!("{:?}", r.findings) };
        assert_eq!((*verdict, *workers), (SweepVerdict::Share, 2));
        assert!((share - 0.95).abs() < 0.01);
        let Finding::Oversubscription { verdict, last_workers, change, .. } = &r.findings[1] else { panic!() };
        assert_eq!((*verdict, *last_workers), (PastCores::TakingTurns, 4));
        assert!(*change < 0.0);
        let fitted = r.series[1].fitted.unwrap();
        assert!(fitted < 0.1, "perfectly parallel within the cores: {fitted}");
        assert!(r.series[1].points.iter().all(|p| p.checked.verified && p.amdahl.is_some()));
    }

    #[test]
    fn a_flat_gil_and_a_noisy_gain() {
        let gil = sweep(2, 8, Engine::Gil, &[0.99, 0.97, 0.96]);
        let Finding::GilSweep { flat: true, most: 3, low, high, fit: Some(fit), .. } = gil.findings[0] else { panic!("{:?}", gil.findings) };
        assert!((low - 0.96).abs() < 0.01 && (high - 0.99).abs() < 0.01, "{low} {high}");
        assert_eq!(fit.verdict, FitVerdict::All, "one lock: only a fully serial curve fits");
        let noisy = sweep(2, 8, Engine::Processes, &[1.0, 1.3, 1.6, 1.9]);
        assert!(noisy.findings.iter().any(|f| matches!(f, Finding::Oversubscription { verdict: PastCores::MoreThanTurns, .. })));
        let above = sweep(2, 8, Engine::Threads, &[1.0, 2.2]);
        assert!(matches!(above.findings[0], Finding::EngineSweep { verdict: SweepVerdict::AboveIdeal, .. }));
    }

    #[test]
    fn hardware_threads_that_share_cores() {
        // 8 hardware threads on 4 physical cores: near-ideal to 4, then little more.
        let r = sweep(8, 32, Engine::Threads, &[1.0, 1.95, 2.9, 3.7, 3.9, 4.1, 4.3, 4.4]);
        let found = r.findings.iter().find(|f| matches!(f, Finding::FewerRealCores { .. }));
        let Some(Finding::FewerRealCores { engine: Engine::Threads, reported: 8, apparent: 4, at_apparent, at_reported }) = found else { panic!("{:?}", r.findings) };
        assert!((at_apparent - 3.7).abs() < 0.01 && (at_reported - 4.4).abs() < 0.01, "{at_apparent} {at_reported}");
        let real = sweep(8, 32, Engine::Threads, &[1.0, 1.95, 2.9, 3.8, 4.7, 5.6, 6.4, 7.2]);
        assert!(!real.findings.iter().any(|f| matches!(f, Finding::FewerRealCores { .. })), "eight real cores");
        let slow = sweep(8, 32, Engine::Processes, &[1.0, 1.5, 1.8, 2.0, 2.1, 2.2, 2.2, 2.3]);
        assert!(!slow.findings.iter().any(|f| matches!(f, Finding::FewerRealCores { .. })), "never near ideal: nothing to say about the cores");
        assert!(!sweep(2, 8, Engine::Threads, &[1.0, 1.1]).findings.iter().any(|f| matches!(f, Finding::FewerRealCores { .. })));
    }

    #[test]
    fn within_the_cores_and_uneven_tasks() {
        let r = sweep(8, 8, Engine::Threads, &[1.0, 2.0, 3.0, 3.9]);
        assert!(r.findings.contains(&Finding::WithinCores { largest: 4, cores: 8 }));
        let r = sweep(4, 6, Engine::Processes, &[1.0, 1.9, 2.8, 2.9]);
        assert!(r.findings.contains(&Finding::UnevenTasks(UnevenSplit { tasks: 6, lanes: 4, busiest: 2, bound: 3.0 })));
    }

    #[test]
    fn the_ideal_line_and_the_pool_start_cover_the_whole_sweep() {
        let r = sweep(2, 8, Engine::Threads, &[1.0, 1.9, 1.9]);
        assert_eq!(r.ideal.iter().map(|i| (i.workers, i.speedup)).collect::<Vec<_>>(), [(1, 1.0), (2, 2.0), (3, 2.0)]);
        assert_eq!(r.pool_startup_ms, None);
        let point = |workers, startup_ms| PointRaw { workers, measured: measured(50.0), startup_ms };
        let setup = Setup { cores: 2, largest: 2, tasks: 4, n: 1000 };
        let grown = report(SweepRaw { setup, baseline: measured(100.0), engines: vec![EngineRaw { engine: Engine::Processes, points: vec![point(1, Some(30.0)), point(2, Some(12.5))] }] }).unwrap();
        assert_eq!(grown.pool_startup_ms, Some(42.5));
        // Sequential alone still has an ideal line to draw.
        let alone = report(SweepRaw { setup: Setup { cores: 4, largest: 3, ..setup }, baseline: measured(100.0), engines: vec![] }).unwrap();
        assert_eq!((alone.ideal.len(), alone.findings.clone()), (3, vec![Finding::OnlyBaseline]));
    }

    #[test]
    fn fits_read_as_none_all_or_a_fraction() {
        assert_eq!(fit(0.0).verdict, FitVerdict::None);
        assert_eq!(fit(1.0).verdict, FitVerdict::All);
        assert_eq!(fit(0.05), Fit { serial_fraction: 0.05, verdict: FitVerdict::Fraction, ceiling: Some(20.0) });
    }
}
