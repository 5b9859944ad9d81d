//! One map, several engines, the same settings: lesson 1's comparison, and lesson 7's
//! account of where the missing speedup went.
//!
//! The sequential engine is the baseline; every other engine's speedup is read against
//! the ideal `min(workers, cores)`, or the lower bound an uneven split of tasks sets.

use super::thresholds::*;
use super::{lanes, task_bound, uneven, uneven_split, Checked, Measured, UnevenSplit};
use crate::engines::Engine;
use crate::measurement::{speedup_between, summarize_runs, Run, SpeedupRange, Summary};
use serde::{Deserialize, Serialize};

/// What the driver measured: one entry per engine, sequential first.
#[derive(Clone, Debug, Deserialize)]
pub struct CompareRaw {
    /// The comparison's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// Each engine's runs.
    pub engines: Vec<EngineRaw>,
    /// The process pool's start, when this run started a fresh pool.
    #[serde(default)]
    pub pool: Option<PoolStart>,
}

/// The comparison's settings, as sent and as reported.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Setup {
    /// Cores the browser reports.
    pub cores: usize,
    /// Workers every parallel engine used.
    pub workers: usize,
    /// Inputs the map ran over.
    pub tasks: usize,
    /// The problem size per task.
    pub n: u64,
}

/// One engine's runs of the map.
#[derive(Clone, Debug, Deserialize)]
pub struct EngineRaw {
    /// Which engine ran.
    pub engine: Engine,
    /// Its runs.
    #[serde(flatten)]
    pub measured: Measured,
    /// The sequential checksum it was checked against.
    pub expected: String,
    /// The time its pool took to start before the runs, if it started one.
    #[serde(default)]
    pub startup_ms: Option<f64>,
}

/// A fresh process pool's start.
#[derive(Clone, Debug, Deserialize)]
pub struct PoolStart {
    /// From asking for the pool to every worker ready, in ms.
    pub startup_ms: f64,
    /// Each worker's time to load its module and instantiate its core, in ms.
    #[serde(default)]
    pub load_ms: Vec<f64>,
}

/// One engine's line in the comparison.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// The engine.
    pub engine: Engine,
    /// Workers it used (1 for sequential).
    pub workers: usize,
    /// Its runs, read against the sequential ones.
    #[serde(flatten)]
    pub checked: Checked,
    /// Every run, warm-ups included.
    pub with_warmup: Summary,
    /// The very first run, warm or not.
    pub first_ms: f64,
    /// Every run in the order it ran, warm-ups first: what a strip of points draws.
    pub runs: Vec<Run>,
    /// `(max - min) / median` of the timed runs.
    pub spread: Option<f64>,
    /// The same over every run, warm-ups included.
    pub spread_with_warmup: Option<f64>,
    /// Against the sequential baseline's timed runs.
    pub speedup: Option<SpeedupRange>,
    /// Against the baseline, both with warm-ups included.
    pub speedup_with_warmup: Option<SpeedupRange>,
    /// The pool start paid before its runs, if any.
    pub startup_ms: Option<f64>,
}

/// The finished comparison.
#[derive(Clone, Debug, Serialize)]
pub struct CompareReport {
    /// The comparison's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// The most any engine can gain: `min(workers, cores)`.
    pub ideal: f64,
    /// One row per engine, in run order.
    pub rows: Vec<Row>,
    /// One verdict per parallel engine (lesson 1).
    pub findings: Vec<Finding>,
    /// Where the speedup went, from the timed runs only (lesson 7).
    pub shortfall: Vec<Finding>,
    /// The same, with warm-up runs counted in the medians.
    pub shortfall_with_warmup: Vec<Finding>,
    /// The fresh pool's start, if this run paid one.
    pub pool: Option<PoolSummary>,
}

/// A fresh pool's start, summarised.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct PoolSummary {
    /// Total start-up in ms.
    pub startup_ms: f64,
    /// The fastest and slowest worker's own load, in ms.
    pub load_min_ms: Option<f64>,
    /// See `load_min_ms`.
    pub load_max_ms: Option<f64>,
}

