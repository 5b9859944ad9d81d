//! Start-up and the entry point (lesson 8): what a fresh process pool costs before any
//! task runs, and how that cost is paid back as runs grow longer.

use super::thresholds::*;
use super::WithFindings;
use crate::measurement::{summarize_runs, Run, Summary};
use crate::timeline::Span;
use serde::{Deserialize, Serialize};

/// One pool worker's start, as the pool recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkerStart {
    /// The worker's index.
    pub worker: usize,
    /// Its own time to load the module and instantiate the core, in ms.
    pub load_ms: f64,
    /// From the restart to this worker ready, in ms.
    pub ready_ms: f64,
}

/// A pool restart, as the driver measured it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RestartRaw {
    /// From the restart to every worker ready, in ms.
    pub startup_ms: f64,
    /// Each worker.
    pub workers: Vec<WorkerStart>,
}

/// A restart as measured and its one statement.
pub type RestartReport = WithFindings<RestartRaw, Finding>;

/// Run lengths measured with a fresh pool each.
#[derive(Clone, Debug, Deserialize)]
pub struct AmortisationRaw {
    /// Pool workers.
    pub workers: usize,
    /// One entry per run length, any order.
    pub sizes: Vec<SizeRaw>,
    /// The first fresh pool's start, worker by worker (absent: not recorded).
    #[serde(default)]
    pub pool: Option<RestartRaw>,
}

/// One run length.
#[derive(Clone, Debug, Deserialize)]
pub struct SizeRaw {
    /// Its size.
    #[serde(flatten)]
    pub at: At,
    /// The sequential runs.
    pub sequential: Vec<Run>,
    /// The fresh pool's start, in ms.
    pub startup_ms: f64,
    /// The fresh pool's first run.
    pub first: Vec<Run>,
    /// The warm pool's runs.
    pub warm: Vec<Run>,
    /// Whether they matched.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Whether a run length's pool runs matched, and the records kept of them: as sent and as
/// its row shows them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Outcome {
    /// Whether every run matched the sequential checksum.
    pub verified: bool,
    /// The warm runs' checksum.
    pub checksum: String,
    /// The first run's chunk records.
    #[serde(default)]
    pub timeline: Vec<Span>,
}

/// The amortisation table and its statements.
#[derive(Clone, Debug, Serialize)]
pub struct AmortisationReport {
    /// Pool workers.
    pub workers: usize,
    /// One row per run length, ascending.
    pub rows: Vec<Row>,
    /// The first fresh pool's start, worker by worker.
    pub pool: Option<RestartRaw>,
    /// What the pool's start and the rows say, in that order.
    pub findings: Vec<Finding>,
}

/// One run length, read.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Its size.
    #[serde(flatten)]
    pub at: At,
    /// The sequential runs.
    pub sequential: Summary,
    /// The fresh pool's start, in ms.
    pub startup_ms: f64,
    /// The fresh pool's first run, in ms.
    pub first_ms: f64,
    /// The warm pool's runs.
    pub warm: Summary,
    /// Start-up plus the first run.
    pub total_ms: f64,
    /// Sequential over a fresh pool's total.
    pub speedup_fresh: f64,
    /// Sequential over the warm pool.
    pub speedup_warm: f64,
    /// Whether every run matched.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// A run length: as sent, as a row shows it and as a finding quotes it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct At {
    /// Problem size per task.
    pub n: u64,
    /// Tasks per map.
    pub tasks: usize,
}

/// The statements lesson 8 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// What starting the pool took.
    PoolStarted { startup_ms: f64, workers: usize, load_min_ms: f64, load_max_ms: f64 },
    /// Start-up's share of a fresh pool's time at one length.
    StartupShare { at: At, share: f64, speedup_fresh: f64, faster: bool, total_ms: f64, sequential_ms: f64, speedup_warm: Option<f64> },
    /// Where a fresh pool first beat sequential, if anywhere.
    PaidBack { fresh_from: Option<At>, shortest: bool, warm_from: Option<At> },
    /// The first run in fresh workers was slow: code still compiling.
    ColdWorkers { ratio: f64, first_ms: f64, warm_ms: f64 },
}

