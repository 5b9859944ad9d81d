//! Share results, not state (lesson 5): threads counting into one total three ways, and
//! process-pool workers appending to what they believe is the page's list.

use super::thresholds::*;
use super::WithFindings;
use crate::experiments::shared_state::Strategy;
use crate::measurement::{summarize, Summary};
use serde::{Deserialize, Serialize};

/// What the driver measured: each strategy's runs.
#[derive(Clone, Debug, Deserialize)]
pub struct CountRaw {
    /// The count's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// One entry per strategy, in the lesson's order.
    pub strategies: Vec<StrategyRaw>,
}

/// The count's settings, as sent and as reported.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Setup {
    /// Threads that counted.
    pub workers: usize,
    /// Increments per thread.
    pub increments: u64,
}

/// One strategy's runs.
#[derive(Clone, Debug, Deserialize)]
pub struct StrategyRaw {
    /// The strategy.
    pub strategy: Strategy,
    /// Each run's outcome.
    pub runs: Vec<CountRun>,
}

/// One counting run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CountRun {
    /// What it counted.
    #[serde(flatten)]
    pub count: Count,
    /// Wall time, in ms.
    pub ms: f64,
}

/// One run's count: a run as measured, and the run a row shows.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Count {
    /// What a correct count gives.
    pub expected: u64,
    /// What the counter said.
    pub counted: u64,
    /// Updates overwritten.
    pub lost: u64,
}

/// The finished measurement.
#[derive(Clone, Debug, Serialize)]
pub struct CountReport {
    /// The count's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// One row per strategy.
    pub rows: Vec<CountRow>,
    /// One statement per strategy, then the one-line summary.
    pub findings: Vec<Finding>,
}

/// One strategy, summarised.
#[derive(Clone, Debug, Serialize)]
pub struct CountRow {
    /// The strategy.
    pub strategy: Strategy,
    /// The count of the run with the median loss.
    #[serde(flatten)]
    pub shown: Count,
    /// The smallest loss in any run.
    pub lost_min: u64,
    /// The largest loss in any run.
    pub lost_max: u64,
    /// Times.
    pub summary: Summary,
    /// Every run exact.
    pub exact: bool,
    /// Every run.
    pub runs: Vec<CountRun>,
}

/// How one strategy reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountVerdict {
    /// Racy, but one worker cannot race.
    NothingLostAlone,
    /// Racy, but the workers hardly overlapped.
    NothingLost,
    /// Racy, and updates were lost.
    Lost,
    /// A correct strategy lost updates: a bug.
    Broken,
    /// Exact, but slower than combining.
    ExactSlower,
    /// Exact and about as fast.
    ExactAsFast,
    /// Exact, by counting privately.
    Combined,
}

/// The statements lesson 5 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// One strategy's outcome: `lost_share` is the median run's loss over the expected
    /// count; `vs_combine` its median time over returning and combining's (when exact).
    Counting { strategy: Strategy, verdict: CountVerdict, expected: u64, counted: u64, lost: u64, lost_share: f64, lost_min: u64, lost_max: u64, runs: usize, workers: usize, median_ms: f64, combine_ms: Option<f64>, vs_combine: Option<f64>, fastest: bool },
    /// The run's summary line.
    CountSummary { racy_lost: Option<f64>, racy_lost_any: bool, workers: usize, atomic_vs_combine: Option<f64>, atomic_slower: bool, broken: bool },
    /// The process pool's lists: `copies` when the page's list stayed empty, `full` when
    /// every worker's copy holds exactly what that worker appended.
    SharedList { parent_length: usize, worker_lengths: Vec<usize>, appended_per_worker: usize, copies: bool, full: bool },
}

/// What the driver saw after each pool worker appended to its copy of the list.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SharedListRaw {
    /// The page's list afterwards.
    pub parent_length: usize,
    /// Items each worker appended.
    pub appended_per_worker: usize,
    /// Each worker's list afterwards.
    pub worker_lengths: Vec<usize>,
}

/// The shared-list report: the lists as measured and their one statement.
pub type SharedListReport = WithFindings<SharedListRaw, Finding>;

