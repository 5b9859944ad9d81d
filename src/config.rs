//! Checking a run's settings before any work starts.
//!
//! Settings come from sliders, URL parameters and scripts, so they may be missing,
//! non-numeric, zero, negative or huge. Here every one is either accepted, clamped into
//! range with a message saying so, or refused with a message; nothing else in the crate
//! has to trust its input. This module does not run anything.

use crate::engines::Engine;
use crate::workloads::Workload;
use serde::{Deserialize, Serialize};
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
#[derive(Clone, Copy, Debug, Deserialize)]
pub struct Limits {
    /// The most workers the engines can run (the size of the thread and worker pools).
    pub max_workers: usize,
    /// Whether the engines that need shared memory can run (the threaded build started).
    /// Only lists of engines look at it: a plain `map` on such an engine is refused when
    /// it runs, with the reason, as it always was.
    #[serde(default)]
    pub threads: bool,
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

/// What the playground offers: every engine and workload, with the label the page shows.
/// The driver worker and the page read these from here rather than keeping lists of
/// their own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Catalog {
    /// Every engine, in the order the page lists them.
    pub engines: Vec<EngineEntry>,
    /// Every workload, in the order the page lists them.
    pub workloads: Vec<WorkloadEntry>,
}

/// One engine in the [`Catalog`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EngineEntry {
    /// The identifier used in settings and URLs.
    pub id: &'static str,
    /// Its name on the page.
    pub label: &'static str,
    /// Whether it needs threads over shared memory (the threaded build).
    pub needs_shared_memory: bool,
}

/// One workload in the [`Catalog`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WorkloadEntry {
    /// The identifier used in settings and URLs.
    pub id: &'static str,
    /// Its name on the page.
    pub label: &'static str,
}

/// The engines and workloads, in order, with their labels.
pub fn catalog() -> Catalog {
    let engine_label = |engine| match engine {
        Engine::Sequential => "Sequential",
        Engine::Gil => "Threads with a GIL",
        Engine::Threads => "Threads (shared memory)",
        Engine::Processes => "Process pool",
    };
    let workload_label = |workload| match workload {
        Workload::SumOfSquares => "Sum of squares",
        Workload::IsPrime => "Prime test",
        Workload::Square => "Square",
    };
    Catalog {
        engines: Engine::ALL
            .into_iter()
            .map(|e| EngineEntry { id: e.id(), label: engine_label(e), needs_shared_memory: e.needs_shared_memory() })
            .collect(),
        workloads: Workload::ALL.into_iter().map(|w| WorkloadEntry { id: w.id(), label: workload_label(w) }).collect(),
    }
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


/// One setting of an experiment: its name and the values it takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The setting's name in configurations and URLs.
    pub key: &'static str,
    /// What values it takes and what it is when missing.
    pub kind: Kind,
}

/// The values a [`Field`] takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A number in `min..=max`, whole if asked; `default` when missing.
    Number {
        /// Used when the setting is missing.
        default: f64,
        /// Smallest allowed value.
        min: f64,
        /// Largest allowed value.
        max: f64,
        /// Whether only whole numbers make sense (counts, sizes).
        whole: bool,
    },
    /// On or off: `true`/`false`, or 0/1 (other numbers are clamped with a warning).
    Flag {
        /// Used when the setting is missing.
        default: bool,
    },
    /// One identifier out of `ids`; `default` when missing.
    Choice {
        /// Used when the setting is missing.
        default: &'static str,
        /// The identifiers allowed.
        ids: &'static [&'static str],
    },
    /// A non-empty list of distinct identifiers out of `ids`, in the order given (a
    /// comma-separated text is accepted too); `default` when missing. Identifiers in
    /// `refused` exist but cannot be used here, and are refused with the reason given.
    Choices {
        /// Used when the setting is missing.
        default: Vec<&'static str>,
        /// The identifiers allowed.
        ids: &'static [&'static str],
        /// Identifiers that cannot be used here, each with why.
        refused: Vec<(&'static str, String)>,
    },
    /// A list of at most `max_len` finite numbers (points to fit); empty when missing.
    Numbers {
        /// The longest list accepted.
        max_len: usize,
    },
}

impl Field {
    /// A number in `min..=max` (any real number).
    pub fn number(key: &'static str, default: f64, min: f64, max: f64) -> Field {
        Field { key, kind: Kind::Number { default, min, max, whole: false } }
    }

