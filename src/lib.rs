//! The core of parallel-playground: the lesson "Processes and parallelism" as code.
//!
//! - [`workloads`]: the CPU-bound functions learners map over inputs;
//! - [`scheduling`]: chunking and the work queue (`map` with `workers` and `chunksize`);
//! - [`engines`]: sequential, threads, threads with a GIL (the process pool lives in the
//!   browser, reusing [`engines::run_chunk`]);
//! - [`gil`]: the global interpreter lock the GIL engine contends for;
//! - [`measurement`]: summaries of repeated timings and result checksums;
//! - [`amdahl`]: Amdahl's law and the fit of a serial fraction;
//! - [`timeline`]: what one run's per-chunk records say about who was busy;
//! - [`findings`]: what a set of measurements means, as data with named thresholds;
//! - [`config`]: checking a run's settings before it starts;
//! - [`experiments`]: the shared-state and serial-fraction experiments.
//!
//! Nothing here knows about the web: the `wasm` module (built for `wasm32` only) is the
//! one thin layer that exports this core to JavaScript.

pub mod amdahl;
pub mod config;
pub mod engines;
pub mod experiments;
pub mod findings;
pub mod gil;
pub mod measurement;
pub mod scheduling;
pub mod timeline;
pub mod workloads;

#[cfg(target_arch = "wasm32")]
mod wasm;
