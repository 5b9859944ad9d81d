//! Experiments that are more than one `map`, and the settings of every experiment.
//!
//! The lessons on shared state and on Amdahl's law need work shaped differently, so it
//! lives here, each in its own module; like the engines, it takes a
//! [`Clock`](crate::engines::Clock) and runs on the current rayon pool. [`sweeps`] plans
//! the sweeps the driver worker runs. [`settings`] and [`check_settings`] say what each
//! experiment the driver offers accepts, so that every one is checked here before it
//! starts. Nothing here knows about the page.

pub mod serial_fraction;
pub mod shared_state;
pub mod sweeps;

use crate::config::{check, check_fields, check_map_fields, CheckedFields, Field, Limits};
use crate::engines::Engine;
use serde_json::Value;

/// Every experiment the driver worker runs, by the name the bridge calls it with.
pub const EXPERIMENTS: [&str; 16] = [
    "map",
    "compare",
    "sweepWorkers",
    "sweepChunks",
    "sweepPayload",
    "count",
    "sharedList",
    "phased",
    "predict",
    "sendFunction",
    "payload",
    "restartPool",
    "amortisation",
    "fit",
    "chunkPlan",
    "payloadPlan",
];

/// The experiments whose settings are one `map`'s (see [`check_map_fields`]) plus the
/// fields [`settings`] lists for them.
const MAP_EXPERIMENTS: [&str; 3] = ["compare", "sweepWorkers", "sweepChunks"];

const ENGINE_IDS: &[&str] = &["sequential", "gil", "threads", "processes"];