/// How one speedup reads against what the engine could do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// No speedup could be computed.
    Unknown,
    /// GIL: slower than sequential, handing the lock over costs.
    GilSlower,
    /// GIL: no faster, as one lock predicts.
    GilNoFaster,
    /// GIL: faster than one lock allows, so the baseline was noisy.
    GilTooFast,
    /// One worker has nobody to share with.
    OneWorker,
    /// The device reports one core.
    OneCore,
    /// Slower than sequential: overheads cost more than the work saves.
    Slower,
    /// Hardly faster than sequential.
    HardlyFaster,
    /// Above the ideal: impossible, so noise.
    AboveIdeal,
    /// Close to the ideal.
    Close,
    /// A share of the ideal; overheads take the rest.
    Partial,
}

/// What set the ideal a speedup is read against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// An uneven split of tasks over the lanes.
    Tasks,
    /// Fewer workers than cores.
    Workers,
    /// The cores.
    Cores,
}

/// The statements lessons 1 and 7 make.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// One engine's speedup, read against its ideal.
    EngineSpeedup {
        engine: Engine,
        workers: usize,
        cores: usize,
        tasks: usize,
        speedup: f64,
        verdict: Verdict,
        /// The ideal it is read against.
        ideal: f64,
        limit: Limit,
        /// Lanes: `min(workers, cores)`.
        lanes: usize,
        /// `speedup / ideal`.
        share: f64,
        /// More workers than cores.
        crowded: bool,
    },
    /// Only the sequential baseline ran.
    OnlyBaseline,
    /// Lesson 7's headline: the best parallel engine against the ideal.
    Headline { engine: Engine, speedup: f64, workers: usize, cores: usize, lanes: usize },
    /// Lesson 7 without a parallel engine.
    NoParallelEngine { engines: Vec<Engine> },
    /// The core count caps the speedup at `lanes`.
    CoreCeiling { cores: usize, workers: usize, lanes: usize },
    /// How much of the ceiling the best engine reached.
    MeasuredShare { engine: Engine, speedup: f64, lanes: usize, share: f64, missing: f64, close: bool },
    /// Threads copy nothing yet stayed slow: the cores were busy.
    BusyCores { engine: Engine, speedup: f64 },
    /// Tasks that do not split evenly over the lanes.
    UnevenTasks(UnevenSplit),
    /// Time the process pool's chunks spent in messages.
    Messaging { engine: Engine, chunks: usize, messaging_ms: f64, per_chunk_ms: f64 },
    /// Workers idle for a share of the last run.
    Idle { engine: Engine, workers: usize, idle_fraction: f64 },
    /// What starting the pool cost.
    PoolStartup { startup_ms: f64, relative: Option<f64>, load_min_ms: Option<f64>, load_max_ms: Option<f64> },
    /// A first run clearly slower than the warm ones.
    ColdStart { engine: Engine, first_ms: f64, warm_ms: f64, excess: f64, warmup_counted: bool },
    /// No first run was clearly slower.
    NoColdStart { engine: Engine, excess: f64 },
    /// The widest spread between runs.
    Spread { engine: Engine, min_ms: f64, max_ms: f64, spread: f64 },
    /// The GIL engine's workers take turns.
    GilTurns { engine: Engine, speedup: f64, workers: usize },
}