/// What starting the pool took; nothing when no worker started.
fn pool_started(raw: &RestartRaw) -> Option<Finding> {
    let loads = raw.workers.iter().map(|w| w.load_ms);
    (!raw.workers.is_empty()).then(|| Finding::PoolStarted {
        startup_ms: raw.startup_ms,
        workers: raw.workers.len(),
        load_min_ms: loads.clone().fold(f64::INFINITY, f64::min),
        load_max_ms: loads.fold(0.0, f64::max),
    })
}

/// Builds the restart report.
pub fn restart(raw: RestartRaw) -> Result<RestartReport, String> {
    Ok(RestartReport { findings: pool_started(&raw).into_iter().collect(), measured: raw })
}

/// Builds the amortisation report.
pub fn amortisation(raw: AmortisationRaw) -> Result<AmortisationReport, String> {
    let mut rows = Vec::new();
    for s in &raw.sizes {
        let none = || format!("n = {}: a run is missing", s.at.n);
        let sequential = summarize_runs(&s.sequential, false).ok_or_else(none)?;
        let first_ms = summarize_runs(&s.first, true).ok_or_else(none)?.median;
        let warm = summarize_runs(&s.warm, false).ok_or_else(none)?;
        let total_ms = s.startup_ms + first_ms;
        rows.push(Row {
            at: s.at,
            speedup_fresh: sequential.median / total_ms,
            speedup_warm: sequential.median / warm.median,
            sequential,
            startup_ms: s.startup_ms,
            first_ms,
            warm,
            total_ms,
            outcome: s.outcome.clone(),
        });
    }
    rows.sort_by_key(|r| r.at.n * r.at.tasks as u64);
    let mut findings: Vec<Finding> = raw.pool.as_ref().and_then(pool_started).into_iter().collect();
    findings.extend(read(&rows));
    Ok(AmortisationReport { workers: raw.workers, rows, pool: raw.pool, findings })
}