/// The fields each experiment accepts beyond those of a `map` run (for "compare",
/// "sweepWorkers" and "sweepChunks") or in all ("map" has none: its settings are
/// [`check`]'s); `None` for an unknown experiment.
pub fn settings(experiment: &str, limits: Limits) -> Option<Vec<Field>> {
    let max_workers = limits.max_workers.max(1) as f64;
    let workers = Field::whole("workers", 2f64.min(max_workers), 1.0, max_workers);
    let repetitions = Field::whole("repetitions", 3.0, 1.0, 20.0);
    let warmup = Field::whole("warmup", 1.0, 0.0, 5.0);
    // 256 MB: a copy on each side stays well inside a tab's memory.
    let bytes = Field::whole("bytes", 1e6, 1e3, 2.56e8);
    let runnable = |ids: &[&'static str]| -> Vec<&'static str> {
        ids.iter().copied().filter(|id| limits.threads || !Engine::from_id(id).is_some_and(Engine::needs_shared_memory)).collect()
    };
    let engines = |default: &[&'static str]| Field::choices("engines", runnable(default), ENGINE_IDS, refused_engines(limits));
    let fields = match experiment {
        "map" | "sendFunction" => vec![],
        "compare" => vec![engines(ENGINE_IDS), Field::flag("cold", false)],
        "sweepWorkers" => vec![engines(ENGINE_IDS)],
        // `keep`: the points of the driver's last sweep with the same settings join the new ones.
        "sweepChunks" => vec![engines(&["threads", "processes"]), Field::flag("sweep", true), Field::flag("keep", false)],
        "count" => vec![workers, Field::whole("increments", 1e6, 1.0, 5e7), repetitions],
        "phased" => vec![
            workers,
            Field::number("serial_fraction", 0.2, 0.0, 0.5),
            Field::whole("total", 2e8, 1e3, 2e9),
            Field::flag("gustafson", false),
            repetitions,
            warmup,
        ],
        "predict" => vec![Field::number("serial_fraction", 0.2, 0.0, 0.5), Field::flag("gustafson", false), Field::whole("up_to", 16.0, 1.0, 1024.0)],
        "payload" | "sweepPayload" => vec![bytes, Field::whole("repetitions", 5.0, 1.0, 20.0), Field::flag("keep", false)],
        "sharedList" | "restartPool" => vec![workers],
        "amortisation" => vec![workers, Field::whole("repetitions", 2.0, 1.0, 20.0), Field::whole("tasks", 4.0, 1.0, 64.0), Field::numbers("sizes", 8)],
        "fit" => vec![Field::choice("model", "line", &["line", "amdahl"]), Field::numbers("xs", 1000), Field::numbers("ys", 1000)],
        "chunkPlan" => vec![Field::whole("tasks", 4.0, 1.0, crate::config::MAX_TASKS as f64), workers, Field::whole("chunksize", 1.0, 1.0, crate::config::MAX_TASKS as f64)],
        "payloadPlan" => vec![bytes],
        _ => return None,
    };
    Some(fields)
}

/// Checks the raw settings of `experiment`; answers its values (for "map", the
/// [`RunConfig`](crate::config::RunConfig) as an object) and warnings, or every problem.
///
/// Experiments with a list of `engines` always start it with `sequential`, the baseline
/// every other engine's results and times are measured against.
pub fn check_settings(experiment: &str, raw: &Value, limits: Limits) -> Result<CheckedFields, Vec<String>> {
    let fields = settings(experiment, limits).ok_or_else(|| vec![format!("unknown experiment '{experiment}'")])?;
    let mut checked = if experiment == "map" {
        let checked = check(raw, limits)?;
        let values = match serde_json::to_value(&checked.config) {
            Ok(Value::Object(values)) => values,
            _ => return Err(vec!["the run settings could not be read back".into()]),
        };
        CheckedFields { values, warnings: checked.warnings }
    } else if MAP_EXPERIMENTS.contains(&experiment) {
        check_map_fields(raw, limits, &fields)?
    } else {
        check_fields(raw, &fields)?
    };
    if let Some(Value::Array(engines)) = checked.values.get_mut("engines") {
        engines.retain(|e| e != "sequential");
        engines.insert(0, Value::from("sequential"));
    }
    if experiment == "amortisation" {
        check_run_lengths(&mut checked, limits)?;
    }
    if experiment == "fit" {
        let length = |key: &str| checked.values[key].as_array().map_or(0, Vec::len);
        if length("xs") != length("ys") {
            return Err(vec![format!("xs and ys must be as long as each other, not {} and {} numbers", length("xs"), length("ys"))]);
        }
    }
    Ok(checked)
}

/// The run lengths an amortisation measures, as problem sizes `n` of the busy loop for
/// its `tasks`: each checked as one `map`'s `n` is (whole, in range, not too big to
/// finish), in ascending order without repeats; the lesson's four when none are given.
fn check_run_lengths(checked: &mut CheckedFields, limits: Limits) -> Result<(), Vec<String>> {
    const DEFAULT_SIZES: [f64; 4] = [1e6, 1e7, 1e8, 3e8];
    let tasks = checked.values["tasks"].clone();
    let given: Vec<f64> = checked.values["sizes"].as_array().map_or(Vec::new(), |a| a.iter().filter_map(Value::as_f64).collect());
    let asked = if given.is_empty() { DEFAULT_SIZES.to_vec() } else { given };
    let mut sizes: Vec<u64> = Vec::new();
    let mut errors = Vec::new();
    for n in asked {
        match check(&serde_json::json!({ "workload": "sum_of_squares", "n": n, "tasks": tasks }), limits) {
            Ok(run) => {
                checked.warnings.extend(run.warnings.into_iter().map(|w| format!("sizes: {w}")));
                sizes.push(run.config.n);
            }
            Err(problems) => errors.extend(problems.into_iter().map(|e| format!("sizes: {e}"))),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    sizes.sort_unstable();
    sizes.dedup();
    checked.values.insert("sizes".into(), Value::from(sizes));
    Ok(())
}

/// The engines this page cannot run, each with why.
fn refused_engines(limits: Limits) -> Vec<(&'static str, String)> {
    if limits.threads {
        return Vec::new();
    }
    Engine::ALL
        .into_iter()
        .filter(|e| e.needs_shared_memory())
        .map(|e| (e.id(), "needs shared-memory threads, which only run on a cross-origin isolated page with the threaded build started".to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Kind;
    use serde_json::json;

    const THREADED: Limits = Limits { max_workers: 8, threads: true };
    const PLAIN: Limits = Limits { max_workers: 8, threads: false };

    #[test]
    fn every_experiment_has_settings_with_defaults_in_range() {
        for name in EXPERIMENTS {
            let fields = settings(name, THREADED).unwrap_or_else(|| panic!("{name} has no settings"));
            for field in &fields {
                if let Kind::Number { default, min, max, .. } = field.kind {
                    assert!(min <= default && default <= max, "{name}.{}", field.key);
                }
            }
            let checked = check_settings(name, &json!({}), THREADED).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert!(checked.warnings.is_empty(), "{name}: {:?}", checked.warnings);
        }
        assert!(settings("fork_bomb", THREADED).is_none());
        assert_eq!(check_settings("fork_bomb", &json!({}), THREADED).unwrap_err(), ["unknown experiment 'fork_bomb'"]);
    }

    #[test]
    fn map_answers_a_whole_run_configuration() {
        let checked = check_settings("map", &json!({"engine": "threads", "tasks": "8"}), THREADED).unwrap();
        assert_eq!((checked.values["engine"].clone(), checked.values["tasks"].clone()), (json!("threads"), json!(8)));
        assert!(check_settings("map", &json!({"engine": "fork"}), THREADED).is_err());
    }

    #[test]
    fn engine_lists_start_with_the_sequential_baseline() {
        let checked = check_settings("compare", &json!({"engines": ["processes", "sequential", "threads"]}), THREADED).unwrap();
        assert_eq!(checked.values["engines"], json!(["sequential", "processes", "threads"]));
        let checked = check_settings("sweepWorkers", &json!({"engines": ["gil"], "workers": 4}), THREADED).unwrap();
        assert_eq!(checked.values["engines"], json!(["sequential", "gil"]));
        assert_eq!(checked.values["workers"], json!(4));
        let chunks = check_settings("sweepChunks", &json!({}), THREADED).unwrap();
        assert_eq!(chunks.values["engines"], json!(["sequential", "threads", "processes"]));
        assert_eq!(chunks.values["sweep"], json!(true));
        assert_eq!(chunks.values["keep"], json!(false));
    }

    #[test]
    fn without_threads_the_defaults_skip_and_lists_refuse_the_thread_engines() {
        let checked = check_settings("compare", &json!({}), PLAIN).unwrap();
        assert_eq!(checked.values["engines"], json!(["sequential", "processes"]));
        let errors = check_settings("sweepWorkers", &json!({"engines": ["threads", "processes"]}), PLAIN).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("threads needs shared-memory threads"), "{errors:?}");
        assert!(errors[0].contains("cross-origin isolated"), "{errors:?}");
    }

    #[test]
    fn fits_and_sends_are_checked_too() {
        let checked = check_settings("fit", &json!({"model": "amdahl", "xs": [2, 4], "ys": [1.8, 3.1]}), THREADED).unwrap();
        assert_eq!(checked.values["model"], json!("amdahl"));
        assert!(check_settings("fit", &json!({"xs": [1, 2], "ys": [1]}), THREADED).unwrap_err()[0].contains("as long as each other"));
        assert!(check_settings("fit", &json!({"model": "cubic"}), THREADED).is_err());
        assert!(check_settings("fit", &json!({"xs": ["1", "x"], "ys": [1, 2]}), THREADED).is_err());
        let send = check_settings("sendFunction", &json!({"what": 1}), THREADED).unwrap();
        assert_eq!(send.warnings, ["unknown setting 'what' was ignored"]);
    }

    #[test]
    fn amortisation_lengths_are_checked_as_run_sizes() {
        let checked = check_settings("amortisation", &json!({}), THREADED).unwrap();
        assert_eq!(checked.values["sizes"], json!([1_000_000, 10_000_000, 100_000_000, 300_000_000]));
        let checked = check_settings("amortisation", &json!({"sizes": [1e8, 1e6, 1e6], "tasks": 2}), THREADED).unwrap();
        assert_eq!(checked.values["sizes"], json!([1_000_000, 100_000_000]));
        let errors = check_settings("amortisation", &json!({"sizes": [1.5, 2e9], "tasks": 64}), THREADED).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].starts_with("sizes: n must be a whole number"), "{errors:?}");
        assert!(errors[1].contains("lower n or tasks"), "{errors:?}");
        let clamped = check_settings("amortisation", &json!({"sizes": [5e9]}), THREADED).unwrap();
        assert_eq!(clamped.values["sizes"], json!([2_000_000_000u64]));
        assert_eq!(clamped.warnings.len(), 1);
    }

    #[test]
    fn sweeps_are_bounded_like_single_runs() {
        let payload = check_settings("sweepPayload", &json!({"bytes": 1e12}), THREADED).unwrap();
        assert_eq!(payload.values["bytes"], json!(2.56e8));
        assert_eq!(payload.warnings.len(), 1);
        let errors = check_settings("sweepChunks", &json!({"n": 2_000_000_000u64, "tasks": 1000}), THREADED).unwrap_err();
        assert!(errors[0].contains("lower n or tasks"), "{errors:?}");
    }
}