    /// A whole number in `min..=max`.
    pub fn whole(key: &'static str, default: f64, min: f64, max: f64) -> Field {
        Field { key, kind: Kind::Number { default, min, max, whole: true } }
    }

    /// An on/off switch.
    pub fn flag(key: &'static str, default: bool) -> Field {
        Field { key, kind: Kind::Flag { default } }
    }

    /// One of `ids`.
    pub fn choice(key: &'static str, default: &'static str, ids: &'static [&'static str]) -> Field {
        Field { key, kind: Kind::Choice { default, ids } }
    }

    /// A list of some of `ids`, none of them one of the `refused`.
    pub fn choices(key: &'static str, default: Vec<&'static str>, ids: &'static [&'static str], refused: Vec<(&'static str, String)>) -> Field {
        Field { key, kind: Kind::Choices { default, ids, refused } }
    }

    /// A list of numbers.
    pub fn numbers(key: &'static str, max_len: usize) -> Field {
        Field { key, kind: Kind::Numbers { max_len } }
    }
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
/// numeric text, clamped into range with a warning, refused when not numbers; unknown
/// identifiers refused. Keys outside `fields` are ignored with a warning.
pub fn check_fields(raw: &Value, fields: &[Field]) -> Result<CheckedFields, Vec<String>> {
    let Some(object) = raw.as_object() else {
        return Err(vec!["the experiment settings must be an object".into()]);
    };
    let mut c = Checker { fields: object, warnings: Vec::new(), errors: Vec::new() };
    let values = c.fields_of(fields);
    for key in object.keys().filter(|k| !fields.iter().any(|f| f.key == k.as_str())) {
        c.warnings.push(format!("unknown setting '{key}' was ignored"));
    }
    if c.errors.is_empty() {
        Ok(CheckedFields { values, warnings: c.warnings })
    } else {
        Err(c.errors)
    }
}

/// Checks the settings of an experiment made of `map`s: the keys of one run
/// (`workload`, `workers`, `tasks`, `n`, `chunksize`, `repetitions`, `warmup`) by
/// [`check`]'s rules, per-workload ranges and the size limit included, and `extra`
/// fields beside them. There is no `engine`: such an experiment lists its engines in one
/// of the `extra` fields. The values hold both sets, without `engine`.
pub fn check_map_fields(raw: &Value, limits: Limits, extra: &[Field]) -> Result<CheckedFields, Vec<String>> {
    let Some(object) = raw.as_object() else {
        return Err(vec!["the experiment settings must be an object".into()]);
    };
    let is_run_key = |key: &str| key != "engine" && RUN_KEYS.contains(&key);
    let (run, rest): (Map<String, Value>, Map<String, Value>) = object.clone().into_iter().partition(|(key, _)| is_run_key(key));
    match (check(&Value::Object(run), limits), check_fields(&Value::Object(rest), extra)) {
        (Ok(map), Ok(others)) => {
            let mut values = match serde_json::to_value(&map.config) {
                Ok(Value::Object(values)) => values,
                _ => Map::new(),
            };
            values.remove("engine");
            values.extend(others.values);
            Ok(CheckedFields { values, warnings: [map.warnings, others.warnings].concat() })
        }
        (map, others) => Err([map.err().unwrap_or_default(), others.err().unwrap_or_default()].concat()),
    }
}

/// The keys of one `map`'s settings, as [`check`] reads them.
const RUN_KEYS: [&str; 8] = ["engine", "workload", "workers", "tasks", "n", "chunksize", "repetitions", "warmup"];

struct Checker<'a> {
    fields: &'a Map<String, Value>,
    warnings: Vec<String>,
    errors: Vec<String>,
}

