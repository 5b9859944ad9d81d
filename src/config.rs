//! Checking a run's settings before any work starts.
//!
//! Settings come from sliders, URL parameters and scripts, so they may be missing,
//! non-numeric, zero, negative or huge. Here every one is either accepted, clamped into
//! range with a message saying so, or refused with a message; nothing else in the crate
//! has to trust its input. This module does not run anything.

use crate::engines::Engine;
use crate::workloads::Workload;
use serde::Serialize;
use serde_json::{Map, Value};

/// The most inputs a run may map over.
pub const MAX_TASKS: u64 = 100_000;
/// The most timed repetitions a run may ask for.
pub const MAX_REPETITIONS: u64 = 50;
/// The most untimed warm-up runs a run may ask for.
pub const MAX_WARMUP: u64 = 10;
/// The most loop iterations one repetition may cost (about ten seconds in a browser),
/// so no setting can make a run that looks hung.
pub const MAX_WORK_PER_RUN: f64 = 1e10;

/// A checked, complete set of settings for one experiment run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunConfig {
    /// The engine that runs the map.
    pub engine: Engine,
    /// The function mapped over the inputs.
    pub workload: Workload,
    /// Parallel lanes (threads or pool workers).
    pub workers: usize,
    /// Number of inputs.
    pub tasks: usize,
    /// First input: the inputs are `n, n + 1, …, n + tasks - 1`.
    pub n: u64,
    /// Inputs per chunk handed to a worker.
    pub chunksize: usize,
    /// Timed repetitions.
    pub repetitions: usize,
    /// Untimed warm-up runs before the timed ones.
    pub warmup: usize,
}

/// What the running environment allows.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most workers the engines can run (the size of the thread and worker pools).
    pub max_workers: usize,
}

/// The outcome of checking settings that were acceptable, perhaps after clamping.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checked {
    /// The settings to run with.
    pub config: RunConfig,
    /// One sentence for every value that was changed or ignored.
    pub warnings: Vec<String>,
}

/// Checks raw settings (a JSON object); on refusal, returns one message per problem.
pub fn check(raw: &Value, limits: Limits) -> Result<Checked, Vec<String>> {
    let Some(fields) = raw.as_object() else {
        return Err(vec!["the run settings must be an object such as {\"engine\": \"threads\", \"workers\": 2}".into()]);
    };
    let mut c = Checker { fields, warnings: Vec::new(), errors: Vec::new() };

    let engine = c.choice("engine", Engine::Sequential, Engine::from_id, &Engine::ALL.map(Engine::id));
    let workload = c.choice("workload", Workload::SumOfSquares, Workload::from_id, &Workload::ALL.map(Workload::id));
    let (default_n, max_n) = match workload {
        Workload::SumOfSquares => (10_000_000, 2_000_000_000),
        Workload::IsPrime => (1_000_000, 1_000_000_000_000_000),
        Workload::Square => (1, 4_000_000_000),
    };
    let max_workers = limits.max_workers.max(1) as u64;
    let workers = c.whole("workers", 2.min(max_workers), 1, max_workers);
    let tasks = c.whole("tasks", 4, 1, MAX_TASKS);
    let n = c.whole("n", default_n, 0, max_n);
    let chunksize = c.whole("chunksize", 1, 1, MAX_TASKS);
    let repetitions = c.whole("repetitions", 5, 1, MAX_REPETITIONS);
    let warmup = c.whole("warmup", 1, 0, MAX_WARMUP);

    let known = ["engine", "workload", "workers", "tasks", "n", "chunksize", "repetitions", "warmup"];
    for key in fields.keys().filter(|k| !known.contains(&k.as_str())) {
        c.warnings.push(format!("unknown setting '{key}' was ignored"));
    }

    let work = estimated_work(workload, n, tasks);
    if c.errors.is_empty() && work > MAX_WORK_PER_RUN {
        c.errors.push(format!(
            "{tasks} tasks of {} with n = {n} is about {work:.1e} loop iterations per repetition, more than the {MAX_WORK_PER_RUN:.0e} allowed; lower n or tasks",
            workload.id()
        ));
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let config = RunConfig {
        engine,
        workload,
        workers: workers as usize,
        tasks: tasks as usize,
        n,
        chunksize: chunksize.min(tasks) as usize,
        repetitions: repetitions as usize,
        warmup: warmup as usize,
    };
    Ok(Checked { config, warnings: c.warnings })
}

/// Roughly how many inner-loop iterations a run of `tasks` inputs from `n` costs.
pub fn estimated_work(workload: Workload, n: u64, tasks: u64) -> f64 {
    let last = n.saturating_add(tasks) as f64;
    let per_task = match workload {
        Workload::SumOfSquares => last,
        Workload::IsPrime => last.sqrt(),
        Workload::Square => 1.0,
    };
    per_task * tasks as f64
}


/// One numeric setting of an experiment: its name, default and allowed range.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The setting's name in configurations and URLs.
    pub key: &'static str,
    /// Used when the setting is missing.
    pub default: f64,
    /// Smallest allowed value.
    pub min: f64,
    /// Largest allowed value.
    pub max: f64,
    /// Whether only whole numbers make sense (counts, sizes).
    pub whole: bool,
}

