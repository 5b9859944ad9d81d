//! The JavaScript face of the core, and nothing else: every export reads its arguments,
//! calls the core and hands the answer back as plain JavaScript values. Structured
//! arguments and answers cross as objects and arrays (serde-wasm-bindgen), never as JSON
//! text; maps become plain objects and 64-bit integers become numbers (every one the
//! core answers stays below 2^53). Both wasm builds export the same names; the threaded
//! build (feature `threads`) adds rayon's `initThreadPool`.
//!
//! Not for: deciding anything. Checks live in `config` and `experiments`, meanings in
//! `findings`; this module only converts.

use crate::amdahl::{amdahl_speedup, fit_serial_fraction};
use crate::config::{catalog, check, Limits};
use crate::engines::{map_sequential, map_threads, map_with_gil, run_chunk, Engine};
use crate::experiments::check_settings;
use crate::experiments::serial_fraction::{run_phased, scaled_total};
use crate::experiments::shared_state::{count, Strategy};
use crate::experiments::sweeps::{chunk_plan, chunk_sizes, payload_sizes};
use crate::gil::DEFAULT_SWITCH_INTERVAL_MS;
use crate::measurement::{checksum, fit_line, summarize};
use crate::scheduling::{plan_chunks, task_inputs, ChunkRecord};
use crate::workloads::Workload;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use serde_wasm_bindgen::Serializer;
use wasm_bindgen::prelude::*;

#[cfg(all(feature = "threads", not(target_feature = "atomics")))]
compile_error!("the `threads` feature needs `-C target-feature=+atomics,+bulk-memory,+mutable-globals`; build with `cargo xtask build`");

// Re-exported so the crate is linked and its `initThreadPool` export reaches JavaScript.
#[cfg(feature = "threads")]
#[allow(unused_imports)]
pub use wasm_bindgen_rayon::init_thread_pool;

/// Plain objects for maps, numbers for 64-bit integers, `null` for a missing value.
const PLAIN: Serializer = Serializer::json_compatible();

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

/// Every engine and workload: `{ engines: [{id, label, needs_shared_memory}],
/// workloads: [{id, label}] }`, in the order the page lists them.
#[wasm_bindgen(js_name = catalog)]
pub fn catalog_export() -> Result<JsValue, JsError> {
    plain(&catalog())
}

/// Checks one `map`'s raw settings against `limits` (`{max_workers, threads}`); answers
/// `{ok: true, config, warnings}` or `{ok: false, errors}`.
#[wasm_bindgen(js_name = checkConfig)]
pub fn check_config(raw: JsValue, limits: JsValue) -> Result<JsValue, JsError> {
    let limits: Limits = serde_wasm_bindgen::from_value(limits)?;
    let answer = match settings_value(raw) {
        Err(errors) => json!({ "ok": false, "errors": errors }),
        Ok(raw) => match check(&raw, limits) {
            Ok(checked) => json!({ "ok": true, "config": checked.config, "warnings": checked.warnings }),
            Err(errors) => json!({ "ok": false, "errors": errors }),
        },
    };
    plain(&answer)
}

/// Checks experiment `experiment`'s raw settings against `limits`; answers
/// `{ok: true, values, warnings}` or `{ok: false, errors}` (an unknown experiment too).
#[wasm_bindgen(js_name = checkSettings)]
pub fn check_settings_export(experiment: &str, raw: JsValue, limits: JsValue) -> Result<JsValue, JsError> {
    let limits: Limits = serde_wasm_bindgen::from_value(limits)?;
    let answer = match settings_value(raw).and_then(|raw| check_settings(experiment, &raw, limits)) {
        Ok(checked) => json!({ "ok": true, "values": checked.values, "warnings": checked.warnings }),
        Err(errors) => json!({ "ok": false, "errors": errors }),
    };
    plain(&answer)
}

/// One map on an in-instance engine, as `runEngine` takes it.
#[derive(Deserialize)]
struct EngineRequest {
    engine: String,
    workload: String,
    n: u64,
    tasks: usize,
    workers: usize,
    chunksize: usize,
}

/// What `runEngine` answers.
#[derive(Serialize)]
struct EngineAnswer {
    /// The results' checksum, as 16 hex digits.
    checksum: String,
    /// Wall time of the map alone, in ms: not the inputs, the checksum or this answer.
    ms: f64,
    /// One record per chunk, in ms since the map started.
    chunks: Vec<ChunkRecord>,
}