fn read(rows: &[Row]) -> Vec<Finding> {
    let (Some(small), Some(large)) = (rows.first(), rows.last()) else { return vec![] };
    let at = |r: &Row| r.at;
    let share = |r: &Row| Finding::StartupShare {
        at: r.at,
        share: r.startup_ms / r.total_ms,
        speedup_fresh: r.speedup_fresh,
        faster: r.speedup_fresh >= 1.0,
        total_ms: r.total_ms,
        sequential_ms: r.sequential.median,
        speedup_warm: (!std::ptr::eq(r, small)).then_some(r.speedup_warm),
    };
    let mut out = vec![share(small)];
    if rows.len() > 1 {
        out.push(share(large));
    }
    let fresh = rows.iter().find(|r| r.speedup_fresh >= 1.0);
    out.push(Finding::PaidBack {
        fresh_from: fresh.map(at),
        shortest: fresh.is_some_and(|r| std::ptr::eq(r, small)),
        warm_from: rows.iter().find(|r| r.speedup_warm >= 1.0).map(at),
    });
    if large.first_ms > COLD_POOL_RATIO * large.warm.median && large.warm.median > 1.0 {
        out.push(Finding::ColdWorkers { ratio: large.first_ms / large.warm.median, first_ms: large.first_ms, warm_ms: large.warm.median });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs(ms: f64) -> Vec<Run> {
        vec![Run { ms, warmup: false }]
    }

    fn size(n: u64, sequential: f64, startup: f64, first: f64, warm: f64) -> SizeRaw {
        SizeRaw { at: At { n, tasks: 8 }, sequential: runs(sequential), startup_ms: startup, first: runs(first), warm: runs(warm), outcome: Outcome { verified: true, checksum: "c".into(), timeline: vec![] } }
    }

    #[test]
    fn start_up_is_paid_back_by_longer_runs() {
        let r = amortisation(AmortisationRaw { workers: 2, sizes: vec![size(1_000_000, 1000.0, 100.0, 700.0, 520.0), size(1_000, 1.0, 100.0, 2.0, 0.8)], pool: None }).unwrap();
        assert_eq!(r.rows[0].at.n, 1_000, "ascending");
        assert!(matches!(r.findings[0], Finding::StartupShare { speedup_warm: None, .. }));
        let Finding::PaidBack { fresh_from, shortest, warm_from } = &r.findings[2] else { panic!() };
        assert_eq!((fresh_from.unwrap().n, *shortest, warm_from.unwrap().n), (1_000_000, false, 1_000));
        assert!(!r.findings.iter().any(|f| matches!(f, Finding::ColdWorkers { .. })));
    }

    #[test]
    fn a_slow_first_run_in_fresh_workers() {
        let r = amortisation(AmortisationRaw { workers: 2, sizes: vec![size(1_000_000, 1000.0, 100.0, 1400.0, 520.0)], pool: None }).unwrap();
        assert!(matches!(r.findings.last(), Some(Finding::ColdWorkers { .. })));
        let restart = restart(RestartRaw { startup_ms: 110.0, workers: vec![WorkerStart { worker: 0, load_ms: 40.0, ready_ms: 90.0 }, WorkerStart { worker: 1, load_ms: 55.0, ready_ms: 110.0 }] }).unwrap();
        assert_eq!(restart.findings, vec![Finding::PoolStarted { startup_ms: 110.0, workers: 2, load_min_ms: 40.0, load_max_ms: 55.0 }]);
        assert!(super::restart(RestartRaw { startup_ms: 0.0, workers: vec![] }).unwrap().findings.is_empty(), "no worker, no statement");
    }

    #[test]
    fn the_first_pools_start_comes_first_and_losing_runs_say_so() {
        let pool = RestartRaw { startup_ms: 120.0, workers: vec![WorkerStart { worker: 0, load_ms: 10.0, ready_ms: 80.0 }, WorkerStart { worker: 1, load_ms: 12.0, ready_ms: 120.0 }] };
        let sizes = vec![size(1_000_000, 4.0, 96.0, 4.0, 2.0), size(100_000_000, 400.0, 100.0, 300.0, 200.0), size(300_000_000, 1200.0, 100.0, 500.0, 600.0)];
        let r = amortisation(AmortisationRaw { workers: 2, sizes, pool: Some(pool) }).unwrap();
        assert_eq!(r.findings[0], Finding::PoolStarted { startup_ms: 120.0, workers: 2, load_min_ms: 10.0, load_max_ms: 12.0 });
        assert_eq!(r.pool.as_ref().map(|p| p.workers.len()), Some(2));
        let middle = &r.rows[1];
        assert_eq!((middle.total_ms, middle.speedup_fresh, middle.speedup_warm), (400.0, 1.0, 2.0));
        let Finding::StartupShare { share, faster, speedup_warm, .. } = &r.findings[1] else { panic!() };
        assert_eq!((*share, *faster, *speedup_warm), (0.96, false, None));
        let Finding::StartupShare { speedup_fresh, speedup_warm, .. } = &r.findings[2] else { panic!() };
        assert_eq!((*speedup_fresh, *speedup_warm), (2.0, Some(2.0)));
        assert!(matches!(r.findings[3], Finding::PaidBack { fresh_from: Some(At { n: 100_000_000, .. }), shortest: false, .. }));
        let losing = amortisation(AmortisationRaw { workers: 2, sizes: vec![size(1_000_000, 4.0, 96.0, 4.0, 2.0)], pool: None }).unwrap();
        assert!(matches!(losing.findings[1], Finding::PaidBack { fresh_from: None, warm_from: Some(At { n: 1_000_000, .. }), .. }));
    }
}