/// Settings of an experiment other than a plain `map`, checked against its fields.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CheckedFields {
    /// Every field's value, after defaults and clamping.
    pub values: Map<String, Value>,
    /// One sentence for every value that was changed or ignored.
    pub warnings: Vec<String>,
}

/// Checks raw settings against `fields` with the same rules as [`check`]: numbers or
/// numeric text, clamped into range with a warning, refused when not numbers.
pub fn check_fields(raw: &Value, fields: &[Field]) -> Result<CheckedFields, Vec<String>> {
    let Some(object) = raw.as_object() else {
        return Err(vec!["the experiment settings must be an object".into()]);
    };
    let mut c = Checker { fields: object, warnings: Vec::new(), errors: Vec::new() };
    let mut values = Map::new();
    for field in fields {
        let value = c.number(field.key, field.default, field.min, field.max, field.whole);
        values.insert(field.key.to_owned(), Value::from(value));
    }
    for key in object.keys().filter(|k| !fields.iter().any(|f| f.key == k.as_str())) {
        c.warnings.push(format!("unknown setting '{key}' was ignored"));
    }
    if c.errors.is_empty() {
        Ok(CheckedFields { values, warnings: c.warnings })
    } else {
        Err(c.errors)
    }
}

struct Checker<'a> {
    fields: &'a Map<String, Value>,
    warnings: Vec<String>,
    errors: Vec<String>,
}

impl Checker<'_> {
    /// A whole number in `min..=max`; out-of-range values are clamped with a warning.
    fn whole(&mut self, key: &str, default: u64, min: u64, max: u64) -> u64 {
        self.number(key, default as f64, min as f64, max as f64, true) as u64
    }

    /// A number in `min..=max` (whole if asked); out-of-range values are clamped with a
    /// warning, anything that is not a number is refused.
    fn number(&mut self, key: &str, default: f64, min: f64, max: f64, whole: bool) -> f64 {
        let value = match self.fields.get(key) {
            None | Some(Value::Null) => return default,
            Some(Value::Number(number)) => number.as_f64(),
            Some(Value::String(text)) => text.trim().parse::<f64>().ok(),
            Some(_) => None,
        };
        let shown = show(&self.fields[key]);
        match value {
            Some(v) if v.is_finite() && (!whole || v.fract() == 0.0) => {
                if v < min {
                    self.warnings.push(format!("{key} {shown} is below the minimum {min}; using {min}"));
                    min
                } else if v > max {
                    self.warnings.push(format!("{key} {shown} is above the maximum {max}; using {max}"));
                    max
                } else {
                    v
                }
            }
            Some(v) if v.is_finite() => {
                self.errors.push(format!("{key} must be a whole number, not {shown}"));
                default
            }
            _ => {
                self.errors.push(format!("{key} must be a number, not {shown}"));
                default
            }
        }
    }

    /// One of a fixed set of identifiers.
    fn choice<T: Copy>(&mut self, key: &str, default: T, parse: fn(&str) -> Option<T>, ids: &[&str]) -> T {
        match self.fields.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::String(id)) if parse(id.trim()).is_some() => parse(id.trim()).unwrap_or(default),
            Some(other) => {
                self.errors.push(format!("{key} must be one of {}, not {}", ids.join(", "), show(other)));
                default
            }
        }
    }
}