impl Checker<'_> {
    /// Every field's value, in the order of `fields`.
    fn fields_of(&mut self, fields: &[Field]) -> Map<String, Value> {
        let mut values = Map::new();
        for field in fields {
            let key = field.key;
            let value = match &field.kind {
                Kind::Number { default, min, max, whole } => Value::from(self.number(key, *default, *min, *max, *whole)),
                Kind::Flag { default } => Value::from(self.flag(key, *default)),
                Kind::Choice { default, ids } => Value::from(self.one_of(key, default, ids)),
                Kind::Choices { default, ids, refused } => Value::from(self.some_of(key, default, ids, refused)),
                Kind::Numbers { max_len } => Value::from(self.numbers(key, *max_len)),
            };
            values.insert(key.to_owned(), value);
        }
        values
    }

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

    /// On or off: a boolean, its text, or a number read as 0 or 1.
    fn flag(&mut self, key: &str, default: bool) -> bool {
        match self.fields.get(key) {
            Some(Value::Bool(on)) => *on,
            Some(Value::String(text)) if matches!(text.trim(), "true" | "false") => text.trim() == "true",
            _ => self.number(key, f64::from(u8::from(default)), 0.0, 1.0, true) == 1.0,
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

    /// One identifier out of `ids`, as a field.
    fn one_of(&mut self, key: &str, default: &'static str, ids: &'static [&'static str]) -> &'static str {
        match self.fields.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::String(id)) if ids.contains(&id.trim()) => ids.iter().find(|known| **known == id.trim()).copied().unwrap_or(default),
            Some(other) => {
                self.errors.push(format!("{key} must be one of {}, not {}", ids.join(", "), show(other)));
                default
            }
        }
    }

    /// Distinct identifiers out of `ids`, in the order given, none of them `refused`.
    fn some_of(&mut self, key: &str, default: &[&'static str], ids: &'static [&'static str], refused: &[(&'static str, String)]) -> Vec<&'static str> {
        let items: Vec<Value> = match self.fields.get(key) {
            None | Some(Value::Null) => return default.to_vec(),
            Some(Value::Array(items)) => items.clone(),
            Some(Value::String(text)) => text.split(',').map(str::trim).filter(|t| !t.is_empty()).map(Value::from).collect(),
            Some(other) => {
                self.errors.push(format!("{key} must be a list of some of {}, not {}", ids.join(", "), show(other)));
                return default.to_vec();
            }
        };
        let mut chosen: Vec<&'static str> = Vec::new();
        for item in &items {
            let known = item.as_str().map(str::trim).and_then(|id| ids.iter().find(|known| **known == id).copied());
            match known {
                None => self.errors.push(format!("{key} must list only {}, not {}", ids.join(", "), show(item))),
                Some(id) => match refused.iter().find(|(no, _)| *no == id) {
                    Some((_, why)) => self.errors.push(format!("{key}: {id} {why}")),
                    None if chosen.contains(&id) => self.warnings.push(format!("{key} lists {id} twice; it runs once")),
                    None => chosen.push(id),
                },
            }
        }
        if items.is_empty() {
            self.errors.push(format!("{key} must list at least one of {}", ids.join(", ")));
        }
        chosen
    }

    /// Finite numbers, at most `max_len` of them.
    fn numbers(&mut self, key: &str, max_len: usize) -> Vec<f64> {
        let items = match self.fields.get(key) {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.errors.push(format!("{key} must be a list of numbers, not {}", show(other)));
                return Vec::new();
            }
        };
        if items.len() > max_len {
            self.errors.push(format!("{key} has {} numbers, more than the {max_len} allowed", items.len()));
            return Vec::new();
        }
        let numbers: Vec<Option<f64>> = items.iter().map(|item| item.as_f64().filter(|v| v.is_finite())).collect();
        if let Some(bad) = numbers.iter().position(Option::is_none) {
            self.errors.push(format!("{key} must hold only numbers, not {} at position {bad}", show(&items[bad])));
            return Vec::new();
        }
        numbers.into_iter().flatten().collect()
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

    const LIMITS: Limits = Limits { max_workers: 8, threads: true };

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
            Field::whole("workers", 2.0, 1.0, 8.0),
            Field::number("serial_fraction", 0.2, 0.0, 0.5),
        ];
        let checked = check_fields(&json!({"serial_fraction": "0.9", "colour": 1}), &fields).unwrap();
        assert_eq!(checked.values["workers"], json!(2.0));
        assert_eq!(checked.values["serial_fraction"], json!(0.5));
        assert_eq!(checked.warnings.len(), 2, "{:?}", checked.warnings);
        assert!(check_fields(&json!({"workers": 1.5}), &fields).is_err());
        assert!(check_fields(&json!({"serial_fraction": "lots"}), &fields).is_err());
        assert!(check_fields(&json!([1]), &fields).is_err());
    }

    const ENGINES: &[&str] = &["sequential", "gil", "threads", "processes"];

    #[test]
    fn flags_take_booleans_and_zero_or_one() {
        let fields = [Field::flag("cold", false)];
        for (raw, on) in [(json!(true), true), (json!(0), false), (json!("1"), true), (json!("false"), false)] {
            assert_eq!(check_fields(&json!({ "cold": raw }), &fields).unwrap().values["cold"], json!(on));
        }
        assert_eq!(check_fields(&json!({}), &fields).unwrap().values["cold"], json!(false));
        let clamped = check_fields(&json!({"cold": 7}), &fields).unwrap();
        assert_eq!((clamped.values["cold"].clone(), clamped.warnings.len()), (json!(true), 1));
        assert!(check_fields(&json!({"cold": "maybe"}), &fields).is_err());
    }

    #[test]
    fn choices_keep_order_and_refuse_what_cannot_run() {
        let refused = vec![("gil", "needs shared memory".to_owned())];
        let fields = [Field::choices("engines", vec!["sequential"], ENGINES, refused), Field::choice("model", "line", &["line", "amdahl"])];
        let checked = check_fields(&json!({"engines": ["processes", "sequential", "processes"], "model": " amdahl "}), &fields).unwrap();
        assert_eq!(checked.values["engines"], json!(["processes", "sequential"]));
        assert_eq!(checked.values["model"], json!("amdahl"));
        assert_eq!(checked.warnings, ["engines lists processes twice; it runs once"]);
        assert_eq!(check_fields(&json!({"engines": "threads, processes"}), &fields).unwrap().values["engines"], json!(["threads", "processes"]));
        assert_eq!(check_fields(&json!({}), &fields).unwrap().values["engines"], json!(["sequential"]));
        let errors = check_fields(&json!({"engines": ["gil", "fork", 3], "model": "cubic"}), &fields).unwrap_err();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(errors[0].contains("gil needs shared memory"), "{errors:?}");
        assert!(check_fields(&json!({"engines": []}), &fields).is_err());
        assert!(check_fields(&json!({"engines": {"a": 1}}), &fields).is_err());
    }

    #[test]
    fn number_lists_must_be_finite_and_short() {
        let fields = [Field::numbers("xs", 3)];
        assert_eq!(check_fields(&json!({"xs": [1, 2.5]}), &fields).unwrap().values["xs"], json!([1.0, 2.5]));
        assert_eq!(check_fields(&json!({}), &fields).unwrap().values["xs"], json!([]));
        assert!(check_fields(&json!({"xs": [1, null]}), &fields).is_err());
        assert!(check_fields(&json!({"xs": [1, "2"]}), &fields).is_err());
        assert!(check_fields(&json!({"xs": [1, 2, 3, 4]}), &fields).is_err());
        assert!(check_fields(&json!({"xs": 1}), &fields).is_err());
    }

    #[test]
    fn map_experiments_check_their_runs_like_map_does() {
        let extra = [Field::choices("engines", vec!["sequential"], ENGINES, Vec::new())];
        let checked = check_map_fields(&json!({"workload": "is_prime", "tasks": 10, "chunksize": 50, "engines": ["threads"]}), LIMITS, &extra).unwrap();
        assert_eq!(checked.values["n"], json!(1_000_000));
        assert_eq!(checked.values["chunksize"], json!(10));
        assert_eq!(checked.values["engines"], json!(["threads"]));
        assert!(checked.values.get("engine").is_none());
        assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
        let warned = check_map_fields(&json!({"engine": "threads", "workers": 99}), LIMITS, &extra).unwrap();
        assert_eq!(warned.values["workers"], json!(8));
        assert_eq!(warned.warnings.len(), 2, "{:?}", warned.warnings);
        assert!(warned.warnings.iter().any(|w| w == "unknown setting 'engine' was ignored"));
        let errors = check_map_fields(&json!({"n": 2_000_000_000u64, "tasks": 100, "engines": ["fork"]}), LIMITS, &extra).unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors[0].contains("lower n or tasks"));
        assert!(check_map_fields(&json!(null), LIMITS, &extra).is_err());
    }

    #[test]
    fn the_catalog_lists_every_engine_and_workload_in_order() {
        let catalog = catalog();
        let ids: Vec<_> = catalog.engines.iter().map(|e| e.id).collect();
        assert_eq!(ids, Engine::ALL.map(Engine::id));
        let shared: Vec<_> = catalog.engines.iter().filter(|e| e.needs_shared_memory).map(|e| e.id).collect();
        assert_eq!(shared, ["gil", "threads"]);
        assert_eq!(catalog.engines[3].label, "Process pool");
        let workloads: Vec<_> = catalog.workloads.iter().map(|w| w.id).collect();
        assert_eq!(workloads, Workload::ALL.map(Workload::id));
    }

    #[test]
    fn long_values_are_shortened_in_messages() {
        let long = "x".repeat(500);
        let errors = check(&json!({ "workers": long }), LIMITS).unwrap_err();
        assert!(errors[0].len() < 100);
    }
}
