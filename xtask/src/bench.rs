//! `cargo xtask bench`: builds if needed, times the native workloads, serves `www/` on
//! loopback, lets `tests/bench/bench.mjs` drive headless Chromium through
//! `window.parallelPlayground`, then turns the raw samples into the table it prints and
//! `bench/results.json`.
//!
//! The browser script only collects samples; every statistic, ratio and target verdict
//! is computed here, so the printed table and the JSON come from one place. Not part of
//! `cargo xtask test`: the machine is noisy and speed is not a test.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::{json, Value};

use crate::process::{self, clean, rustup_run};
use crate::{build, serve, toolchain};

/// The issue asks for at least seven repetitions of everything.
const MIN_REPS: usize = 7;
/// The native benchmark's workloads; the browser script runs the same two.
const NATIVE_N: u64 = 50_000_000;
const NATIVE_TASKS: u64 = 4;

/// `cargo xtask bench`'s options.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Interleaved rounds of every measurement.
    #[arg(long, default_value_t = MIN_REPS, value_parser = reps_arg)]
    reps: usize,
    /// Analyse the samples the last run left in bench/tmp/ instead of measuring.
    #[arg(long = "report-only")]
    report_only: bool,
}

fn reps_arg(text: &str) -> Result<usize, String> {
    let reps: usize = text
        .parse()
        .map_err(|_| format!("{text} is not a whole number"))?;
    if !(MIN_REPS..=50).contains(&reps) {
        return Err(format!("must be between {MIN_REPS} and 50, got {reps}"));
    }
    Ok(reps)
}