/// Runs one map on an in-instance engine (sequential, gil or threads) from
/// `{engine, workload, n, tasks, workers, chunksize}`; answers `{checksum, ms, chunks}`,
/// where `ms` times the map alone, inside this call.
#[wasm_bindgen(js_name = runEngine)]
pub fn run_engine(request: JsValue) -> Result<JsValue, JsError> {
    let EngineRequest { engine, workload, n, tasks, workers, chunksize } = serde_wasm_bindgen::from_value(request)?;
    let workload = parse_workload(&workload)?;
    let engine = Engine::from_id(&engine).ok_or_else(|| JsError::new(&format!("unknown engine '{engine}'")))?;
    if engine.needs_shared_memory() {
        require_threads(workers)?;
    }
    let inputs = task_inputs(n, tasks);
    let started = now_ms();
    let outcome = match engine {
        Engine::Sequential => map_sequential(workload, &inputs, chunksize, now_ms),
        Engine::Threads => map_threads(workload, &inputs, workers, chunksize, now_ms),
        Engine::Gil => map_with_gil(workload, &inputs, workers, chunksize, DEFAULT_SWITCH_INTERVAL_MS, now_ms),
        Engine::Processes => return Err(JsError::new("the process pool runs in separate workers, not in one instance")),
    };
    let ms = now_ms() - started;
    plain(&EngineAnswer { checksum: hex(checksum(&outcome.results)), ms, chunks: outcome.chunks })
}

/// A counting run, as `countShared` takes it.
#[derive(Deserialize)]
struct CountRequest {
    strategy: String,
    workers: usize,
    increments: u64,
}

/// Lets `workers` threads count `increments` items each into one total with the named
/// strategy, from `{strategy, workers, increments}`; answers
/// `{strategy, expected, counted, lost, ms}`.
#[wasm_bindgen(js_name = countShared)]
pub fn count_shared(request: JsValue) -> Result<JsValue, JsError> {
    let CountRequest { strategy, workers, increments } = serde_wasm_bindgen::from_value(request)?;
    require_threads(workers)?;
    let strategy = Strategy::from_id(&strategy).ok_or_else(|| JsError::new(&format!("unknown strategy '{strategy}'")))?;
    plain(&count(strategy, workers, increments, now_ms))
}

/// A serial-then-parallel job, as `runPhased` takes it.
#[derive(Deserialize)]
struct PhasedRequest {
    total: u64,
    serial_fraction: f64,
    workers: usize,
}

/// Runs the serial-then-parallel job from `{total, serial_fraction, workers}`; answers
/// `{checksum, ms, serial_ms, parallel_ms, serial_iterations, parallel_iterations,
/// chunks}`: `ms` is the whole job timed inside this call, and the checksum is
/// comparable with a sequential `sum_of_squares(total)`.
#[wasm_bindgen(js_name = runPhased)]
pub fn run_phased_export(request: JsValue) -> Result<JsValue, JsError> {
    let PhasedRequest { total, serial_fraction, workers } = serde_wasm_bindgen::from_value(request)?;
    require_threads(workers)?;
    let started = now_ms();
    let outcome = run_phased(total, serial_fraction, workers, now_ms);
    let ms = now_ms() - started;
    plain(&json!({
        "checksum": hex(checksum(&[outcome.result])),
        "ms": ms,
        "serial_ms": outcome.serial_ms,
        "parallel_ms": outcome.parallel_ms,
        "serial_iterations": outcome.serial_iterations,
        "parallel_iterations": outcome.parallel_iterations,
        "chunks": outcome.chunks,
    }))
}

/// The job size for `workers` when the problem grows with them (Gustafson), for a job
/// of `base` iterations on one worker.
#[wasm_bindgen(js_name = scaledTotal)]
pub fn scaled_total_export(base: f64, serial_fraction: f64, workers: usize) -> Result<f64, JsError> {
    Ok(scaled_total(whole_number(base, "base")?, serial_fraction, workers) as f64)
}

/// Amdahl's predicted speedup for serial fraction `s` on `workers`.
#[wasm_bindgen(js_name = amdahlSpeedup)]
pub fn amdahl_speedup_export(serial_fraction: f64, workers: f64) -> f64 {
    amdahl_speedup(serial_fraction, workers)
}

/// The serial fraction whose Amdahl curve, a core per worker, best fits measured
/// `(workers[i], speedups[i])`, or undefined (also for a worker count that is not whole).
#[wasm_bindgen(js_name = fitSerialFraction)]
pub fn fit_serial_fraction_export(workers: &[f64], speedups: &[f64]) -> Option<f64> {
    let whole = |k: f64| (k >= 1.0 && k.fract() == 0.0).then_some(k as usize);
    let points: Option<Vec<(usize, f64)>> = workers.iter().zip(speedups).map(|(&k, &x)| Some((whole(k)?, x))).collect();
    fit_serial_fraction(&points?, usize::MAX)
}