/// Builds the counting report.
pub fn report(raw: CountRaw) -> Result<CountReport, String> {
    let mut rows = Vec::new();
    for s in &raw.strategies {
        let times: Vec<f64> = s.runs.iter().map(|r| r.ms).collect();
        let summary = summarize(&times).ok_or_else(|| format!("{} has no run", s.strategy.id()))?;
        let mut by_loss = s.runs.clone();
        by_loss.sort_by_key(|r| r.count.lost);
        rows.push(CountRow {
            strategy: s.strategy,
            shown: by_loss[(by_loss.len() - 1) / 2].count,
            lost_min: by_loss[0].count.lost,
            lost_max: by_loss[by_loss.len() - 1].count.lost,
            summary,
            exact: s.runs.iter().all(|r| r.count.lost == 0 && r.count.counted == r.count.expected),
            runs: s.runs.clone(),
        });
    }
    let findings = read(&rows, raw.setup.workers);
    Ok(CountReport { setup: raw.setup, rows, findings })
}

fn read(rows: &[CountRow], workers: usize) -> Vec<Finding> {
    let find = |strategy| rows.iter().find(|r| r.strategy == strategy);
    let share = |r: &CountRow| r.shown.lost as f64 / r.shown.expected.max(1) as f64;
    let combine = find(Strategy::ReturnAndCombine).filter(|r| r.exact);
    let fastest_exact = rows.iter().filter(|r| r.exact && r.strategy != Strategy::RacyIncrement).min_by(|a, b| a.summary.median.total_cmp(&b.summary.median));
    let mut out = Vec::new();
    for r in rows {
        let verdict = match r.strategy {
            Strategy::RacyIncrement if r.lost_max > 0 => CountVerdict::Lost,
            Strategy::RacyIncrement if workers == 1 => CountVerdict::NothingLostAlone,
            Strategy::RacyIncrement => CountVerdict::NothingLost,
            _ if !r.exact => CountVerdict::Broken,
            Strategy::AtomicIncrement if combine.is_some_and(|c| r.summary.median > c.summary.median * ATOMIC_SLOWER) => CountVerdict::ExactSlower,
            Strategy::AtomicIncrement => CountVerdict::ExactAsFast,
            Strategy::ReturnAndCombine => CountVerdict::Combined,
        };
        out.push(Finding::Counting {
            strategy: r.strategy,
            verdict,
            expected: r.shown.expected,
            counted: r.shown.counted,
            lost: r.shown.lost,
            lost_share: share(r),
            lost_min: r.lost_min,
            lost_max: r.lost_max,
            runs: r.runs.len(),
            workers,
            median_ms: r.summary.median,
            combine_ms: combine.map(|c| c.summary.median),
            vs_combine: combine.map(|c| r.summary.median / c.summary.median),
            fastest: fastest_exact.is_some_and(|f| f.strategy == r.strategy),
        });
    }
    let racy = find(Strategy::RacyIncrement);
    let atomic = find(Strategy::AtomicIncrement).filter(|r| r.exact);
    let ratio = atomic.zip(combine).map(|(a, c)| a.summary.median / c.summary.median);
    out.push(Finding::CountSummary {
        racy_lost: racy.map(share),
        racy_lost_any: racy.is_some_and(|r| r.lost_max > 0),
        workers,
        atomic_vs_combine: ratio,
        atomic_slower: ratio.is_some_and(|x| x > ATOMIC_SLOWER),
        broken: rows.iter().any(|r| r.strategy != Strategy::RacyIncrement && !r.exact),
    });
    out
}