/// Builds the comparison; the first sequential entry is the baseline.
pub fn report(raw: CompareRaw) -> Result<CompareReport, String> {
    let baseline = &raw.engines.iter().find(|e| e.engine == Engine::Sequential).ok_or("the sequential baseline is missing")?.measured;
    let base = summarize_runs(&baseline.runs, false).ok_or("the sequential baseline has no timed run")?;
    let base_all = summarize_runs(&baseline.runs, true).unwrap_or(base);
    let Setup { cores, workers, tasks, .. } = raw.setup;
    let mut rows = Vec::new();
    for e in &raw.engines {
        let mut checked = e.measured.check(&baseline.checksum).ok_or_else(|| format!("{} has no timed run", e.engine.id()))?;
        checked.verified &= e.measured.checksum == e.expected;
        let (summary, runs) = (checked.summary, &e.measured.runs);
        let with_warmup = summarize_runs(runs, true).unwrap_or(summary);
        rows.push(Row {
            engine: e.engine,
            workers: if e.engine == Engine::Sequential { 1 } else { workers },
            checked,
            with_warmup,
            first_ms: runs[0].ms,
            runs: runs.clone(),
            spread: spread(&summary),
            spread_with_warmup: spread(&with_warmup),
            speedup: speedup_between(&base, &summary),
            speedup_with_warmup: speedup_between(&base_all, &with_warmup),
            startup_ms: e.startup_ms,
        });
    }
    let pool = raw.pool.as_ref().map(|p| PoolSummary {
        startup_ms: p.startup_ms,
        load_min_ms: p.load_ms.iter().copied().reduce(f64::min),
        load_max_ms: p.load_ms.iter().copied().reduce(f64::max),
    });
    let parallel: Vec<&Row> = rows.iter().filter(|r| r.engine != Engine::Sequential).collect();
    let findings = if parallel.is_empty() {
        vec![Finding::OnlyBaseline]
    } else {
        parallel.iter().map(|r| engine_speedup(r.engine, r.workers, cores, tasks, r.speedup.map(|s| s.speedup))).collect()
    };
    Ok(CompareReport {
        setup: raw.setup,
        ideal: lanes(workers, cores) as f64,
        shortfall: shortfall(&raw.setup, &rows, pool, false),
        shortfall_with_warmup: shortfall(&raw.setup, &rows, pool, true),
        findings,
        rows,
        pool,
    })
}

/// Reads one engine's speedup against what it could do on `cores` cores with `tasks`
/// tasks; shared by every lesson that shows a single speedup.
pub fn engine_speedup(engine: Engine, workers: usize, cores: usize, tasks: usize, speedup: Option<f64>) -> Finding {
    let lanes = lanes(workers, cores);
    let bound = task_bound(tasks, lanes);
    let (ideal, limit) = if uneven(tasks, lanes) {
        (bound, Limit::Tasks)
    } else if workers < cores {
        (lanes as f64, Limit::Workers)
    } else {
        (lanes as f64, Limit::Cores)
    };
    let speedup_value = speedup.filter(|s| s.is_finite() && *s > 0.0);
    let share = speedup_value.map_or(f64::NAN, |s| s / ideal);
    let verdict = match speedup_value {
        None => Verdict::Unknown,
        Some(s) if engine == Engine::Gil => {
            if s < SLOWER {
                Verdict::GilSlower
            } else if s <= HARDLY_FASTER {
                Verdict::GilNoFaster
            } else {
                Verdict::GilTooFast
            }
        }
        Some(_) if workers == 1 => Verdict::OneWorker,
        Some(_) if lanes == 1 => Verdict::OneCore,
        Some(s) if s < SLOWER => Verdict::Slower,
        Some(s) if s <= HARDLY_FASTER => Verdict::HardlyFaster,
        Some(_) if share > ABOVE_IDEAL => Verdict::AboveIdeal,
        Some(_) if share >= CLOSE_TO_IDEAL => Verdict::Close,
        Some(_) => Verdict::Partial,
    };
    Finding::EngineSpeedup {
        engine,
        workers,
        cores,
        tasks,
        speedup: speedup_value.unwrap_or(f64::NAN),
        verdict,
        ideal,
        limit,
        lanes,
        share,
        crowded: workers > cores,
    }
}

/// How far apart the fastest and slowest run are, as a share of the median.
fn spread(s: &Summary) -> Option<f64> {
    (s.median > 0.0).then(|| (s.max - s.min) / s.median)
}

