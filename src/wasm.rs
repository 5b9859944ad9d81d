//! The JavaScript face of the core, and nothing else: every export parses its arguments,
//! calls the core and serialises the answer. Both wasm builds export the same names; the
//! threaded build (feature `threads`) adds rayon's `initThreadPool`.

use crate::amdahl::{amdahl_speedup, fit_serial_fraction};
use crate::config::{check, check_fields, Limits};
use crate::experiments::serial_fraction::{run_phased, scaled_total};
use crate::experiments::settings;
use crate::experiments::shared_state::{count, Strategy};
use crate::measurement::fit_line;
use crate::engines::{map_sequential, map_threads, map_with_gil, run_chunk, Engine};
use crate::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::measurement::{checksum, summarize};
use crate::scheduling::{plan_chunks, task_inputs};
use crate::workloads::Workload;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[cfg(all(feature = "threads", not(target_feature = "atomics")))]
compile_error!("the `threads` feature needs `-C target-feature=+atomics,+bulk-memory,+mutable-globals`; build with `cargo xtask build`");

// Re-exported so the crate is linked and its `initThreadPool` export reaches JavaScript.
#[cfg(feature = "threads")]
#[allow(unused_imports)]
pub use wasm_bindgen_rayon::init_thread_pool;

#[wasm_bindgen(inline_js = "
export function now_ms() { return performance.timeOrigin + performance.now(); }
export function record_panic(message) { globalThis.lastWasmPanic = message; }
")]
extern "C" {
    /// Milliseconds on a clock shared by every worker: each worker has its own
    /// `performance.now()` origin, so the origin is added back.
    fn now_ms() -> f64;
    /// Keeps a panic's message where the worker can read it after the trap, so the
    /// error shown is the panic's text rather than "unreachable executed".
    fn record_panic(message: &str);
}

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        record_panic(&info.to_string());
    }));
}

/// Whether this is the threaded build (threads over shared memory).
#[wasm_bindgen(js_name = hasThreads)]
pub fn has_threads() -> bool {
    cfg!(feature = "threads")
}

/// Checks raw run settings (JSON text); answers `{ok, config, warnings}` or `{ok, errors}`.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(raw_json: &str, max_workers: usize) -> String {
    let answer = match serde_json::from_str(raw_json) {
        Err(error) => json!({ "ok": false, "errors": [format!("the run settings are not valid JSON: {error}")] }),
        Ok(raw) => match check(&raw, Limits { max_workers }) {
            Ok(checked) => json!({ "ok": true, "config": checked.config, "warnings": checked.warnings }),
            Err(errors) => json!({ "ok": false, "errors": errors }),
        },
    };
    answer.to_string()
}

/// Checks an experiment's raw settings (JSON text) against its fields; answers like
/// [`check_config`], with `values` instead of `config`.
#[wasm_bindgen(js_name = checkSettings)]
pub fn check_settings(experiment: &str, raw_json: &str, max_workers: usize) -> String {
    let Some(fields) = settings(experiment, max_workers) else {
        return json!({ "ok": false, "errors": [format!("unknown experiment '{experiment}'")] }).to_string();
    };
    let answer = match serde_json::from_str(raw_json) {
        Err(error) => json!({ "ok": false, "errors": [format!("the settings are not valid JSON: {error}")] }),
        Ok(raw) => match check_fields(&raw, &fields) {
            Ok(checked) => json!({ "ok": true, "values": checked.values, "warnings": checked.warnings }),
            Err(errors) => json!({ "ok": false, "errors": errors }),
        },
    };
    answer.to_string()
}

/// Runs one map on an in-instance engine (sequential, gil or threads); answers
/// `{checksum, chunks}` as JSON, with chunk times in ms since the map started.
#[wasm_bindgen(js_name = runEngine)]
pub fn run_engine(engine: &str, workload: &str, n: u64, tasks: usize, workers: usize, chunksize: usize) -> Result<String, JsError> {
    let workload = parse_workload(workload)?;
    let inputs = task_inputs(n, tasks);
    let outcome = match Engine::from_id(engine) {
        Some(Engine::Sequential) => map_sequential(workload, &inputs, chunksize, now_ms),
        Some(threaded @ (Engine::Threads | Engine::Gil)) => {
            require_threads(workers)?;
            if threaded == Engine::Threads {
                map_threads(workload, &inputs, workers, chunksize, now_ms)
            } else {
                map_with_gil(workload, &inputs, workers, chunksize, DEFAULT_SWITCH_INTERVAL_MS, now_ms)
            }
        }
        Some(Engine::Processes) => return Err(JsError::new("the process pool runs in separate workers, not in one instance")),
        None => return Err(JsError::new(&format!("unknown engine '{engine}'"))),
    };
    Ok(json!({ "checksum": hex(checksum(&outcome.results)), "chunks": outcome.chunks }).to_string())
}