/// Builds the shared-list report.
pub fn shared_list(raw: SharedListRaw) -> Result<SharedListReport, String> {
    let finding = Finding::SharedList {
        parent_length: raw.parent_length,
        worker_lengths: raw.worker_lengths.clone(),
        appended_per_worker: raw.appended_per_worker,
        copies: raw.parent_length == 0,
        full: raw.worker_lengths.iter().all(|&n| n == raw.appended_per_worker),
    };
    Ok(SharedListReport { measured: raw, findings: vec![finding] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strategy(strategy: Strategy, lost: &[u64], ms: f64) -> StrategyRaw {
        StrategyRaw { strategy, runs: lost.iter().map(|&l| CountRun { count: Count { expected: 2000, counted: 2000 - l, lost: l }, ms }).collect() }
    }

    #[test]
    fn racy_loses_atomic_is_slow_combining_is_exact() {
        let r = report(CountRaw {
            setup: Setup { workers: 2, increments: 1000 },
            strategies: vec![strategy(Strategy::RacyIncrement, &[300, 100, 200], 1.0), strategy(Strategy::AtomicIncrement, &[0, 0, 0], 9.0), strategy(Strategy::ReturnAndCombine, &[0, 0, 0], 1.0)],
        })
        .unwrap();
        assert_eq!((r.rows[0].shown.lost, r.rows[0].lost_min, r.rows[0].lost_max, r.rows[0].shown.counted), (200, 100, 300, 1800));
        let verdicts: Vec<CountVerdict> = r.findings.iter().filter_map(|f| if let Finding::Counting { verdict, .. } = f { Some(*verdict) } else { None }).collect();
        assert_eq!(verdicts, [CountVerdict::Lost, CountVerdict::ExactSlower, CountVerdict::Combined]);
        assert!(matches!(r.findings[3], Finding::CountSummary { atomic_slower: true, broken: false, racy_lost: Some(x), .. } if (x - 0.1).abs() < 1e-12));
    }

    #[test]
    fn one_worker_cannot_race_and_a_lost_exact_count_is_a_bug() {
        let r = report(CountRaw { setup: Setup { workers: 1, increments: 10 }, strategies: vec![strategy(Strategy::RacyIncrement, &[0], 1.0), strategy(Strategy::AtomicIncrement, &[1], 1.0)] }).unwrap();
        assert!(matches!(r.findings[0], Finding::Counting { verdict: CountVerdict::NothingLostAlone, .. }));
        assert!(matches!(r.findings[1], Finding::Counting { verdict: CountVerdict::Broken, .. }));
    }

    #[test]
    fn without_overlap_nothing_is_lost_and_atomic_keeps_up() {
        let r = report(CountRaw {
            setup: Setup { workers: 2, increments: 1000 },
            strategies: vec![strategy(Strategy::RacyIncrement, &[0, 0], 1.0), strategy(Strategy::AtomicIncrement, &[0, 0], 1.1), strategy(Strategy::ReturnAndCombine, &[0, 0], 1.0)],
        })
        .unwrap();
        let Finding::Counting { verdict, lost_share, .. } = &r.findings[0] else { panic!() };
        assert_eq!((*verdict, *lost_share), (CountVerdict::NothingLost, 0.0));
        let Finding::Counting { verdict, vs_combine, fastest, .. } = &r.findings[1] else { panic!() };
        assert_eq!(*verdict, CountVerdict::ExactAsFast);
        assert!((vs_combine.unwrap() - 1.1).abs() < 1e-12 && !fastest);
        assert!(matches!(r.findings[2], Finding::Counting { verdict: CountVerdict::Combined, fastest: true, .. }));
        assert!(matches!(r.findings[3], Finding::CountSummary { racy_lost_any: false, atomic_slower: false, broken: false, .. }));
    }

    #[test]
    fn the_median_loss_is_shown_with_its_share_and_the_slowdown() {
        let r = report(CountRaw {
            setup: Setup { workers: 2, increments: 500 },
            strategies: vec![strategy(Strategy::RacyIncrement, &[100, 300, 200], 6.0), strategy(Strategy::AtomicIncrement, &[0, 0], 40.0), strategy(Strategy::ReturnAndCombine, &[0, 0], 4.0)],
        })
        .unwrap();
        let Finding::Counting { counted, lost_share, .. } = &r.findings[0] else { panic!() };
        assert_eq!((*counted, *lost_share), (1800, 0.1));
        assert!(matches!(r.findings[1], Finding::Counting { vs_combine: Some(x), .. } if (x - 10.0).abs() < 1e-12));
    }

    #[test]
    fn appends_hit_copies() {
        let r = shared_list(SharedListRaw { parent_length: 0, appended_per_worker: 1000, worker_lengths: vec![1000, 1000] }).unwrap();
        assert!(matches!(r.findings[0], Finding::SharedList { copies: true, full: true, .. }));
        let leaked = shared_list(SharedListRaw { parent_length: 5, appended_per_worker: 1000, worker_lengths: vec![1000, 995] }).unwrap();
        assert!(matches!(leaked.findings[0], Finding::SharedList { copies: false, full: false, .. }));
    }
}