pub fn cli(root: &Path, options: Options) -> Result<ExitCode> {
    let started = Instant::now();
    let tmp = root.join("bench").join("tmp");
    let raw_path = tmp.join("browser.json");
    let native_path = tmp.join("native.json");
    let read_json = |path: &Path| -> Result<Value> {
        let text =
            fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
    };
    if options.report_only {
        let browser = read_json(&raw_path)?;
        let native = read_json(&native_path)?;
        let machine = read_json(&tmp.join("machine.json"))?;
        let report = analyze(&browser, &native, machine)?;
        print!("{}", render(&report));
        return Ok(ExitCode::SUCCESS);
    }
    let load_before = load_average();
    if load_before > 0.5 {
        step!("note: load average {load_before:.2} before starting: other processes are using the CPU, expect noise");
    }

    build::build_all(root)?;
    let chromium = toolchain::ensure_browsers()?.chromium;
    let native = native_timings(root, options.reps)?;
    fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    fs::write(&native_path, native.to_string())?;

    let www = root.join("www");
    let isolated = serve::serve_dir(&www, "127.0.0.1:0", true)?;
    let plain = serve::serve_dir(&www, "127.0.0.1:0", false)?;
    let _ = fs::remove_file(&raw_path);
    step!(
        "browser: node tests/bench/bench.mjs ({} repetitions; about {} minutes)",
        options.reps,
        2 + options.reps / 3
    );
    process::run(
        clean("node")
            .arg(root.join("tests").join("bench").join("bench.mjs"))
            .env("PLAYGROUND_URL", isolated.url())
            .env("PLAYGROUND_URL_PLAIN", plain.url())
            .env("CHROMIUM", &chromium)
            .env("BENCH_OUT", &raw_path)
            .env("BENCH_REPS", options.reps.to_string())
            .current_dir(root),
    )?;
    drop(isolated);
    drop(plain);
    let browser = read_json(&raw_path)?;

    let machine = machine(
        root,
        load_before,
        load_average(),
        started.elapsed().as_secs_f64(),
    );
    fs::write(tmp.join("machine.json"), machine.to_string())?;
    let report = analyze(&browser, &native, machine)?;
    print!("{}", render(&report));
    let out = root.join("bench").join("results.json");
    fs::write(&out, serde_json::to_string_pretty(&report)? + "\n")
        .with_context(|| format!("writing {}", out.display()))?;
    step!(
        "wrote {} ({:.0} s in all)",
        out.strip_prefix(root).unwrap_or(&out).display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo bench --bench native`: the same workloads compiled natively, sequentially.
fn native_timings(root: &Path, reps: usize) -> Result<Value> {
    step!("native: cargo bench --bench native -- {NATIVE_N} {NATIVE_TASKS} {reps}");
    let stdout = process::output(
        rustup_run("stable", "cargo")
            .args([
                "bench",
                "--quiet",
                "-p",
                "parallel-playground",
                "--bench",
                "native",
                "--",
            ])
            .args([
                NATIVE_N.to_string(),
                NATIVE_TASKS.to_string(),
                reps.to_string(),
            ])
            .current_dir(root),
    )?;
    let line = stdout
        .lines()
        .rev()
        .find(|line| line.trim_start().starts_with('['))
        .ok_or_else(|| anyhow!("the native benchmark printed no JSON: {stdout}"))?;
    serde_json::from_str(line).context("the native benchmark's JSON")
}

// ---------------------------------------------------------------------------------------
// Statistics

/// Median and extremes of a set of samples.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Summary {
    median: f64,
    min: f64,
    max: f64,
}

fn summarize(samples: &[f64]) -> Option<Summary> {
    if samples.is_empty() || samples.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    let median = if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    };
    Some(Summary {
        median,
        min: sorted[0],
        max: sorted[sorted.len() - 1],
    })
}

fn summary_json(s: Summary) -> Value {
    json!({ "median": round3(s.median), "min": round3(s.min), "max": round3(s.max) })
}

/// Least-squares slope of `ys` against `xs`; `None` without two distinct xs.
fn slope(xs: &[f64], ys: &[f64]) -> Option<f64> {
    if xs.len() != ys.len() || xs.len() < 2 {
        return None;
    }
    let n = xs.len() as f64;
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    let sxy: f64 = xs
        .iter()
        .zip(ys)
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Ratios of samples taken in the same round: `a[i] / b[i]`.
fn paired_ratios(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter()
        .zip(b)
        .filter(|(_, y)| **y > 0.0)
        .map(|(x, y)| x / y)
        .collect()
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Analysis: raw browser samples + native timings -> the report (bench/results.json)

/// One performance target from the issue and its verdict.
struct Target {
    name: &'static str,
    goal: &'static str,
    measured: Option<f64>,
    shown: String,
    ok: fn(f64) -> bool,
}

fn analyze(browser: &Value, native: &Value, machine: Value) -> Result<Value> {
    let cases = browser["cases"]
        .as_array()
        .ok_or_else(|| anyhow!("no cases in the browser's samples"))?;
    let case = |id: &str| cases.iter().find(|c| c["id"] == id);
    let samples = |id: &str| case(id).map(|c| numbers(&c["samples"])).unwrap_or_default();
    let cores = browser["cores"].as_u64().unwrap_or(1) as f64;

    // 1. Scaling.
    let sequential = samples("scaling/sequential/1");
    let seq = summarize(&sequential).ok_or_else(|| anyhow!("no sequential scaling samples"))?;
    let mut scaling = vec![json!({
        "engine": "sequential", "workers": 1, "ms": summary_json(seq),
        "speedup": 1.0, "speedup_paired": { "min": 1.0, "max": 1.0 }, "speedup_of_fastest": 1.0, "efficiency": 1.0,
        "samples": sequential,
    })];
    for c in cases
        .iter()
        .filter(|c| c["group"] == "scaling" && c["engine"] != "sequential")
    {
        let times = numbers(&c["samples"]);
        let Some(s) = summarize(&times) else { continue };
        let workers = c["workers"].as_u64().unwrap_or(1);
        let speedup = seq.median / s.median;
        let paired = summarize(&paired_ratios(&sequential, &times)).unwrap_or(Summary {
            median: speedup,
            min: speedup,
            max: speedup,
        });
        scaling.push(json!({
            "engine": c["engine"], "workers": workers, "ms": summary_json(s),
            "speedup": round3(speedup),
            "speedup_paired": { "min": round3(paired.min), "max": round3(paired.max) },
            // The least disturbed runs of each: what the engine can do when nothing else
            // runs on this shared machine.
            "speedup_of_fastest": round3(seq.min / s.min),
            "efficiency": round3(speedup / workers as f64),
            "samples": times,
        }));
    }
    let speedup_of = |engine: &str, workers: u64| {
        scaling
            .iter()
            .find(|row| row["engine"] == engine && row["workers"].as_u64() == Some(workers))
            .and_then(|row| row["speedup"].as_f64())
    };
    let gil_max = scaling
        .iter()
        .filter(|row| row["engine"] == "gil")
        .filter_map(|row| row["speedup"].as_f64())
        .fold(None, |most: Option<f64>, s| {
            Some(most.map_or(s, |m| m.max(s)))
        });

    // The process pool including its start-up: a fresh pool, then the run.
    let cold = &browser["cold_pool"];
    let cold_seq = numbers(&cold["sequential"]);
    let cold_startup = numbers(&cold["startup"]);
    let cold_run = numbers(&cold["run"]);
    let cold_total: Vec<f64> = cold_startup
        .iter()
        .zip(&cold_run)
        .map(|(a, b)| a + b)
        .collect();
    let cold_seq_s = summarize(&cold_seq);
    let cold_total_s = summarize(&cold_total);
    let pool_with_startup = match (cold_seq_s, cold_total_s) {
        (Some(a), Some(b)) => Some(a.median / b.median),
        _ => None,
    };
    let pool_with_startup_paired = summarize(&paired_ratios(&cold_seq, &cold_total));

    // 2. Per-chunk overhead: slope of time against the number of chunks.
    let mut overhead = Vec::new();
    for engine in ["threads", "processes"] {
        for workers in [1, 2] {
            let points: Vec<&Value> = cases
                .iter()
                .filter(|c| {
                    c["group"] == "overhead"
                        && c["engine"] == engine
                        && c["workers"].as_u64() == Some(workers)
                })
                .collect();
            if points.is_empty() {
                continue;
            }
            let chunks: Vec<f64> = points.iter().filter_map(|c| c["chunks"].as_f64()).collect();
            let per_case: Vec<Vec<f64>> = points.iter().map(|c| numbers(&c["samples"])).collect();
            let medians: Vec<f64> = per_case
                .iter()
                .filter_map(|s| summarize(s))
                .map(|s| s.median)
                .collect();
            let rounds = per_case.iter().map(Vec::len).min().unwrap_or(0);
            let per_round: Vec<f64> = (0..rounds)
                .filter_map(|r| slope(&chunks, &per_case.iter().map(|s| s[r]).collect::<Vec<_>>()))
                .map(|ms| ms * 1000.0)
                .collect();
            let Some(us) = slope(&chunks, &medians).map(|ms| ms * 1000.0) else {
                continue;
            };
            let spread = summarize(&per_round).unwrap_or(Summary {
                median: us,
                min: us,
                max: us,
            });
            overhead.push(json!({
                "engine": engine, "workers": workers, "workload": "square",
                "tasks": points[0]["config"]["tasks"],
                "chunks": chunks, "median_ms": medians.iter().map(|m| round3(*m)).collect::<Vec<_>>(),
                "us_per_chunk": round3(us),
                "us_per_chunk_rounds": { "min": round3(spread.min), "max": round3(spread.max) },
            }));
        }
    }
    let overhead_of = |engine: &str| {
        overhead
            .iter()
            .find(|row| row["engine"] == engine && row["workers"].as_u64() == Some(2))
            .and_then(|row| row["us_per_chunk"].as_f64())
    };

    // 3. Start-up.
    let starts = browser["startup"].as_array().cloned().unwrap_or_default();
    let startup_of = |kind: &str, pick: &dyn Fn(&Value) -> Vec<f64>| {
        let values: Vec<f64> = starts
            .iter()
            .filter(|s| s["kind"] == kind)
            .flat_map(pick)
            .collect();
        summarize(&values)
    };
    let field = |path: &'static [&'static str]| {
        move |entry: &Value| {
            let mut value = entry;
            for key in path {
                value = &value[*key];
            }
            value.as_f64().into_iter().collect::<Vec<_>>()
        }
    };
    let mut startup = Vec::new();
    let mut add_startup = |what: &str, kind: &str, summary: Option<Summary>| {
        if let Some(s) = summary {
            startup.push(json!({ "what": what, "page": kind, "ms": summary_json(s) }));
        }
    };
    for kind in ["isolated", "plain"] {
        let build = if kind == "isolated" {
            "threaded"
        } else {
            "plain"
        };
        add_startup(
            "navigation to the page's API published (page scripts)",
            kind,
            startup_of(kind, &field(&["api_ms"])),
        );
        add_startup(
            "navigation to the driver worker's first line",
            kind,
            startup_of(kind, &field(&["driver_start_ms"])),
        );
        add_startup(
            &format!("{build} build: glue module import"),
            kind,
            startup_of(kind, &field(&["timings", "glue_ms"])),
        );
        add_startup(
            &format!("{build} build: wasm fetch + compile + instantiate"),
            kind,
            startup_of(kind, &field(&["timings", "instantiate_ms"])),
        );
        if kind == "isolated" {
            add_startup(
                "thread pool start (initThreadPool, maxWorkers threads)",
                kind,
                startup_of(kind, &field(&["timings", "thread_pool_ms"])),
            );
        }
        add_startup(
            "navigation to engines ready",
            kind,
            startup_of(kind, &field(&["ready_ms"])),
        );
        add_startup(
            "navigation to first result",
            kind,
            startup_of(kind, &field(&["first_result_ms"])),
        );
        add_startup(
            "process pool start, 2 workers, fresh page",
            kind,
            startup_of(kind, &field(&["pool_start_ms"])),
        );
        add_startup(
            "  per pool worker: plain build fetch + compile + instantiate",
            kind,
            startup_of(kind, &|s: &Value| numbers(&s["pool_worker_load_ms"])),
        );
    }
    add_startup(
        "process pool restart, 2 workers, warm page",
        "isolated",
        summarize(&cold_startup),
    );
    let first_result =
        |kind: &str| startup_of(kind, &field(&["first_result_ms"])).map(|s| s.median);

    // 4. Wasm sequential versus native sequential.
    let mut versus_native = Vec::new();
    for row in native.as_array().into_iter().flatten() {
        let workload = row["workload"].as_str().unwrap_or_default();
        let Some(wasm_case) = case(&format!("native/{workload}")) else {
            continue;
        };
        let Some(wasm) = summarize(&numbers(&wasm_case["samples"])) else {
            continue;
        };
        let (Some(median), Some(min), Some(max)) = (
            row["median_ms"].as_f64(),
            row["min_ms"].as_f64(),
            row["max_ms"].as_f64(),
        ) else {
            continue;
        };
        let checksum_matches = wasm_case["checksum"]
            .as_str()
            .map(|c| c == row["checksum"].as_str().unwrap_or_default());
        if checksum_matches == Some(false) {
            bail!(
                "{workload}: the wasm checksum {} differs from the native one {}",
                wasm_case["checksum"],
                row["checksum"]
            );
        }
        versus_native.push(json!({
            "workload": workload, "n": row["n"], "tasks": row["tasks"],
            "wasm_ms": summary_json(wasm),
            "native_ms": { "median": median, "min": min, "max": max },
            "ratio": round3(wasm.median / median),
            "ratio_range": { "min": round3(wasm.min / max), "max": round3(wasm.max / min) },
            "same_checksum": checksum_matches,
        }));
    }
    let ratio_of = |workload: &str| {
        versus_native
            .iter()
            .find(|r| r["workload"] == workload)
            .and_then(|r| r["ratio"].as_f64())
    };

    // 5. Page weight.
    let mut weight = serde_json::Map::new();
    for kind in ["isolated", "plain"] {
        let files = browser["page_weight"][kind]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let raw: u64 = files.iter().filter_map(|f| f["bytes"].as_u64()).sum();
        let gzip: u64 = files.iter().filter_map(|f| f["gzip"].as_u64()).sum();
        weight.insert(
            kind.into(),
            json!({ "files": files.len(), "bytes": raw, "gzip": gzip, "list": files }),
        );
    }
    let gzip_kb = |kind: &str| {
        weight
            .get(kind)
            .and_then(|w| w["gzip"].as_f64())
            .map(|b| b / 1000.0)
    };

    // 6. Long tasks on the page's thread.
    let run = &browser["longtask_run"];
    let run_tasks = run["long_tasks"].as_array().map_or(0, Vec::len);
    let session_list = browser["session_long_tasks"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let session_tasks = session_list.len();
    // Which calls the long tasks began in, most first.
    let mut during: Vec<(String, usize, f64)> = Vec::new();
    for task in &session_list {
        let label = task["during"].as_str().unwrap_or("?").to_owned();
        let ms = task["duration"].as_f64().unwrap_or(0.0);
        match during.iter_mut().find(|(l, _, _)| *l == label) {
            Some(entry) => {
                entry.1 += 1;
                entry.2 = entry.2.max(ms);
            }
            None => during.push((label, 1, ms)),
        }
    }
    during.sort_by_key(|d| std::cmp::Reverse(d.1));
    let during: Vec<Value> = during
        .into_iter()
        .map(|(label, count, longest)| json!({ "during": label, "count": count, "longest_ms": round3(longest) }))
        .collect();
    let load_tasks: usize = starts
        .iter()
        .map(|s| s["load_long_tasks"].as_array().map_or(0, Vec::len))
        .sum();
    let long_tasks = json!({
        "observer_supported": run["observing"],
        "run": { "ms": round3(run["duration_ms"].as_f64().unwrap_or(0.0)), "config": run["config"], "count": run_tasks, "entries": run["long_tasks"] },
        "whole_session": { "ms": round3(browser["session_ms"].as_f64().unwrap_or(0.0)), "count": session_tasks, "by_call": during },
        "page_loads": { "loads": starts.len(), "count": load_tasks },
    });

    let x = |v: Option<f64>, unit: &str| {
        v.map_or("not measured".to_owned(), |v| {
            format!("{}{unit}", fmt_num(v))
        })
    };
    let targets = [
        Target {
            name: "threads, 2 workers: speedup",
            goal: ">= 1.9",
            measured: speedup_of("threads", 2),
            shown: x(speedup_of("threads", 2), "x"),
            ok: |v| v >= 1.9,
        },
        Target {
            name: "process pool, 2 workers, incl. start-up",
            goal: ">= 1.85",
            measured: pool_with_startup,
            shown: x(pool_with_startup, "x"),
            ok: |v| v >= 1.85,
        },
        Target {
            name: "GIL: largest speedup at any worker count",
            goal: "<= 1.1",
            measured: gil_max,
            shown: x(gil_max, "x"),
            ok: |v| v <= 1.1,
        },
        Target {
            name: "wasm / native, sum_of_squares",
            goal: "<= 1.2",
            measured: ratio_of("sum_of_squares"),
            shown: x(ratio_of("sum_of_squares"), ""),
            ok: |v| v <= 1.2,
        },
        Target {
            name: "wasm / native, is_prime",
            goal: "<= 1.2",
            measured: ratio_of("is_prime"),
            shown: x(ratio_of("is_prime"), ""),
            ok: |v| v <= 1.2,
        },
        Target {
            name: "per-chunk overhead, threads (2 workers)",
            goal: "<= 5 us",
            measured: overhead_of("threads"),
            shown: x(overhead_of("threads"), " us"),
            ok: |v| v <= 5.0,
        },
        Target {
            name: "per-chunk overhead, process pool (2 workers)",
            goal: "<= 100 us",
            measured: overhead_of("processes"),
            shown: x(overhead_of("processes"), " us"),
            ok: |v| v <= 100.0,
        },
        Target {
            name: "page weight, isolated page (gzip)",
            goal: "<= 250 kB",
            measured: gzip_kb("isolated"),
            shown: x(gzip_kb("isolated"), " kB"),
            ok: |v| v <= 250.0,
        },
        Target {
            name: "page weight, plain page (gzip)",
            goal: "<= 250 kB",
            measured: gzip_kb("plain"),
            shown: x(gzip_kb("plain"), " kB"),
            ok: |v| v <= 250.0,
        },
        Target {
            name: "first result after navigation, isolated page",
            goal: "<= 1000 ms",
            measured: first_result("isolated"),
            shown: x(first_result("isolated"), " ms"),
            ok: |v| v <= 1000.0,
        },
        Target {
            name: "first result after navigation, plain page",
            goal: "<= 1000 ms",
            measured: first_result("plain"),
            shown: x(first_result("plain"), " ms"),
            ok: |v| v <= 1000.0,
        },
        Target {
            name: "long tasks during a 5 s run",
            goal: "0",
            measured: Some(run_tasks as f64),
            shown: run_tasks.to_string(),
            ok: |v| v == 0.0,
        },
    ];
    let targets: Vec<Value> = targets
        .iter()
        .map(|t| json!({ "target": t.name, "goal": t.goal, "measured": t.measured.map(round3), "shown": t.shown, "met": t.measured.map(t.ok) }))
        .collect();

    Ok(json!({
        "machine": machine,
        "settings": {
            "repetitions": browser["reps"],
            "chromium": browser["chromium"],
            "user_agent": browser["user_agent"],
            "cores_seen_by_browser": cores,
            "scaling_workload": browser["scaling_workload"],
            "rounds": browser["rounds"],
            "method": "every case runs once per round, rounds repeated (A B A B ...), after one untimed warm-up round; medians with min-max; speedups are median/median with the min-max of same-round ratios",
        },
        "targets": targets,
        "scaling": scaling,
        "process_pool_with_startup": {
            "workers": 2,
            "sequential_ms": cold_seq_s.map(summary_json),
            "startup_ms": summarize(&cold_startup).map(summary_json),
            "run_ms": summarize(&cold_run).map(summary_json),
            "total_ms": cold_total_s.map(summary_json),
            "speedup": pool_with_startup.map(round3),
            "speedup_paired": pool_with_startup_paired.map(|s| json!({ "min": round3(s.min), "max": round3(s.max) })),
            "speedup_of_fastest": match (cold_seq_s, cold_total_s) { (Some(a), Some(b)) => Some(round3(a.min / b.min)), _ => None },
        },
        "overhead": overhead,
        "startup": startup,
        "versus_native": versus_native,
        "page_weight": weight,
        "long_tasks": long_tasks,
    }))
}

// ---------------------------------------------------------------------------------------
// Rendering

/// A number with as many decimals as its size deserves: 1234, 123, 12.3, 1.23.
fn fmt_num(x: f64) -> String {
    let a = x.abs();
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

fn fmt_summary(s: &Value) -> String {
    let get = |k: &str| s[k].as_f64().map(fmt_num).unwrap_or_else(|| "?".into());
    format!("{} [{}–{}]", get("median"), get("min"), get("max"))
}

/// Left-aligned columns separated by two spaces, with a rule under the header.
fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let width = |i: usize| {
        rows.iter()
            .filter_map(|r| r.get(i))
            .map(|c| c.chars().count())
            .chain([headers[i].chars().count()])
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..headers.len()).map(width).collect();
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                out.push_str(cell);
                out.push_str(&" ".repeat(pad + 2));
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(headers.to_vec());
    out += &line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
    );
    for row in rows {
        out += &line(row.iter().map(String::as_str).collect());
    }
    out
}

fn kb(bytes: &Value) -> String {
    bytes
        .as_f64()
        .map_or("?".into(), |b| format!("{:.1}", b / 1000.0))
}

/// The report as the table `cargo xtask bench` prints (and docs/performance.md shows).
fn render(report: &Value) -> String {
    let mut out = String::new();
    let m = &report["machine"];
    let s = &report["settings"];
    let _ = writeln!(out, "\n## Benchmark: {}", m["date"].as_str().unwrap_or(""));
    let _ = writeln!(
        out,
        "{} ({} logical cores), {}, {}; Chromium {}; commit {}; {} repetitions, medians [min–max]; load average {} before, {} after.\n",
        m["cpu"].as_str().unwrap_or("?"),
        m["cores"],
        m["memory"].as_str().unwrap_or("?"),
        m["os"].as_str().unwrap_or("?"),
        s["chromium"].as_str().unwrap_or("?"),
        m["commit"].as_str().unwrap_or("?"),
        s["repetitions"],
        m["load_before"],
        m["load_after"],
    );

    let w = &s["scaling_workload"];
    let _ = writeln!(
        out,
        "### Scaling: {} tasks of sum_of_squares(n = {}), chunksize 1, about a second of sequential work\n",
        w["tasks"], w["n"]
    );
    let rows: Vec<Vec<String>> = report["scaling"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            vec![
                r["engine"].as_str().unwrap_or("?").to_owned(),
                r["workers"].to_string(),
                fmt_summary(&r["ms"]),
                format!(
                    "{:.2} [{:.2}–{:.2}]",
                    r["speedup"].as_f64().unwrap_or(0.0),
                    r["speedup_paired"]["min"].as_f64().unwrap_or(0.0),
                    r["speedup_paired"]["max"].as_f64().unwrap_or(0.0)
                ),
                format!("{:.0}%", 100.0 * r["efficiency"].as_f64().unwrap_or(0.0)),
                format!("{:.2}", r["speedup_of_fastest"].as_f64().unwrap_or(0.0)),
            ]
        })
        .collect();
    out += &table(
        &[
            "engine",
            "workers",
            "ms",
            "speedup [same-round range]",
            "efficiency",
            "fastest/fastest",
        ],
        &rows,
    );
    let p = &report["process_pool_with_startup"];
    let _ = writeln!(
        out,
        "\nprocess pool, 2 workers, fresh pool each time: start-up {} + run {} = {} ms against sequential {} ms: speedup {} [{}–{}], fastest/fastest {}\n",
        fmt_summary(&p["startup_ms"]),
        fmt_summary(&p["run_ms"]),
        fmt_summary(&p["total_ms"]),
        fmt_summary(&p["sequential_ms"]),
        p["speedup"].as_f64().map_or("?".into(), |v| format!("{v:.2}")),
        p["speedup_paired"]["min"].as_f64().map_or("?".into(), |v| format!("{v:.2}")),
        p["speedup_paired"]["max"].as_f64().map_or("?".into(), |v| format!("{v:.2}")),
        p["speedup_of_fastest"].as_f64().map_or("?".into(), |v| format!("{v:.2}")),
    );

    let _ = writeln!(out, "### Per-chunk overhead: square, same inputs in more or fewer chunks; slope of ms against chunks\n");
    let rows: Vec<Vec<String>> = report["overhead"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let chunks = numbers(&r["chunks"]);
            let medians = numbers(&r["median_ms"]);
            vec![
                r["engine"].as_str().unwrap_or("?").to_owned(),
                r["workers"].to_string(),
                format!(
                    "{} [{}–{}]",
                    fmt_num(r["us_per_chunk"].as_f64().unwrap_or(0.0)),
                    fmt_num(r["us_per_chunk_rounds"]["min"].as_f64().unwrap_or(0.0)),
                    fmt_num(r["us_per_chunk_rounds"]["max"].as_f64().unwrap_or(0.0))
                ),
                chunks
                    .iter()
                    .zip(&medians)
                    .map(|(c, m)| format!("{c:.0}: {}", fmt_num(*m)))
                    .collect::<Vec<_>>()
                    .join(", "),
            ]
        })
        .collect();
    out += &table(
        &[
            "engine",
            "workers",
            "µs per chunk [per-round range]",
            "chunks: median ms",
        ],
        &rows,
    );

    let _ = writeln!(
        out,
        "\n### Start-up (fresh browser context each time: empty cache)\n"
    );
    let rows: Vec<Vec<String>> = report["startup"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            vec![
                r["page"].as_str().unwrap_or("?").to_owned(),
                r["what"].as_str().unwrap_or("?").to_owned(),
                fmt_summary(&r["ms"]),
            ]
        })
        .collect();
    out += &table(&["page", "what", "ms"], &rows);

    let _ = writeln!(
        out,
        "\n### Wasm sequential against native sequential (cargo bench --bench native)\n"
    );
    let rows: Vec<Vec<String>> = report["versus_native"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            vec![
                format!(
                    "{}(n = {}, {} tasks)",
                    r["workload"].as_str().unwrap_or("?"),
                    r["n"],
                    r["tasks"]
                ),
                fmt_summary(&r["wasm_ms"]),
                fmt_summary(&r["native_ms"]),
                format!(
                    "{:.2} [{:.2}–{:.2}]",
                    r["ratio"].as_f64().unwrap_or(0.0),
                    r["ratio_range"]["min"].as_f64().unwrap_or(0.0),
                    r["ratio_range"]["max"].as_f64().unwrap_or(0.0)
                ),
            ]
        })
        .collect();
    out += &table(
        &["workload", "wasm ms", "native ms", "wasm / native"],
        &rows,
    );

    let _ = writeln!(out, "\n### Page weight (every file the page loads, including the process pool's workers; gzip -6)\n");
    let mut rows = Vec::new();
    for (kind, builds) in [
        ("isolated", "threaded + plain (pool workers)"),
        ("plain", "plain"),
    ] {
        let w = &report["page_weight"][kind];
        let mut files: Vec<&Value> = w["list"].as_array().into_iter().flatten().collect();
        files.sort_by(|a, b| b["gzip"].as_u64().cmp(&a["gzip"].as_u64()));
        let largest = files
            .iter()
            .take(3)
            .map(|f| {
                format!(
                    "{} {}",
                    f["path"].as_str().unwrap_or("?").trim_start_matches('/'),
                    kb(&f["gzip"])
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![
            kind.to_owned(),
            builds.to_owned(),
            w["files"].to_string(),
            kb(&w["bytes"]),
            kb(&w["gzip"]),
            largest,
        ]);
    }
    out += &table(
        &[
            "page",
            "builds",
            "files",
            "raw kB",
            "gzip kB",
            "largest (gzip kB)",
        ],
        &rows,
    );

    let l = &report["long_tasks"];
    let _ = writeln!(
        out,
        "\n### Main thread: long tasks (> 50 ms, PerformanceObserver 'longtask')\n\n{} during a {:.1} s threads run with progress callbacks; {} during the whole {:.0} s measuring session{}; {} during {} page loads (start-up, not runs).\n",
        l["run"]["count"],
        l["run"]["ms"].as_f64().unwrap_or(0.0) / 1000.0,
        l["whole_session"]["count"],
        l["whole_session"]["ms"].as_f64().unwrap_or(0.0) / 1000.0,
        {
            let by: Vec<String> = l["whole_session"]["by_call"]
                .as_array()
                .into_iter()
                .flatten()
                .take(6)
                .map(|d| format!("{} in {} (longest {} ms)", d["count"], d["during"].as_str().unwrap_or("?"), fmt_num(d["longest_ms"].as_f64().unwrap_or(0.0))))
                .collect();
            if by.is_empty() { String::new() } else { format!(": {}", by.join(", ")) }
        },
        l["page_loads"]["count"],
        l["page_loads"]["loads"],
    );

    let _ = writeln!(out, "### Targets\n");
    let rows: Vec<Vec<String>> = report["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            vec![
                match t["met"].as_bool() {
                    Some(true) => "met".to_owned(),
                    Some(false) => "NOT MET".to_owned(),
                    None => "?".to_owned(),
                },
                t["target"].as_str().unwrap_or("?").to_owned(),
                t["goal"].as_str().unwrap_or("?").to_owned(),
                t["shown"].as_str().unwrap_or("?").to_owned(),
            ]
        })
        .collect();
    out += &table(&["", "target", "goal", "measured"], &rows);
    out
}

// ---------------------------------------------------------------------------------------
// The machine

fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0.0)
}

fn machine(root: &Path, load_before: f64, load_after: f64, seconds: f64) -> Value {
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|line| {
            line.strip_prefix("model name")
                .map(|rest| rest.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        })
        .map_or("? GiB".into(), |kib| {
            format!("{:.0} GiB", kib / 1024.0 / 1024.0)
        });
    let os = fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines().find_map(|l| {
                l.strip_prefix("PRETTY_NAME=")
                    .map(|v| v.trim_matches('"').to_owned())
            })
        })
        .unwrap_or_else(|| std::env::consts::OS.into());
    let git = |args: &[&str]| {
        process::output(clean("git").args(args).current_dir(root))
            .map(|s| s.trim().to_owned())
            .unwrap_or_default()
    };
    let dirty = !git(&["status", "--porcelain", "--untracked-files=no"]).is_empty();
    let commit = format!(
        "{}{}",
        git(&["rev-parse", "--short", "HEAD"]),
        if dirty { "+changes" } else { "" }
    );
    let date = process::output(clean("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .map(|s| s.trim().to_owned())
        .unwrap_or_default();
    json!({
        "cpu": cpu,
        "cores": std::thread::available_parallelism().map_or(1, |n| n.get()),
        "memory": memory,
        "os": os,
        "commit": commit,
        "date": date,
        "load_before": load_before,
        "load_after": load_after,
        "bench_seconds": seconds.round(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|a| a.to_string()).collect()
    }

    fn parse_args(args: &[String]) -> Result<Options> {
        crate::parse_options(args)
    }

    #[test]
    fn options() {
        assert_eq!(
            parse_args(&[]).unwrap(),
            Options {
                reps: 7,
                report_only: false
            }
        );
        assert_eq!(parse_args(&args(&["--reps", "9"])).unwrap().reps, 9);
        assert_eq!(
            parse_args(&args(&["--reps=11", "--report-only"])).unwrap(),
            Options {
                reps: 11,
                report_only: true
            }
        );
        assert!(parse_args(&args(&["--reps", "3"])).is_err());
        assert!(parse_args(&args(&["--reps"])).is_err());
        assert!(parse_args(&args(&["--fast"])).is_err());
    }

    #[test]
    fn medians_and_extremes() {
        let s = summarize(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 5.0));
        assert_eq!(summarize(&[4.0, 1.0, 3.0, 100.0]).unwrap().median, 3.5);
        assert_eq!(summarize(&[]), None);
        assert_eq!(summarize(&[1.0, f64::NAN]), None);
    }

    #[test]
    fn slope_of_a_line_and_of_noise() {
        // 2 µs per chunk on top of a fixed 10 ms: the slope is 0.002 ms per chunk.
        let xs = [1000.0, 2000.0, 4000.0, 8000.0];
        let ys: Vec<f64> = xs.iter().map(|x| 10.0 + 0.002 * x).collect();
        assert!((slope(&xs, &ys).unwrap() - 0.002).abs() < 1e-12);
        assert_eq!(slope(&[1.0], &[1.0]), None);
        assert_eq!(slope(&[2.0, 2.0], &[1.0, 5.0]), None);
        assert_eq!(paired_ratios(&[4.0, 9.0], &[2.0, 3.0]), vec![2.0, 3.0]);
    }

    #[test]
    fn numbers_are_shown_with_sensible_precision() {
        assert_eq!(fmt_num(1234.4), "1234");
        assert_eq!(fmt_num(12.345), "12.3");
        assert_eq!(fmt_num(1.2345), "1.23");
        assert_eq!(
            fmt_summary(&json!({"median": 2.0, "min": 1.5, "max": 150.2})),
            "2.00 [1.50–150]"
        );
    }

    #[test]
    fn tables_align_their_columns() {
        let text = table(
            &["engine", "x"],
            &[
                vec!["threads".into(), "1".into()],
                vec!["gil".into(), "22".into()],
            ],
        );
        assert_eq!(text, "engine   x\n-------  --\nthreads  1\ngil      22\n");
    }

    #[test]
    fn analysis_of_a_small_sample() {
        let case = |id: &str, group: &str, engine: &str, workers: u32, samples: &[f64]| json!({ "id": id, "group": group, "engine": engine, "workers": workers, "chunks": null, "config": {}, "samples": samples });
        let overhead = |engine: &str, chunks: f64, ms: f64| {
            let mut c = case(
                &format!("overhead/{engine}/2/{chunks}"),
                "overhead",
                engine,
                2,
                &[ms; 7],
            );
            c["chunks"] = json!(chunks);
            c["config"] = json!({ "tasks": 16000 });
            c
        };
        let mut native_case = case(
            "native/sum_of_squares",
            "native",
            "sequential",
            1,
            &[120.0; 7],
        );
        native_case["checksum"] = json!("ab");
        let browser = json!({
            "reps": 7, "cores": 2, "chromium": "1", "scaling_workload": { "n": 1, "tasks": 12 },
            "cases": [
                case("scaling/sequential/1", "scaling", "sequential", 1, &[1000.0; 7]),
                case("scaling/threads/2", "scaling", "threads", 2, &[500.0; 7]),
                case("scaling/gil/2", "scaling", "gil", 2, &[1050.0; 7]),
                native_case,
                overhead("threads", 1000.0, 12.0), overhead("threads", 2000.0, 14.0),
                overhead("processes", 100.0, 5.0), overhead("processes", 200.0, 10.0),
            ],
            "cold_pool": { "sequential": vec![1000.0; 7], "startup": vec![100.0; 7], "run": vec![440.0; 7] },
            "startup": [{ "kind": "isolated", "first_result_ms": 900.0, "timings": { "glue_ms": 5.0 }, "load_long_tasks": [] }],
            "page_weight": { "isolated": [{ "path": "/a.wasm", "bytes": 300000, "gzip": 120000 }], "plain": [] },
            "longtask_run": { "observing": true, "duration_ms": 5000.0, "long_tasks": [] },
            "session_long_tasks": [], "session_ms": 1000.0,
        });
        let native = json!([{ "workload": "sum_of_squares", "n": 1, "tasks": 4, "checksum": "ab", "median_ms": 100.0, "min_ms": 90.0, "max_ms": 110.0 }]);
        let report = analyze(&browser, &native, json!({})).unwrap();
        let verdict = |name: &str| {
            report["targets"]
                .as_array()
                .unwrap()
                .iter()
                .find(|t| t["target"] == name)
                .unwrap()["met"]
                .clone()
        };
        assert_eq!(verdict("threads, 2 workers: speedup"), json!(true));
        assert_eq!(
            verdict("process pool, 2 workers, incl. start-up"),
            json!(true)
        ); // 1000 / 540
        assert_eq!(
            verdict("GIL: largest speedup at any worker count"),
            json!(true)
        );
        assert_eq!(verdict("wasm / native, sum_of_squares"), json!(true)); // 1.2
        assert_eq!(verdict("wasm / native, is_prime"), json!(null));
        assert_eq!(report["overhead"][0]["us_per_chunk"], json!(2.0));
        assert_eq!(report["overhead"][1]["us_per_chunk"], json!(50.0));
        assert_eq!(verdict("page weight, isolated page (gzip)"), json!(true));
        assert_eq!(
            verdict("first result after navigation, isolated page"),
            json!(true)
        );
        assert_eq!(verdict("long tasks during a 5 s run"), json!(true));
        let text = render(&report);
        let threads_row = text.lines().find(|l| l.starts_with("threads ")).unwrap();
        assert!(
            threads_row.contains(" 2 ")
                && threads_row.contains("500 [500–500]")
                && threads_row.contains("2.00 [2.00–2.00]"),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("NOT MET") || l.starts_with("met ")),
            "{text}"
        );

        let mut wrong = browser.clone();
        wrong["cases"][3]["checksum"] = json!("cd");
        assert!(analyze(&wrong, &native, json!({})).is_err());
    }
}
