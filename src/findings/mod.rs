//! Findings: what a set of measurements means, as data.
//!
//! Each experiment's driver collects raw measurements (timings per run, checksums,
//! chunk records) and hands them here; [`report`] answers the finished report the page
//! draws: summaries, speedups with their paired ranges, fits, ideal lines, and a list
//! of *findings*. A finding is one statement a lesson makes about the numbers: a `kind`,
//! a verdict where there is a choice, and the numbers the statement rests on. Which
//! verdict applies is decided here against the named constants in [`thresholds`]; the
//! page only turns a finding into a sentence with a small template table.
//!
//! The raw and report structs share their common parts through `#[serde(flatten)]`
//! ([`Measured`] and [`Checked`] here, each module's settings there), and a report whose
//! fields are its measurements' and findings is a [`WithFindings`], so the names the
//! driver sends and the page reads stay plain fields of each object.
//!
//! This module does not measure anything and does not write sentences.
//!
//! Which driver experiment sends which raw measurements (field names as in the structs):
//!
//! | experiment | raw | used by |
//! | --- | --- | --- |
//! | `compare` | [`compare::CompareRaw`] (engines in run order, sequential first; `pool` when the run restarted the pool first) | lessons 1 and 7 |
//! | `sweepWorkers` | [`sweep::SweepRaw`] | lesson 2 |
//! | `sweepChunks` | [`chunks::ChunksRaw`] | lesson 3 |
//! | `sweepPayload` | [`payload::PayloadRaw`] (also one size: the single `payload` measurement) | lesson 4 |
//! | `count` | [`counting::CountRaw`] | lesson 5 |
//! | `sharedList` | [`counting::SharedListRaw`] | lesson 5 |
//! | `phased` | [`phased::PhasedRaw`] | lesson 6 |
//! | `predict` | [`phased::PredictRaw`]: no measurement, the settings whose curves lesson 6 draws before a run | lesson 6 |
//! | `restartPool` | [`startup::RestartRaw`] (what the pool's `restart` answers) | lessons 7, 8 |
//! | `amortisation` | [`startup::AmortisationRaw`]: per run length, a sequential map, a pool restart, the fresh pool's first run, the warm pool's runs | lesson 8 |

pub mod chunks;
pub mod compare;
pub mod counting;
pub mod payload;
pub mod phased;
pub mod startup;
pub mod sweep;
pub mod thresholds;

use crate::engines::Engine;
use crate::measurement::{summarize_runs, Run, Summary};
use crate::timeline::{stats, Span, TimelineStats};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The experiments whose raw measurements [`report`] can read.
pub const EXPERIMENTS: [&str; 10] = ["compare", "sweepWorkers", "sweepChunks", "sweepPayload", "phased", "predict", "count", "sharedList", "restartPool", "amortisation"];

/// Turns experiment `experiment`'s raw measurements into its report (findings included).
/// An error names the experiment or the field that could not be read.
pub fn report(experiment: &str, raw: Value) -> Result<Value, String> {
    match experiment {
        "compare" => read(raw, compare::report),
        "sweepWorkers" => read(raw, sweep::report),
        "sweepChunks" => read(raw, chunks::report),
        "sweepPayload" => read(raw, payload::report),
        "phased" => read(raw, phased::report),
        "predict" => read(raw, phased::predict),
        "count" => read(raw, counting::report),
        "sharedList" => read(raw, counting::shared_list),
        "restartPool" => read(raw, startup::restart),
        "amortisation" => read(raw, startup::amortisation),
        other => Err(format!("no report is known for the experiment '{other}'")),
    }
    .map_err(|error| format!("{experiment}: {error}"))
}

fn read<R: DeserializeOwned, A: Serialize>(raw: Value, build: impl FnOnce(R) -> Result<A, String>) -> Result<Value, String> {
    let raw = serde_json::from_value(raw).map_err(|e| format!("its measurements could not be read ({e})"))?;
    serde_json::to_value(build(raw)?).map_err(|e| e.to_string())
}

/// One measured map as the driver sends it: every run, the last run's checksum and its
/// chunk records.
#[derive(Clone, Debug, Deserialize)]
pub struct Measured {
    /// Its runs, warm-ups first.
    pub runs: Vec<Run>,
    /// Its last run's checksum.
    pub checksum: String,
    /// Its last run's chunk records.
    #[serde(default)]
    pub timeline: Vec<Span>,
}