/// A value as quoted in a message: short, and never more than plain text.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMITS: Limits = Limits { max_workers: 8 };

    #[test]
    fn defaults_fill_an_empty_object() {
        let checked = check(&json!({}), LIMITS).unwrap();
        assert_eq!(checked.config.engine, Engine::Sequential);
        assert_eq!(checked.config.workload, Workload::SumOfSquares);
        assert_eq!((checked.config.workers, checked.config.tasks, checked.config.chunksize), (2, 4, 1));
        assert!(checked.warnings.is_empty());
    }

    #[test]
    fn numeric_strings_are_accepted() {
        let checked = check(&json!({"engine": "threads", "workers": "3", "tasks": " 8 "}), LIMITS).unwrap();
        assert_eq!((checked.config.engine, checked.config.workers, checked.config.tasks), (Engine::Threads, 3, 8));
    }

    #[test]
    fn out_of_range_values_are_clamped_with_a_message() {
        let checked = check(&json!({"workers": 0, "tasks": -5, "repetitions": 1e12, "warmup": 99}), LIMITS).unwrap();
        assert_eq!((checked.config.workers, checked.config.tasks), (1, 1));
        assert_eq!((checked.config.repetitions, checked.config.warmup), (50, 10));
        assert_eq!(checked.warnings.len(), 4, "{:?}", checked.warnings);
        assert!(checked.warnings[0].contains("workers 0 is below the minimum 1"));
        let checked = check(&json!({"workers": 1000}), LIMITS).unwrap();
        assert_eq!(checked.config.workers, 8);
        assert!(checked.warnings[0].contains("above the maximum 8"));
    }

    #[test]
    fn chunksize_never_exceeds_tasks() {
        let checked = check(&json!({"tasks": 10, "chunksize": 50}), LIMITS).unwrap();
        assert_eq!(checked.config.chunksize, 10);
    }

    #[test]
    fn nonsense_is_refused_with_every_reason() {
        let errors = check(&json!({"workers": "abc", "n": 2.5, "engine": "fork", "tasks": [1]}), LIMITS).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("workers must be a number")));
        assert!(errors.iter().any(|e| e.contains("n must be a whole number")));
        assert!(errors.iter().any(|e| e.contains("engine must be one of sequential, gil, threads, processes")));
        assert!(check(&json!({"workers": "NaN"}), LIMITS).is_err());
        assert!(check(&json!({"workers": "Infinity"}), LIMITS).is_err());
        assert!(check(&json!("workers=2"), LIMITS).is_err());
    }

    #[test]
    fn unknown_settings_are_reported_not_used() {
        let checked = check(&json!({"speed": "max"}), LIMITS).unwrap();
        assert_eq!(checked.warnings, ["unknown setting 'speed' was ignored"]);
    }

    #[test]
    fn runs_too_big_to_finish_are_refused() {
        let errors = check(&json!({"n": 2_000_000_000u64, "tasks": 100}), LIMITS).unwrap_err();
        assert!(errors[0].contains("lower n or tasks"), "{errors:?}");
        assert!(check(&json!({"workload": "square", "tasks": 100000}), LIMITS).is_ok());
    }

    #[test]
    fn experiment_fields_follow_the_same_rules() {
        let fields = [
            Field { key: "workers", default: 2.0, min: 1.0, max: 8.0, whole: true },
            Field { key: "serial_fraction", default: 0.2, min: 0.0, max: 0.5, whole: false },
        ];
        let checked = check_fields(&json!({"serial_fraction": "0.9", "colour": 1}), &fields).unwrap();
        assert_eq!(checked.values["workers"], json!(2.0));
        assert_eq!(checked.values["serial_fraction"], json!(0.5));
        assert_eq!(checked.warnings.len(), 2, "{:?}", checked.warnings);
        assert!(check_fields(&json!({"workers": 1.5}), &fields).is_err());
        assert!(check_fields(&json!({"serial_fraction": "lots"}), &fields).is_err());
        assert!(check_fields(&json!([1]), &fields).is_err());
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(500);
        let errors = check(&json!({ "workers": long }), LIMITS).unwrap_err();
        assert!(errors[0].len() < 100);
    }
}