/// The least-squares line through `(xs[i], ys[i])` as `{slope, intercept}`, or `null`.
#[wasm_bindgen(js_name = fitLine)]
pub fn fit_line_export(xs: &[f64], ys: &[f64]) -> Result<JsValue, JsError> {
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    plain(&fit_line(&points))
}

/// What a process-pool worker does: computes one chunk of inputs (copied in, copied out).
#[wasm_bindgen(js_name = runChunk)]
pub fn run_chunk_export(workload: &str, inputs: &[u64]) -> Result<Vec<u64>, JsError> {
    Ok(run_chunk(parse_workload(workload)?, inputs))
}

/// The inputs of a run, `tasks` consecutive values from `n`, as a `BigUint64Array` for
/// the process pool's messages.
#[wasm_bindgen(js_name = taskInputs)]
pub fn task_inputs_export(n: f64, tasks: usize) -> Result<Vec<u64>, JsError> {
    Ok(task_inputs(whole_number(n, "n")?, tasks))
}

/// The chunk plan as flat `[first, len, first, len, …]` pairs.
#[wasm_bindgen(js_name = planChunks)]
pub fn plan_chunks_export(tasks: usize, chunksize: usize) -> Vec<u32> {
    plan_chunks(tasks, chunksize).iter().flat_map(|c| [c.first as u32, c.len as u32]).collect()
}

/// The chunk sizes a chunk sweep measures, ascending (see `experiments::sweeps`).
#[wasm_bindgen(js_name = chunkSizes)]
pub fn chunk_sizes_export(tasks: usize, workers: usize, chosen: usize) -> Result<JsValue, JsError> {
    plain(&chunk_sizes(tasks, workers, chosen))
}

/// The chunk plan before a sweep: `{ tasks, chunksize, chunks, sizes, choices }` (see
/// `experiments::sweeps::ChunkPlan`).
#[wasm_bindgen(js_name = chunkPlan)]
pub fn chunk_plan_export(tasks: usize, workers: usize, chosen: usize) -> Result<JsValue, JsError> {
    plain(&chunk_plan(tasks, workers, chosen))
}

/// The payload sizes in bytes a payload sweep up to `up_to` measures, ascending.
#[wasm_bindgen(js_name = payloadSizes)]
pub fn payload_sizes_export(up_to: f64) -> Result<JsValue, JsError> {
    plain(&payload_sizes(whole_number(up_to, "bytes")?))
}

/// The order-sensitive checksum of a result list, as 16 hex digits.
#[wasm_bindgen(js_name = checksum)]
pub fn checksum_export(results: &[u64]) -> String {
    hex(checksum(results))
}

/// `{count, median, min, max, mean}` of timings, or `null` when there are none.
#[wasm_bindgen(js_name = summarize)]
pub fn summarize_export(samples: &[f64]) -> Result<JsValue, JsError> {
    plain(&summarize(samples))
}

/// Turns an experiment's raw measurements into its finished report, findings included.
#[wasm_bindgen(js_name = report)]
pub fn report_export(experiment: &str, raw: JsValue) -> Result<JsValue, JsError> {
    let raw: serde_json::Value = serde_wasm_bindgen::from_value(raw)?;
    let report = crate::findings::report(experiment, raw).map_err(|e| JsError::new(&e))?;
    Ok(report.serialize(&serde_wasm_bindgen::Serializer::json_compatible())?)
}

/// Panics on purpose, so tests can check that a panic surfaces as a readable error and
/// that the page recovers from it.
#[wasm_bindgen(js_name = panicForTesting)]
pub fn panic_for_testing() {
    panic!("deliberate panic requested to test recovery");
}

fn plain<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    Ok(value.serialize(&PLAIN)?)
}

/// Raw settings as the checks read them; a value with no plain-data form (a function, a
/// symbol) is refused with a message instead of thrown.
fn settings_value(raw: JsValue) -> Result<Value, Vec<String>> {
    serde_wasm_bindgen::from_value(raw).map_err(|error| vec![format!("the settings could not be read as plain data: {error}")])
}

/// A JavaScript number that must be a whole number a `u64` holds exactly.
fn whole_number(value: f64, what: &str) -> Result<u64, JsError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_991.0 {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!("{what} must be a whole number from 0 to 2^53 - 1, not {value}")))
    }
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