/// One engine's points as the driver sends them (lessons 2 and 3).
#[derive(Clone, Debug, Deserialize)]
pub struct EngineRaw<P> {
    /// The engine.
    pub engine: Engine,
    /// One point per setting swept.
    pub points: Vec<P>,
}

/// A report whose fields are its measurements' (as sent, or summarised in a struct the
/// raw form shares) beside the findings they support.
#[derive(Clone, Debug, Serialize)]
pub struct WithFindings<T, F> {
    /// The measurements.
    #[serde(flatten)]
    pub measured: T,
    /// What they say.
    pub findings: Vec<F>,
}

/// One measured map as a report shows it: the timed runs summarised, whether its results
/// matched the baseline's, and what its last run's timeline says.
#[derive(Clone, Debug, Serialize)]
pub struct Checked {
    /// The timed runs.
    pub summary: Summary,
    /// Whether its checksum equals the baseline's.
    pub verified: bool,
    /// Its checksum.
    pub checksum: String,
    /// Its last run's chunk records.
    pub timeline: Vec<Span>,
    /// What they say.
    pub stats: Option<TimelineStats>,
}

impl Measured {
    /// Reads it against the baseline's checksum; `None` when no run was timed.
    pub fn check(&self, baseline: &str) -> Option<Checked> {
        Some(Checked {
            summary: summarize_runs(&self.runs, false)?,
            verified: self.checksum == baseline,
            checksum: self.checksum.clone(),
            timeline: self.timeline.clone(),
            stats: stats(&self.timeline),
        })
    }
}

pub use crate::amdahl::lanes;

/// The best speedup `tasks` equal tasks can reach on `lanes` lanes: the busiest lane
/// runs `ceil(tasks / lanes)` of them.
pub fn task_bound(tasks: usize, lanes: usize) -> f64 {
    if tasks == 0 || lanes == 0 {
        return 1.0;
    }
    tasks as f64 / tasks.div_ceil(lanes) as f64
}

/// Whether `tasks` split unevenly over `lanes`, so even a perfect run stops below
/// `lanes`.
pub fn uneven(tasks: usize, lanes: usize) -> bool {
    lanes > 1 && task_bound(tasks, lanes) < lanes as f64 - 1e-9
}

/// Tasks that do not split evenly over the lanes: the busiest lane and the bound it sets.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UnevenSplit {
    /// Tasks in the map.
    pub tasks: usize,
    /// Lanes that can compute at once.
    pub lanes: usize,
    /// Tasks the busiest lane runs: `ceil(tasks / lanes)`.
    pub busiest: usize,
    /// The best speedup a perfect run can reach: [`task_bound`].
    pub bound: f64,
}

/// The uneven split of `tasks` over `lanes`, or `None` when they split evenly; read by
/// every lesson that warns of it (lessons 2 and 7).
pub fn uneven_split(tasks: usize, lanes: usize) -> Option<UnevenSplit> {
    uneven(tasks, lanes).then(|| UnevenSplit { tasks, lanes, busiest: tasks.div_ceil(lanes), bound: task_bound(tasks, lanes) })
}

/// The `kind` a finding serialises with (for tests).
#[cfg(test)]
pub(crate) fn kind_of(finding: &impl Serialize) -> String {
    serde_json::to_value(finding).unwrap()["kind"].as_str().unwrap().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bounds_of_tasks_over_lanes() {
        assert_eq!(lanes(8, 2), 2);
        assert_eq!(lanes(0, 4), 1);
        assert_eq!(task_bound(6, 4), 3.0);
        assert_eq!(task_bound(8, 4), 4.0);
        assert!(uneven(6, 4) && !uneven(8, 4) && !uneven(5, 1));
        assert_eq!(uneven_split(8, 4), None);
        let warning = sweep::Finding::UnevenTasks(uneven_split(6, 4).unwrap());
        assert_eq!(serde_json::to_value(warning).unwrap(), json!({ "kind": "uneven_tasks", "tasks": 6, "lanes": 4, "busiest": 2, "bound": 3.0 }));
    }

    #[test]
    fn unknown_experiments_and_unreadable_measurements_are_refused() {
        assert!(report("forkBomb", json!({})).unwrap_err().contains("no report is known"));
        let error = report("compare", json!({ "cores": "two" })).unwrap_err();
        assert!(error.starts_with("compare: its measurements could not be read"), "{error}");
    }
}