/// Why the measured speedup is not the full ideal, most important first (lesson 7).
fn shortfall(raw: &Setup, rows: &[Row], pool: Option<PoolSummary>, warmup_counted: bool) -> Vec<Finding> {
    let lanes = lanes(raw.workers, raw.cores);
    let speedup_of = |r: &Row| if warmup_counted { r.speedup_with_warmup } else { r.speedup }.map(|s| s.speedup);
    let summary_of = |r: &Row| if warmup_counted { r.with_warmup } else { r.checked.summary };
    let parallel: Vec<&Row> = rows.iter().filter(|r| matches!(r.engine, Engine::Threads | Engine::Processes)).collect();
    let best = parallel.iter().filter_map(|r| speedup_of(r).map(|s| (r, s))).max_by(|a, b| a.1.total_cmp(&b.1));

    let mut out = vec![match best {
        Some((r, speedup)) => Finding::Headline { engine: r.engine, speedup, workers: raw.workers, cores: raw.cores, lanes },
        None => Finding::NoParallelEngine { engines: rows.iter().map(|r| r.engine).collect() },
    }];
    out.push(Finding::CoreCeiling { cores: raw.cores, workers: raw.workers, lanes });
    if let Some((r, speedup)) = best {
        let share = speedup / lanes as f64;
        out.push(Finding::MeasuredShare { engine: r.engine, speedup, lanes, share, missing: (1.0 - share).max(0.0), close: share >= AS_CLOSE_AS_MEASURABLE });
        if let Some(threads) = parallel.iter().find(|r| r.engine == Engine::Threads) {
            if let Some(s) = speedup_of(threads).filter(|s| lanes > 1 && *s < HARDLY_FASTER) {
                out.push(Finding::BusyCores { engine: Engine::Threads, speedup: s });
            }
        }
    }
    out.extend(uneven_split(raw.tasks, lanes).map(Finding::UnevenTasks));
    for r in &parallel {
        let Some(s) = r.checked.stats else { continue };
        if let Some(messaging_ms) = s.messaging_ms.filter(|m| r.engine == Engine::Processes && *m > 0.0) {
            out.push(Finding::Messaging { engine: r.engine, chunks: s.chunks, messaging_ms, per_chunk_ms: messaging_ms / s.chunks as f64 });
        }
        if s.idle_fraction >= IDLE_WORTH_MENTIONING {
            out.push(Finding::Idle { engine: r.engine, workers: s.workers, idle_fraction: s.idle_fraction });
        }
    }
    if let Some(p) = pool.filter(|p| p.startup_ms > 0.0) {
        let processes = rows.iter().find(|r| r.engine == Engine::Processes);
        let relative = processes.map(|r| summary_of(r).median).filter(|m| *m > 0.0).map(|m| p.startup_ms / m);
        out.push(Finding::PoolStartup { startup_ms: p.startup_ms, relative, load_min_ms: p.load_min_ms, load_max_ms: p.load_max_ms });
    }
    let coldest = rows
        .iter()
        .filter(|r| r.checked.summary.median > 0.0)
        .map(|r| (r, r.first_ms / r.checked.summary.median - 1.0))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let Some((r, excess)) = coldest {
        out.push(if excess >= COLD_START_EXCESS {
            Finding::ColdStart { engine: r.engine, first_ms: r.first_ms, warm_ms: r.checked.summary.median, excess, warmup_counted }
        } else {
            Finding::NoColdStart { engine: r.engine, excess: excess.max(0.0) }
        });
    }
    let widest = rows
        .iter()
        .map(|r| (r, summary_of(r)))
        .filter(|(_, s)| s.count > 1)
        .filter_map(|(r, s)| spread(&s).map(|x| (r, s, x)))
        .max_by(|a, b| a.2.total_cmp(&b.2));
    if let Some((r, s, spread)) = widest {
        out.push(Finding::Spread { engine: r.engine, min_ms: s.min, max_ms: s.max, spread });
    }
    if let Some((r, speedup)) = rows.iter().find(|r| r.engine == Engine::Gil).and_then(|r| speedup_of(r).map(|s| (r, s))) {
        out.push(Finding::GilTurns { engine: r.engine, speedup, workers: r.workers });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::Span;

    fn verdict(engine: Engine, workers: usize, cores: usize, tasks: usize, speedup: f64) -> Verdict {
        match engine_speedup(engine, workers, cores, tasks, Some(speedup)) {
            Finding::EngineSpeedup { verdict, .. } => verdict,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn speedups_read_against_the_ideal() {
        use Verdict::*;
        assert_eq!(verdict(Engine::Threads, 2, 2, 4, 1.9), Close);
        assert_eq!(verdict(Engine::Threads, 2, 2, 4, 2.06), AboveIdeal, "above the physical limit is noise");
        assert_eq!(verdict(Engine::Threads, 4, 2, 8, 1.4), Partial);
        assert_eq!(verdict(Engine::Processes, 2, 2, 4, 1.1), HardlyFaster);
        assert_eq!(verdict(Engine::Processes, 2, 2, 4, 0.5), Slower);
        assert_eq!(verdict(Engine::Threads, 1, 2, 4, 1.0), OneWorker);
        assert_eq!(verdict(Engine::Threads, 4, 1, 4, 1.0), OneCore);
        assert_eq!(verdict(Engine::Gil, 4, 2, 4, 0.98), GilNoFaster);
        assert_eq!(verdict(Engine::Gil, 4, 2, 4, 0.7), GilSlower);
        assert_eq!(verdict(Engine::Gil, 4, 2, 4, 1.5), GilTooFast);
        assert!(matches!(engine_speedup(Engine::Threads, 2, 2, 4, None), Finding::EngineSpeedup { verdict: Unknown, .. }));
    }

    #[test]
    fn an_uneven_split_lowers_the_ideal() {
        let Finding::EngineSpeedup { ideal, limit, verdict, .. } = engine_speedup(Engine::Threads, 4, 4, 6, Some(2.9)) else { panic!() };
        assert_eq!((ideal, limit, verdict), (3.0, Limit::Tasks, Verdict::Close));
    }

    fn runs(ms: &[f64]) -> Vec<Run> {
        ms.iter().enumerate().map(|(i, &ms)| Run { ms, warmup: i == 0 }).collect()
    }

    fn raw(entries: &[(Engine, &[f64])]) -> CompareRaw {
        CompareRaw {
            setup: Setup { cores: 2, workers: 2, tasks: 4, n: 1000 },
            engines: entries
                .iter()
                .map(|(engine, ms)| EngineRaw { engine: *engine, measured: Measured { runs: runs(ms), checksum: "ab".into(), timeline: vec![] }, expected: "ab".into(), startup_ms: None })
                .collect(),
            pool: Some(PoolStart { startup_ms: 110.0, load_ms: vec![40.0, 55.0] }),
        }
    }

    #[test]
    fn a_comparison_reads_each_engine_and_explains_the_shortfall() {
        let report = report(raw(&[(Engine::Sequential, &[120.0, 100.0, 100.0]), (Engine::Threads, &[80.0, 55.0, 55.0]), (Engine::Processes, &[150.0, 60.0, 62.0]), (Engine::Gil, &[100.0, 101.0, 103.0])])).unwrap();
        assert_eq!(report.rows.len(), 4);
        assert!(report.rows.iter().all(|r| r.checked.verified));
        assert_eq!(report.rows[1].speedup.unwrap().speedup, 100.0 / 55.0);
        assert_eq!(report.findings.len(), 3, "one verdict per parallel engine");
        let kinds: Vec<String> = report.shortfall.iter().map(kind).collect();
        assert_eq!(kinds[..3], ["headline", "core_ceiling", "measured_share"]);
        for expected in ["pool_startup", "cold_start", "spread", "gil_turns"] {
            assert!(kinds.iter().any(|k| k == expected), "{expected} in {kinds:?}");
        }
        let Finding::ColdStart { engine, warmup_counted, .. } = report.shortfall.iter().find(|f| kind(f) == "cold_start").unwrap() else { panic!() };
        assert_eq!((*engine, *warmup_counted), (Engine::Processes, false));
        assert!(report.shortfall_with_warmup.iter().any(|f| matches!(f, Finding::ColdStart { warmup_counted: true, .. })));
    }

    #[test]
    fn only_the_baseline_and_a_missing_baseline() {
        let report = report(raw(&[(Engine::Sequential, &[100.0, 100.0])])).unwrap();
        assert_eq!(report.findings, vec![Finding::OnlyBaseline]);
        assert_eq!(kind(&report.shortfall[0]), "no_parallel_engine");
        assert!(super::report(raw(&[(Engine::Threads, &[1.0, 1.0])])).unwrap_err().contains("baseline"));
    }

    fn span(worker: usize, start_ms: f64, end_ms: f64, messages: Option<(f64, f64)>) -> Span {
        Span { chunk: 0, first: 0, len: 1, worker, start_ms, end_ms, wait_ms: 0.0, sent_ms: messages.map(|m| m.0), received_ms: messages.map(|m| m.1) }
    }

    /// More workers than cores and tasks that do not split evenly: every reason the
    /// shortfall can give, with the numbers it rests on.
    #[test]
    fn the_shortfall_names_each_cause_with_its_numbers() {
        let mut raw = raw(&[(Engine::Sequential, &[150.0, 95.0, 100.0, 130.0]), (Engine::Threads, &[56.0, 52.0, 55.0, 60.0]), (Engine::Processes, &[80.0, 60.0, 62.0, 70.0])]);
        (raw.setup.workers, raw.setup.tasks) = (4, 5);
        raw.pool = Some(PoolStart { startup_ms: 200.0, load_ms: vec![25.0, 20.0] });
        raw.engines[1].measured.timeline = vec![span(0, 0.0, 10.0, None), span(1, 0.0, 6.0, None)];
        raw.engines[2].measured.timeline = vec![span(0, 0.2, 10.0, Some((0.0, 10.2))), span(1, 0.1, 10.1, Some((0.0, 10.2)))];
        let report = report(raw).unwrap();
        assert_eq!(report.ideal, 2.0);
        assert_eq!(report.rows[0].runs.len(), 4, "every run is kept, warm-ups included");
        assert!((report.rows[0].spread.unwrap() - 0.35).abs() < 1e-12);
        assert!((report.rows[0].spread_with_warmup.unwrap() - 55.0 / 115.0).abs() < 1e-12);
        let find = |wanted: &str| report.shortfall.iter().find(|f| kind(f) == wanted).cloned();
        assert!(matches!(find("headline"), Some(Finding::Headline { engine: Engine::Threads, workers: 4, cores: 2, lanes: 2, .. })));
        assert_eq!(find("core_ceiling"), Some(Finding::CoreCeiling { cores: 2, workers: 4, lanes: 2 }));
        let Some(Finding::MeasuredShare { share, close, .. }) = find("measured_share") else { panic!() };
        assert!((share - 100.0 / 55.0 / 2.0).abs() < 1e-12 && !close);
        assert!(find("busy_cores").is_none(), "threads at 1.8x on 2 lanes are not held back by busy cores");
        assert_eq!(find("uneven_tasks"), Some(Finding::UnevenTasks(UnevenSplit { tasks: 5, lanes: 2, busiest: 3, bound: 5.0 / 3.0 })));
        let Some(Finding::Messaging { engine: Engine::Processes, chunks: 2, messaging_ms, .. }) = find("messaging") else { panic!() };
        assert!((messaging_ms - 0.6).abs() < 1e-9);
        let idle: Vec<Engine> = report.shortfall.iter().filter_map(|f| if let Finding::Idle { engine, .. } = f { Some(*engine) } else { None }).collect();
        assert_eq!(idle, [Engine::Threads], "20% idle is worth a sentence, 3% is not");
        let Some(Finding::PoolStartup { relative, load_min_ms, load_max_ms, .. }) = find("pool_startup") else { panic!() };
        assert_eq!((relative, load_min_ms, load_max_ms), (Some(200.0 / 62.0), Some(20.0), Some(25.0)));
        let Some(Finding::ColdStart { engine: Engine::Sequential, excess, .. }) = find("cold_start") else { panic!() };
        assert!((excess - 0.5).abs() < 1e-12);
        let Some(Finding::Spread { engine: Engine::Sequential, min_ms, max_ms, .. }) = find("spread") else { panic!() };
        assert_eq!((min_ms, max_ms), (95.0, 130.0));
        assert!(find("gil_turns").is_none(), "no GIL engine ran");
    }

    #[test]
    fn threads_that_stay_slow_point_at_busy_cores_and_warm_code_shows_no_cold_start() {
        let report = report(raw(&[(Engine::Sequential, &[100.0, 100.0, 100.0]), (Engine::Threads, &[95.0, 96.0, 94.0])])).unwrap();
        let kinds: Vec<String> = report.shortfall.iter().map(kind).collect();
        assert!(kinds.contains(&"busy_cores".to_owned()), "{kinds:?}");
        assert!(matches!(report.shortfall.iter().find(|f| kind(f) == "no_cold_start"), Some(Finding::NoColdStart { .. })), "{kinds:?}");
    }

    fn kind(f: &Finding) -> String {
        crate::findings::kind_of(f)
    }
}
