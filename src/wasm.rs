//! The JavaScript face of the core, and nothing else: every export parses its arguments,
//! calls the core and serialises the answer. Both wasm builds export the same names; the
//! threaded build (feature `threads`) adds rayon's `initThreadPool`.

use crate::config::{check, Limits};
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

/// Runs one map on an in-instance engine (sequential, gil or threads); answers
/// `{checksum, chunks}` as JSON, with chunk times in ms since the map started.
#[wasm_bindgen(js_name = runEngine)]
pub fn run_engine(engine: &str, workload: &str, n: u64, tasks: usize, workers: usize, chunksize: usize) -> Result<String, JsError> {
    let workload = parse_workload(workload)?;
    let inputs = task_inputs(n, tasks);
    let outcome = match Engine::from_id(engine) {
        Some(Engine::Sequential) => map_sequential(workload, &inputs, chunksize, now_ms),
        Some(threaded @ (Engine::Threads | Engine::Gil)) => {
            if !has_threads() {
                return Err(JsError::new("the threads engines need the threaded build, which needs a cross-origin isolated page"));
            }
            if workers > rayon::current_num_threads() {
                return Err(JsError::new(&format!(
                    "{workers} workers asked for, but the thread pool has {}",
                    rayon::current_num_threads()
                )));
            }
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

fn parse_workload(id: &str) -> Result<Workload, JsError> {
    Workload::from_id(id).ok_or_else(|| JsError::new(&format!("unknown workload '{id}'")))
}

fn hex(value: u64) -> String {
    format!("{value:016x}")
}