/// Lets `workers` threads count `increments` items each into one total with the named
/// strategy; answers `{strategy, expected, counted, lost, ms}` as JSON.
#[wasm_bindgen(js_name = countShared)]
pub fn count_shared(strategy: &str, workers: usize, increments: u64) -> Result<String, JsError> {
    require_threads(workers)?;
    let strategy = Strategy::from_id(strategy).ok_or_else(|| JsError::new(&format!("unknown strategy '{strategy}'")))?;
    Ok(serde_json::to_string(&count(strategy, workers, increments, now_ms))?)
}

/// Runs the serial-then-parallel job; answers the phases' times, chunk records, and the
/// checksum of its one result (comparable with a sequential `sum_of_squares(total)`).
#[wasm_bindgen(js_name = runPhased)]
pub fn run_phased_export(total: u64, serial_fraction: f64, workers: usize) -> Result<String, JsError> {
    require_threads(workers)?;
    let outcome = run_phased(total, serial_fraction, workers, now_ms);
    Ok(json!({
        "checksum": hex(checksum(&[outcome.result])),
        "serial_ms": outcome.serial_ms,
        "parallel_ms": outcome.parallel_ms,
        "serial_iterations": outcome.serial_iterations,
        "parallel_iterations": outcome.parallel_iterations,
        "chunks": outcome.chunks,
    })
    .to_string())
}

/// The job size for `workers` when the problem grows with them (Gustafson).
#[wasm_bindgen(js_name = scaledTotal)]
pub fn scaled_total_export(base: u64, serial_fraction: f64, workers: usize) -> u64 {
    scaled_total(base, serial_fraction, workers)
}

/// Amdahl's predicted speedup for serial fraction `s` on `workers`.
#[wasm_bindgen(js_name = amdahlSpeedup)]
pub fn amdahl_speedup_export(serial_fraction: f64, workers: f64) -> f64 {
    amdahl_speedup(serial_fraction, workers)
}

/// The serial fraction that best fits measured `(workers[i], speedups[i])`, or undefined.
#[wasm_bindgen(js_name = fitSerialFraction)]
pub fn fit_serial_fraction_export(workers: &[f64], speedups: &[f64]) -> Option<f64> {
    let points: Vec<(f64, f64)> = workers.iter().copied().zip(speedups.iter().copied()).collect();
    fit_serial_fraction(&points)
}

/// The least-squares line through `(xs[i], ys[i])` as `{slope, intercept}` JSON, or `null`.
#[wasm_bindgen(js_name = fitLine)]
pub fn fit_line_export(xs: &[f64], ys: &[f64]) -> String {
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    serde_json::to_string(&fit_line(&points)).unwrap_or_else(|_| "null".into())
}

/// What a process-pool worker does: computes one chunk of inputs (copied in, copied out).
#[wasm_bindgen(js_name = runChunk)]
pub fn run_chunk_export(workload: &str, inputs: &[u64]) -> Result<Vec<u64>, JsError> {
    Ok(run_chunk(parse_workload(workload)?, inputs))
}

/// The inputs of a run: `tasks` consecutive values from `n`.
#[wasm_bindgen(js_name = taskInputs)]
pub fn task_inputs_export(n: u64, tasks: usize) -> Vec<u64> {
    task_inputs(n, tasks)
}

/// The chunk plan as flat `[first, len, first, len, …]` pairs.
#[wasm_bindgen(js_name = planChunks)]
pub fn plan_chunks_export(tasks: usize, chunksize: usize) -> Vec<u32> {
    plan_chunks(tasks, chunksize).iter().flat_map(|c| [c.first as u32, c.len as u32]).collect()
}

/// The order-sensitive checksum of a result list, as 16 hex digits.
#[wasm_bindgen(js_name = checksum)]
pub fn checksum_export(results: &[u64]) -> String {
    hex(checksum(results))
}

/// `{count, median, min, max, mean}` of timings as JSON, or `null` when there are none.
#[wasm_bindgen(js_name = summarize)]
pub fn summarize_export(samples: &[f64]) -> String {
    serde_json::to_string(&summarize(samples)).unwrap_or_else(|_| "null".into())
}

/// Panics on purpose, so tests can check that a panic surfaces as a readable error and
/// that the page recovers from it.
#[wasm_bindgen(js_name = panicForTesting)]
pub fn panic_for_testing() {
    panic!("deliberate panic requested to test recovery");
}

fn require_threads(workers: usize) -> Result<(), JsError> {
    if !has_threads() {
        return Err(JsError::new("this experiment needs the threaded build, which needs a cross-origin isolated page"));
    }
    if workers > rayon::current_num_threads() {
        return Err(JsError::new(&format!("{workers} workers asked for, but the thread pool has {}", rayon::current_num_threads())));
    }
    Ok(())
}

fn parse_workload(id: &str) -> Result<Workload, JsError> {
    Workload::from_id(id).ok_or_else(|| JsError::new(&format!("unknown workload '{id}'")))
}

fn hex(value: u64) -> String {
    format!("{value:016x}")
}
