//! Experiments that are more than one `map`: the lessons on shared state and on
//! Amdahl's law need work shaped differently, so they live here, each in its own module.
//! Like the engines, they take a [`Clock`](crate::engines::Clock) and run on the current
//! rayon pool; they know nothing of the page.

pub mod serial_fraction;
pub mod shared_state;

use crate::config::Field;

/// The settings each experiment accepts, for [`crate::config::check_fields`]; `None` for
/// an unknown experiment. `max_workers` is the size of the thread and worker pools.
pub fn settings(experiment: &str, max_workers: usize) -> Option<Vec<Field>> {
    let workers = Field { key: "workers", default: 2f64.min(max_workers as f64), min: 1.0, max: max_workers.max(1) as f64, whole: true };
    let repetitions = Field { key: "repetitions", default: 3.0, min: 1.0, max: 20.0, whole: true };
    let warmup = Field { key: "warmup", default: 1.0, min: 0.0, max: 5.0, whole: true };
    let fields = match experiment {
        "count" => vec![workers, Field { key: "increments", default: 1e6, min: 1.0, max: 5e7, whole: true }, repetitions],
        "phased" => vec![
            workers,
            Field { key: "serial_fraction", default: 0.2, min: 0.0, max: 0.5, whole: false },
            Field { key: "total", default: 2e8, min: 1e3, max: 2e9, whole: true },
            Field { key: "gustafson", default: 0.0, min: 0.0, max: 1.0, whole: true },
            repetitions,
            warmup,
        ],
        // 256 MB: a copy on each side stays well inside a tab's memory.
        "payload" => vec![Field { key: "bytes", default: 1e6, min: 1e3, max: 2.56e8, whole: true }, Field { key: "repetitions", default: 5.0, ..repetitions }],
        "pool" => vec![workers],
        _ => return None,
    };
    Some(fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::check_fields;
    use serde_json::json;

    #[test]
    fn every_experiment_has_settings_with_defaults_in_range() {
        for name in ["count", "phased", "payload", "pool"] {
            let fields = settings(name, 8).unwrap();
            assert!(fields.iter().all(|f| f.min <= f.default && f.default <= f.max), "{name}");
            assert!(check_fields(&json!({}), &fields).unwrap().warnings.is_empty());
        }
        assert!(settings("fork_bomb", 8).is_none());
    }
}
