//! `cargo xtask bench`: builds if needed, times the native workloads, serves `www/` on
//! loopback, lets `tests/bench/bench.mjs` drive headless Chromium through
//! `window.parallelPlayground`, then turns the raw samples into the table it prints and
//! `bench/results.json`.
//!
//! The browser script only collects samples; every statistic, ratio and target verdict
//! is computed here, with the core crate's summaries and line fit (the ones the
//! playground itself shows), so the printed table and the JSON come from one place. Both
//! the samples read and the report written are typed structs. Not part of `cargo xtask
//! test`: the machine is noisy and speed is not a test.

use std::cmp::Reverse;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use parallel_playground::measurement::{fit_line, summarize, Line, Summary};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::process::{self, clean, rustup_run};
use crate::{build, serve, toolchain};

/// The issue asks for at least seven repetitions of everything (in Chromium).
const MIN_REPS: usize = 7;
/// Firefox and WebKit run the core cases only, and fewer rounds of them, so that the
/// whole bench stays within about twelve minutes on 2 cores.
const MIN_OTHER_REPS: usize = 5;
/// Every browser the bench knows, in the order it runs them: Chromium through Playwright,
/// the others through the test drivers (`webkit-sab`: WebKitGTK with SharedArrayBuffer on,
/// as Safari has it on an isolated page).
const BROWSERS: [&str; 3] = ["chromium", "firefox", "webkit-sab"];
/// The native benchmark's workloads; the browser script runs the same two.
const NATIVE_N: u64 = 50_000_000;
const NATIVE_TASKS: u64 = 4;

/// `cargo xtask bench`'s options.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Interleaved rounds of every measurement.
    #[arg(long, default_value_t = MIN_REPS, value_parser = reps_arg)]
    reps: usize,
    /// Interleaved rounds in Firefox and WebKit (core cases only).
    #[arg(long = "other-reps", default_value_t = MIN_OTHER_REPS, value_parser = other_reps_arg)]
    other_reps: usize,
    /// The browsers to measure, comma-separated: chromium, firefox, webkit-sab.
    #[arg(long, value_delimiter = ',', default_values_t = BROWSERS.map(String::from), value_parser = browser_arg)]
    browsers: Vec<String>,
    /// Analyse the samples the last run left in bench/tmp/ instead of measuring.
    #[arg(long = "report-only")]
    report_only: bool,
}

fn reps_arg(text: &str) -> Result<usize, String> {
    reps_between(text, MIN_REPS)
}

fn other_reps_arg(text: &str) -> Result<usize, String> {
    reps_between(text, MIN_OTHER_REPS)
}

fn reps_between(text: &str, least: usize) -> Result<usize, String> {
    let reps: usize = text
        .parse()
        .map_err(|_| format!("{text} is not a whole number"))?;
    if !(least..=50).contains(&reps) {
        return Err(format!("must be between {least} and 50, got {reps}"));
    }
    Ok(reps)
}

fn browser_arg(text: &str) -> Result<String, String> {
    if BROWSERS.contains(&text) {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "unknown browser {text:?}: choose from {}",
            BROWSERS.join(", ")
        ))
    }
}

pub fn cli(root: &Path, options: Options) -> Result<ExitCode> {
    let started = Instant::now();
    let tmp = root.join("bench").join("tmp");
    let raw_path = tmp.join("browser.json");
    let native_path = tmp.join("native.json");
    let machine_path = tmp.join("machine.json");
    let others_raw: Vec<(&str, std::path::PathBuf)> = options
        .browsers
        .iter()
        .filter(|name| *name != "chromium")
        .map(|name| (name.as_str(), tmp.join(format!("{name}.json"))))
        .collect();
    if options.report_only {
        let others = others_raw
            .iter()
            .map(|(name, path)| read_other(name, path))
            .collect::<Vec<_>>();
        let report = analyze(
            &read_json(&raw_path)?,
            &others,
            &read_json::<Vec<NativeTiming>>(&native_path)?,
            read_json(&machine_path)?,
        )?;
        print!("{}", render(&report));
        return Ok(ExitCode::SUCCESS);
    }
    let load_before = load_average();
    if load_before > 0.5 {
        step!("note: load average {load_before:.2} before starting: other processes are using the CPU, expect noise");
    }

    build::build_all(root)?;
    // A browser that cannot be found or installed is reported in its table's place; the
    // others still run.
    let browsers = toolchain::ensure_browsers().map_err(|e| format!("{e:#}"));
    let chromium_path = match &browsers {
        Ok(b) => b.chromium.clone(),
        Err(_) => std::env::var_os("CHROMIUM").map_or("/usr/bin/chromium".into(), Into::into),
    };
    // geckodriver first (built once from crates.io when missing), before anything is timed.
    let geckodriver = options
        .browsers
        .iter()
        .any(|b| b == "firefox")
        .then(|| toolchain::ensure_geckodriver().map_err(|e| format!("no geckodriver: {e:#}")));
    let native = native_timings(root, options.reps)?;
    fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    fs::write(&native_path, serde_json::to_string(&native)?)?;

    let servers = serve::serve_www(root)?;
    let bench_js = root.join("tests").join("bench").join("bench.mjs");
    let machine_cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut chromium_failed = None;
    if options.browsers.iter().any(|b| b == "chromium") {
        let _ = fs::remove_file(&raw_path);
        step!(
            "chromium: node tests/bench/bench.mjs ({} repetitions; about {} minutes)",
            options.reps,
            2 + options.reps / 3
        );
        let status = process::status(
            clean("node")
                .arg(&bench_js)
                .envs(servers.env())
                .env("BENCH_BROWSER", "chromium")
                .env("CHROMIUM", &chromium_path)
                .env("BENCH_OUT", &raw_path)
                .env("BENCH_REPS", options.reps.to_string())
                .env("BENCH_MACHINE_CORES", machine_cores.to_string())
                .current_dir(root),
        )?;
        if !status.success() {
            chromium_failed = Some(format!(
                "bench.mjs exited with {status}; its error is printed above"
            ));
        }
    } else {
        chromium_failed = Some("not asked for (--browsers)".into());
    }
    for (name, path) in &others_raw {
        let _ = fs::remove_file(path);
        let helpers = match (&browsers, *name) {
            (Err(why), _) => Err(why.clone()),
            (Ok(b), "firefox") => match &geckodriver {
                Some(Ok(gecko)) => Ok(vec![
                    ("FIREFOX", b.firefox.clone()),
                    ("GECKODRIVER", gecko.clone()),
                ]),
                Some(Err(why)) => Err(why.clone()),
                None => Err("geckodriver was not looked for".into()),
            },
            (Ok(b), _) => Ok(vec![
                ("WEBKIT_WEBDRIVER", b.webkit_driver.clone()),
                ("XVFB_RUN", b.xvfb_run.clone()),
            ]),
        };
        let env = match helpers {
            Ok(env) => env,
            Err(why) => {
                step!("{name}: cannot run: {why}");
                fs::write(
                    path,
                    serde_json::to_string(&serde_json::json!({ "browser": name, "error": why }))?,
                )?;
                continue;
            }
        };
        step!(
            "{name}: node tests/bench/bench.mjs ({} repetitions of the core cases; about 2 minutes)",
            options.other_reps
        );
        let status = process::status(
            clean("node")
                .arg(&bench_js)
                .envs(servers.env())
                .envs(env)
                .env("BENCH_BROWSER", name)
                .env("BENCH_OUT", path)
                .env("BENCH_REPS", options.other_reps.to_string())
                .env("BENCH_MACHINE_CORES", machine_cores.to_string())
                .current_dir(root),
        )?;
        if !status.success() && !path.is_file() {
            let why = format!("bench.mjs exited with {status} before writing its samples");
            fs::write(
                path,
                serde_json::to_string(&serde_json::json!({ "browser": name, "error": why }))?,
            )?;
        }
    }
    drop(servers);
    let others: Vec<OtherBrowser> = others_raw
        .iter()
        .map(|(name, path)| read_other(name, path))
        .collect();

    let machine = machine(
        root,
        load_before,
        load_average(),
        started.elapsed().as_secs_f64(),
    );
    fs::write(&machine_path, serde_json::to_string(&machine)?)?;
    let out = root.join("bench").join("results.json");
    if let Some(why) = chromium_failed {
        // The report's first part is Chromium's: without it results.json is left as it was.
        step!("chromium: no table ({why}); bench/results.json left as it was");
        print!("{}", render_others(&others, &native, &machine));
        return Ok(ExitCode::SUCCESS);
    }
    let browser: BrowserSamples = read_json(&raw_path)?;
    let report = analyze(&browser, &others, &native, machine)?;
    print!("{}", render(&report));
    fs::write(&out, results_json(&report)?)
        .with_context(|| format!("writing {}", out.display()))?;
    step!(
        "wrote {} ({:.0} s in all)",
        out.strip_prefix(root).unwrap_or(&out).display(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

/// One non-Chromium browser's samples, or why there are none: a file that is missing or
/// unreadable is reported like a browser that failed, in that browser's place.
fn read_other(name: &str, path: &Path) -> OtherBrowser {
    let parsed = fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))
        .and_then(|text| {
            parse_other(&text)
                .with_context(|| format!("{} is not what this analysis reads", path.display()))
        });
    parsed.unwrap_or_else(|error| OtherBrowser {
        browser: name.to_owned(),
        version: None,
        outcome: Err(format!("{error:#}")),
    })
}

/// What bench.mjs writes for Firefox or WebKit: the core samples, or an `error`.
fn parse_other(text: &str) -> Result<OtherBrowser> {
    #[derive(Deserialize)]
    struct Head {
        browser: String,
        version: Option<String>,
        error: Option<String>,
    }
    let head: Head = serde_json::from_str(text)?;
    let outcome = match head.error {
        Some(why) => Err(why),
        None => Ok(serde_json::from_str::<CoreSamples>(text)?),
    };
    Ok(OtherBrowser {
        browser: head.browser,
        version: head.version,
        outcome,
    })
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not what this analysis reads", path.display()))
}

/// The report as bench/results.json holds it. It goes through a `serde_json::Value`, whose
/// objects keep their keys sorted, as every earlier results.json had them: a new run then
/// differs from the last only where its numbers do.
fn results_json(report: &Report) -> Result<String> {
    Ok(serde_json::to_string_pretty(&serde_json::to_value(report)?)? + "\n")
}

/// `cargo bench --bench native`: the same workloads compiled natively, sequentially.
fn native_timings(root: &Path, reps: usize) -> Result<Vec<NativeTiming>> {
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
// What is read: the browser script's raw samples and the native benchmark's timings.
// Fields they write that the analysis has no use for (time stamps, warm-up samples, …)
// are not read.

/// What `tests/bench/bench.mjs` writes in every browser: the interleaved rounds of the
/// core cases (scaling, wasm against native) and the process pool with its start-up.
#[derive(Debug, Deserialize)]
struct CoreSamples {
    reps: u32,
    /// Logical cores as the page sees them (`navigator.hardwareConcurrency`).
    cores: u32,
    /// The smaller of that and the machine's: worker counts go to twice it, and
    /// efficiency divides by it (missing in runs from before it was written).
    scaling_cores: Option<u32>,
    user_agent: String,
    /// The scaling runs' workload, calibrated to about a second of sequential work.
    scaling_workload: RunConfig,
    /// How busy the machine was before each round, and how long it was waited for.
    rounds: Vec<Round>,
    cases: Vec<Case>,
    cold_pool: ColdPool,
    /// The course's four-task cell through the Python lesson's pool (missing in runs from
    /// before it was measured).
    #[serde(default)]
    python: Option<PythonCell>,
}

/// The seed's four-task cell (`www/lessons/python-examples/four-tasks.py`) run again and
/// again in one fresh Python session, as a learner would press Run.
#[derive(Debug, Deserialize)]
struct PythonCell {
    workers: u32,
    /// The session's start: the parent interpreter and its pool.
    startup_ms: Option<f64>,
    runs: Vec<PythonRun>,
    /// Why the cell stopped short, if it did.
    error: Option<String>,
}

/// One run of the cell: its two times as the script printed them, and each task's time
/// where it ran, in a pool worker (the timeline's task spans).
#[derive(Debug, Deserialize)]
struct PythonRun {
    sequential_ms: f64,
    pool_ms: f64,
    task_ms: Vec<f64>,
}

/// Everything `tests/bench/bench.mjs` writes to `BENCH_OUT` in Chromium: the core and
/// what only Chromium's driver can measure.
#[derive(Debug, Deserialize)]
struct BrowserSamples {
    chromium: String,
    #[serde(flatten)]
    core: CoreSamples,
    /// One entry per cold page load, isolated and plain alternating.
    startup: Vec<ColdStart>,
    page_weight: PageFiles,
    longtask_run: LongTaskRun,
    session_long_tasks: Vec<SessionLongTask>,
    /// How long the measuring page was open, in ms.
    session_ms: f64,
}

/// Firefox's or WebKit's run: its samples, or why it has none.
#[derive(Debug)]
struct OtherBrowser {
    /// As `--browsers` names it: `firefox`, `webkit-sab`.
    browser: String,
    /// As the driver reports it, e.g. `firefox 140.5.0`.
    version: Option<String>,
    outcome: std::result::Result<CoreSamples, String>,
}

/// A run's settings, as the page's `map` call takes them; only those set are written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct RunConfig {
    workload: String,
    n: u64,
    tasks: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    chunksize: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    engine: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    workers: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    warmup: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    repetitions: Option<u32>,
}

/// One round of the interleaved measurements (round -1 is the untimed warm-up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Round {
    round: i32,
    /// Busy fraction of all CPUs just before it; `None` where /proc/stat is missing.
    busy: Option<f64>,
    waited_ms: u64,
}

/// One measured case: its samples in ms, one per round.
#[derive(Debug, Deserialize)]
struct Case {
    /// `group/engine/workers[/chunksize]`.
    id: String,
    /// `scaling`, `native` or `overhead`.
    group: String,
    engine: String,
    workers: u32,
    /// How many chunks the tasks were cut into (overhead cases only).
    chunks: Option<f64>,
    config: RunConfig,
    samples: Vec<f64>,
    /// The result's checksum, to compare with the native run of the same workload.
    checksum: Option<String>,
}

/// The process pool measured with its start-up: a fresh pool, then the run, paired with a
/// sequential run in the same repetition.
#[derive(Debug, Deserialize)]
struct ColdPool {
    sequential: Vec<f64>,
    startup: Vec<f64>,
    run: Vec<f64>,
}

/// One page opened in a fresh browser context. Times are ms from navigation; a timing
/// the page did not report is missing.
#[derive(Debug, Deserialize)]
struct ColdStart {
    /// `isolated` or `plain`.
    kind: String,
    /// The driver worker's own start-up timings.
    timings: Option<StartTimings>,
    api_ms: Option<f64>,
    driver_start_ms: Option<f64>,
    ready_ms: Option<f64>,
    first_result_ms: Option<f64>,
    pool_start_ms: Option<f64>,
    /// Per pool worker: the plain build's fetch, compile and instantiate.
    pool_worker_load_ms: Vec<Option<f64>>,
    load_long_tasks: Vec<LongTask>,
}

#[derive(Debug, Deserialize)]
struct StartTimings {
    glue_ms: Option<f64>,
    instantiate_ms: Option<f64>,
    /// Isolated page only.
    thread_pool_ms: Option<f64>,
}

/// Every file each kind of page loaded.
#[derive(Debug, Deserialize)]
struct PageFiles {
    isolated: Vec<PageFile>,
    plain: Vec<PageFile>,
}

/// One file a page loaded, fetched again to weigh it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct PageFile {
    path: String,
    status: u16,
    bytes: u64,
    /// Its size after gzip -6.
    gzip: u64,
}

/// About five seconds of a threads run, watched by a long-task observer.
#[derive(Debug, Deserialize)]
struct LongTaskRun {
    config: RunConfig,
    /// Whether the browser supports the `longtask` observer at all.
    observing: bool,
    duration_ms: f64,
    long_tasks: Vec<LongTask>,
}

/// A task that kept the page's thread for more than 50 ms (page clock, ms).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LongTask {
    start: f64,
    duration: f64,
}

/// A long task of the measuring session, with the call it began in.
#[derive(Debug, Deserialize)]
struct SessionLongTask {
    duration: f64,
    during: String,
}

/// One row of `cargo bench --bench native` (and of bench/tmp/native.json).
#[derive(Debug, Serialize, Deserialize)]
struct NativeTiming {
    workload: String,
    n: u64,
    tasks: u64,
    checksum: String,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
}

// ---------------------------------------------------------------------------------------
// What is written: bench/results.json. Numbers computed here are rounded to three
// decimals; samples are kept as measured.

#[derive(Debug, Serialize, Deserialize)]
struct Report {
    machine: Machine,
    settings: Settings,
    targets: Vec<TargetRow>,
    scaling: Vec<ScalingRow>,
    process_pool_with_startup: PoolWithStartup,
    overhead: Vec<OverheadRow>,
    /// What the per-run and per-chunk overhead amount to by Amdahl's law.
    #[serde(default)]
    amdahl: Vec<AmdahlRow>,
    startup: Vec<StartupRow>,
    versus_native: Vec<VersusNative>,
    #[serde(default)]
    python: Option<PythonReport>,
    page_weight: PageWeights,
    long_tasks: LongTasks,
    /// Firefox and WebKit: the core cases only, or why a browser has none. Chromium's
    /// are the sections above.
    #[serde(default)]
    other_browsers: Vec<BrowserReport>,
}

/// Amdahl's law with the measured overhead as the serial part of one scaling run.
#[derive(Debug, Serialize, Deserialize)]
struct AmdahlRow {
    engine: String,
    /// The overhead line's intercept and slope (2 workers).
    ms_per_run: f64,
    us_per_chunk: f64,
    /// Chunks of one scaling run.
    chunks: u64,
    /// `ms_per_run + chunks × us_per_chunk`, counted as serial (an upper bound).
    serial_ms: f64,
    sequential_ms: f64,
    serial_fraction: f64,
    /// `1 / (f + (1 − f) / N)` at N = 8 and 16 workers on as many cores.
    ceiling_8: f64,
    ceiling_16: f64,
}

/// One browser other than Chromium: what it ran of the core cases, or why it ran nothing.
#[derive(Debug, Default, Serialize, Deserialize)]
struct BrowserReport {
    browser: String,
    version: Option<String>,
    /// Why this browser has no numbers (or only some).
    error: Option<String>,
    user_agent: Option<String>,
    /// `navigator.hardwareConcurrency` in that browser.
    cores_seen_by_browser: Option<u32>,
    /// As in [`Settings::scaling_cores`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scaling_cores: Option<u32>,
    repetitions: Option<u32>,
    scaling_workload: Option<RunConfig>,
    rounds: Vec<Round>,
    scaling: Vec<ScalingRow>,
    process_pool_with_startup: Option<PoolWithStartup>,
    versus_native: Vec<VersusNative>,
    #[serde(default)]
    python: Option<PythonReport>,
    targets: Vec<TargetRow>,
}

/// The machine and the moment the numbers are from.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Machine {
    cpu: String,
    cores: usize,
    memory: String,
    os: String,
    /// Short commit, `+changes` when the work tree had some.
    commit: String,
    date: String,
    load_before: f64,
    load_after: f64,
    bench_seconds: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct Settings {
    repetitions: u32,
    chromium: String,
    user_agent: String,
    cores_seen_by_browser: f64,
    /// What worker counts and efficiency used, when the browser reported more cores than
    /// the machine has.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scaling_cores: Option<u32>,
    scaling_workload: RunConfig,
    rounds: Vec<Round>,
    method: String,
}

/// How the measurements are taken, as results.json states it.
const METHOD: &str = "every case runs once per round, rounds repeated (A B A B ...), after one untimed warm-up round; medians with min-max; speedups are median/median with the min-max of same-round ratios";

/// A [`Summary`] as results.json keeps it: median and extremes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Ms {
    median: f64,
    min: f64,
    max: f64,
}

impl From<Summary> for Ms {
    fn from(s: Summary) -> Self {
        Ms {
            median: round3(s.median),
            min: round3(s.min),
            max: round3(s.max),
        }
    }
}

/// The extremes of a set of ratios or slopes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Range {
    min: f64,
    max: f64,
}

impl Range {
    fn rounded(min: f64, max: f64) -> Self {
        Range {
            min: round3(min),
            max: round3(max),
        }
    }
}

/// One performance target from the issue and its verdict (`met` is `None` when it was
/// not measured).
#[derive(Debug, Serialize, Deserialize)]
struct TargetRow {
    target: String,
    goal: String,
    measured: Option<f64>,
    shown: String,
    met: Option<bool>,
}

/// What a target asks of its number.
#[derive(Clone, Copy, Debug)]
enum Goal {
    AtLeast(f64),
    AtMost(f64),
}

impl Goal {
    fn met(self, value: f64) -> bool {
        match self {
            Goal::AtLeast(limit) => value >= limit,
            Goal::AtMost(limit) => value <= limit,
        }
    }
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Goal::AtLeast(limit) => write!(f, ">= {limit}"),
            Goal::AtMost(limit) => write!(f, "<= {limit}"),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct ScalingRow {
    engine: String,
    workers: u32,
    ms: Ms,
    /// Sequential median over this median.
    speedup: f64,
    /// The extremes of the same-round ratios.
    speedup_paired: Range,
    /// The least disturbed runs of each: what the engine can do when nothing else runs
    /// on this shared machine.
    speedup_of_fastest: f64,
    efficiency: f64,
    samples: Vec<f64>,
}

/// Null where the browser took no samples of it.
#[derive(Debug, Serialize, Deserialize)]
struct PoolWithStartup {
    workers: u32,
    sequential_ms: Option<Ms>,
    startup_ms: Option<Ms>,
    run_ms: Option<Ms>,
    total_ms: Option<Ms>,
    speedup: Option<f64>,
    speedup_paired: Option<Range>,
    speedup_of_fastest: Option<f64>,
}

/// The four-task Python cell: the script's own times, run after run, and what one task
/// costs in a pool worker against the parent's loop.
#[derive(Debug, Serialize, Deserialize)]
struct PythonReport {
    workers: u32,
    startup_ms: Option<f64>,
    /// `sequential / pool` of each run, in the order they ran (the first is a fresh pool's).
    speedups: Vec<f64>,
    speedup: Option<Ms>,
    /// Median over runs of (median task time in a worker) / (the parent's loop / tasks).
    task_over_parent: Option<f64>,
    error: Option<String>,
}

fn analyze_python(cell: &PythonCell) -> PythonReport {
    let speedups: Vec<f64> = cell
        .runs
        .iter()
        .filter(|r| r.pool_ms > 0.0)
        .map(|r| round3(r.sequential_ms / r.pool_ms))
        .collect();
    let task_ratios: Vec<f64> = cell
        .runs
        .iter()
        .filter_map(|r| {
            let per_task = r.sequential_ms / r.task_ms.len().max(1) as f64;
            summarize(&r.task_ms).map(|t| t.median / per_task)
        })
        .collect();
    PythonReport {
        workers: cell.workers,
        startup_ms: cell.startup_ms.map(round3),
        speedup: summarize(&speedups).map(Ms::from),
        speedups,
        task_over_parent: summarize(&task_ratios).map(|s| round3(s.median)),
        error: cell.error.clone(),
    }
}

/// The cost of one chunk: the slope of time against the number of chunks.
#[derive(Debug, Serialize, Deserialize)]
struct OverheadRow {
    engine: String,
    workers: u32,
    workload: String,
    tasks: u64,
    chunks: Vec<f64>,
    median_ms: Vec<f64>,
    us_per_chunk: f64,
    /// The line's intercept: what a run costs with no chunks at all (start, wake-ups,
    /// the result's way back), in ms.
    #[serde(default)]
    ms_per_run: f64,
    /// The extremes of the slopes of each round on its own.
    us_per_chunk_rounds: Range,
}

#[derive(Debug, Serialize, Deserialize)]
struct StartupRow {
    what: String,
    page: String,
    ms: Ms,
}

#[derive(Debug, Serialize, Deserialize)]
struct VersusNative {
    workload: String,
    n: u64,
    tasks: u64,
    wasm_ms: Ms,
    native_ms: Ms,
    /// Wasm median over native median.
    ratio: f64,
    /// Fastest wasm over slowest native, and slowest wasm over fastest native.
    ratio_range: Range,
    /// `None` when the browser reported no checksum.
    same_checksum: Option<bool>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PageWeights {
    isolated: PageWeight,
    plain: PageWeight,
}

#[derive(Debug, Serialize, Deserialize)]
struct PageWeight {
    files: usize,
    bytes: u64,
    gzip: u64,
    list: Vec<PageFile>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LongTasks {
    observer_supported: bool,
    run: RunLongTasks,
    whole_session: SessionLongTasks,
    page_loads: LoadLongTasks,
}

#[derive(Debug, Serialize, Deserialize)]
struct RunLongTasks {
    ms: f64,
    config: RunConfig,
    count: usize,
    entries: Vec<LongTask>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SessionLongTasks {
    ms: f64,
    count: usize,
    /// Which calls the long tasks began in, most first.
    by_call: Vec<LongTasksDuring>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LongTasksDuring {
    during: String,
    count: usize,
    longest_ms: f64,
}

#[derive(Debug, Serialize, Deserialize)]
struct LoadLongTasks {
    loads: usize,
    count: usize,
}

// ---------------------------------------------------------------------------------------
// Statistics beyond the core crate's summaries

/// Least-squares line of `ys` against `xs`; `None` unless they pair up with two distinct xs.
fn fit(xs: &[f64], ys: &[f64]) -> Option<Line> {
    if xs.len() != ys.len() {
        return None;
    }
    let points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    fit_line(&points)
}

/// The slope alone of [`fit`].
fn slope(xs: &[f64], ys: &[f64]) -> Option<f64> {
    fit(xs, ys).map(|line| line.slope)
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

// ---------------------------------------------------------------------------------------
// Analysis: raw browser samples + native timings -> the report

/// What every browser's samples give: scaling, the pool with its start-up, wasm against
/// native, and the targets these decide.
struct CoreReport {
    scaling: Vec<ScalingRow>,
    process_pool_with_startup: PoolWithStartup,
    versus_native: Vec<VersusNative>,
    python: Option<PythonReport>,
    targets: Vec<TargetRow>,
}

/// The speedup the issue asks of threads and of the running process pool at 2 workers:
/// 1.9× in Chromium, 1.8× in Firefox and WebKit.
const TWO_WORKERS_CHROMIUM: f64 = 1.9;
const TWO_WORKERS_ELSEWHERE: f64 = 1.8;

/// Everything every browser measures; `two_workers` is the speedup asked at 2 workers.
fn analyze_core(
    core: &CoreSamples,
    native: &[NativeTiming],
    two_workers: f64,
) -> Result<CoreReport> {
    let case = |id: &str| core.cases.iter().find(|c| c.id == id);
    // Efficiency divides by the cores a run can use: past the core count, more workers
    // share the same cores, so a perfect run stays at 100% rather than falling as 1/k.
    let cores = f64::from(core.scaling_cores.unwrap_or(core.cores).max(1));

    // 1. Scaling.
    let sequential = case("scaling/sequential/1").map_or(&[][..], |c| &c.samples);
    let seq = summarize(sequential).ok_or_else(|| anyhow!("no sequential scaling samples"))?;
    let mut scaling = vec![ScalingRow {
        engine: "sequential".into(),
        workers: 1,
        ms: seq.into(),
        speedup: 1.0,
        speedup_paired: Range { min: 1.0, max: 1.0 },
        speedup_of_fastest: 1.0,
        efficiency: 1.0,
        samples: sequential.to_vec(),
    }];
    for c in core
        .cases
        .iter()
        .filter(|c| c.group == "scaling" && c.engine != "sequential")
    {
        let Some(s) = summarize(&c.samples) else {
            continue;
        };
        let speedup = seq.median / s.median;
        let paired = summarize(&paired_ratios(sequential, &c.samples))
            .map_or(Range::rounded(speedup, speedup), |p| {
                Range::rounded(p.min, p.max)
            });
        scaling.push(ScalingRow {
            engine: c.engine.clone(),
            workers: c.workers,
            ms: s.into(),
            speedup: round3(speedup),
            speedup_paired: paired,
            speedup_of_fastest: round3(seq.min / s.min),
            efficiency: round3(speedup / f64::from(c.workers).min(cores)),
            samples: c.samples.clone(),
        });
    }
    let speedup_of = |engine: &str, workers: u32| {
        scaling
            .iter()
            .find(|row| row.engine == engine && row.workers == workers)
            .map(|row| row.speedup)
    };
    // One worker's time over the plain loop's, medians: what the engine's machinery costs.
    let one_worker = |engine: &str| {
        scaling
            .iter()
            .find(|row| row.engine == engine && row.workers == 1)
            .map(|row| row.ms.median / seq.median)
    };
    let gil_max = scaling
        .iter()
        .filter(|row| row.engine == "gil")
        .map(|row| row.speedup)
        .reduce(f64::max);

    // The process pool including its start-up: a fresh pool, then the run.
    let cold = &core.cold_pool;
    let cold_total: Vec<f64> = cold
        .startup
        .iter()
        .zip(&cold.run)
        .map(|(a, b)| a + b)
        .collect();
    let cold_seq = summarize(&cold.sequential);
    let cold_startup = summarize(&cold.startup);
    let cold_total_s = summarize(&cold_total);
    let pool_with_startup = cold_seq.zip(cold_total_s).map(|(a, b)| a.median / b.median);
    let process_pool_with_startup = PoolWithStartup {
        workers: 2,
        sequential_ms: cold_seq.map(Ms::from),
        startup_ms: cold_startup.map(Ms::from),
        run_ms: summarize(&cold.run).map(Ms::from),
        total_ms: cold_total_s.map(Ms::from),
        speedup: pool_with_startup.map(round3),
        speedup_paired: summarize(&paired_ratios(&cold.sequential, &cold_total))
            .map(|s| Range::rounded(s.min, s.max)),
        speedup_of_fastest: cold_seq
            .zip(cold_total_s)
            .map(|(a, b)| round3(a.min / b.min)),
    };

    // 2. Wasm sequential versus native sequential.
    let mut versus_native = Vec::new();
    for row in native {
        let Some(wasm_case) = case(&format!("native/{}", row.workload)) else {
            continue;
        };
        let Some(wasm) = summarize(&wasm_case.samples) else {
            continue;
        };
        let same_checksum = wasm_case.checksum.as_ref().map(|c| *c == row.checksum);
        if same_checksum == Some(false) {
            bail!(
                "{}: the wasm checksum {:?} differs from the native one {:?}",
                row.workload,
                wasm_case.checksum.as_deref().unwrap_or_default(),
                row.checksum
            );
        }
        versus_native.push(VersusNative {
            workload: row.workload.clone(),
            n: row.n,
            tasks: row.tasks,
            wasm_ms: wasm.into(),
            native_ms: Ms {
                median: row.median_ms,
                min: row.min_ms,
                max: row.max_ms,
            },
            ratio: round3(wasm.median / row.median_ms),
            ratio_range: Range::rounded(wasm.min / row.max_ms, wasm.max / row.min_ms),
            same_checksum,
        });
    }
    let ratio_of = |workload: &str| {
        versus_native
            .iter()
            .find(|r| r.workload == workload)
            .map(|r| r.ratio)
    };

    let python = core.python.as_ref().map(analyze_python);
    let python_speedup = python.as_ref().and_then(|p| p.speedup);

    // Each target: what it measures, what it asks of the number, the number and its unit
    // (a goal reads with its unit, but a speedup's without its x).
    use Goal::{AtLeast, AtMost};
    #[rustfmt::skip]
    let goals = [
        ("threads, 2 workers: speedup", AtLeast(two_workers), speedup_of("threads", 2), "x"),
        ("process pool, 2 workers (running): speedup", AtLeast(two_workers), speedup_of("processes", 2), "x"),
        ("process pool, 2 workers, incl. start-up", AtLeast(1.8), pool_with_startup, "x"),
        ("GIL: largest speedup at any worker count", AtMost(1.1), gil_max, "x"),
        ("threads, 1 worker: time / sequential", AtMost(1.1), one_worker("threads"), ""),
        ("gil, 1 worker: time / sequential", AtMost(1.1), one_worker("gil"), ""),
        ("processes, 1 worker: time / sequential", AtMost(1.1), one_worker("processes"), ""),
        ("wasm / native, sum_of_squares", AtMost(1.3), ratio_of("sum_of_squares"), ""),
        ("wasm / native, is_prime", AtMost(1.2), ratio_of("is_prime"), ""),
        ("Python four-task cell, 2 workers: median speedup", AtLeast(1.8), python_speedup.map(|s| s.median), "x"),
        ("Python four-task cell: slowest run's speedup", AtLeast(1.6), python_speedup.map(|s| s.min), "x"),
        ("Python: a task in a worker / in the parent", AtMost(1.1), python.as_ref().and_then(|p| p.task_over_parent), ""),
    ];
    Ok(CoreReport {
        scaling,
        process_pool_with_startup,
        versus_native,
        python,
        targets: goals.into_iter().map(target_row).collect(),
    })
}

/// A target's row: its verdict, or "not measured" (`met: None`) without a number.
fn target_row((target, goal, measured, unit): (&str, Goal, Option<f64>, &str)) -> TargetRow {
    let shown = measured.map_or("not measured".to_owned(), |v| {
        format!("{}{unit}", fmt_num(v))
    });
    let goal_unit = if unit.starts_with(' ') { unit } else { "" };
    TargetRow {
        target: target.into(),
        goal: format!("{goal}{goal_unit}"),
        measured: measured.map(round3),
        shown,
        met: measured.map(|v| goal.met(v)),
    }
}

/// Firefox's or WebKit's part of the report.
fn analyze_other(other: &OtherBrowser, native: &[NativeTiming]) -> BrowserReport {
    let mut report = BrowserReport {
        browser: other.browser.clone(),
        version: other.version.clone(),
        ..BrowserReport::default()
    };
    let core = match &other.outcome {
        Ok(core) => core,
        Err(why) => {
            report.error = Some(why.clone());
            return report;
        }
    };
    report.repetitions = Some(core.reps);
    report.user_agent = Some(core.user_agent.clone());
    report.cores_seen_by_browser = Some(core.cores);
    report.scaling_cores = core.scaling_cores;
    report.scaling_workload = Some(core.scaling_workload.clone());
    report.rounds = core.rounds.clone();
    match analyze_core(core, native, TWO_WORKERS_ELSEWHERE) {
        Ok(c) => {
            report.scaling = c.scaling;
            report.process_pool_with_startup = Some(c.process_pool_with_startup);
            report.versus_native = c.versus_native;
            report.python = c.python;
            report.targets = c.targets;
        }
        Err(error) => report.error = Some(format!("{error:#}")),
    }
    report
}

/// Amdahl's law for the scaling workload, with the serial part the overhead runs measured.
fn amdahl(overhead: &[OverheadRow], scaling: &[ScalingRow], chunks: u64) -> Vec<AmdahlRow> {
    let Some(seq) = scaling.iter().find(|r| r.engine == "sequential") else {
        return Vec::new();
    };
    overhead
        .iter()
        .filter(|r| r.workers == 2)
        .map(|r| {
            // The fixed cost of a run and every chunk's cost counted as serial: an upper
            // bound on the serial fraction, so the ceilings are lower bounds.
            let serial_ms =
                r.ms_per_run.max(0.0) + chunks as f64 * r.us_per_chunk.max(0.0) / 1000.0;
            let f = serial_ms / seq.ms.median;
            let ceiling = |n: f64| round3(1.0 / (f + (1.0 - f) / n));
            AmdahlRow {
                engine: r.engine.clone(),
                ms_per_run: r.ms_per_run,
                us_per_chunk: r.us_per_chunk,
                chunks,
                serial_ms: round3(serial_ms),
                sequential_ms: seq.ms.median,
                serial_fraction: (f * 1e6).round() / 1e6,
                ceiling_8: ceiling(8.0),
                ceiling_16: ceiling(16.0),
            }
        })
        .collect()
}

fn analyze(
    browser: &BrowserSamples,
    others: &[OtherBrowser],
    native: &[NativeTiming],
    machine: Machine,
) -> Result<Report> {
    let CoreReport {
        scaling,
        process_pool_with_startup,
        versus_native,
        python,
        targets: core_targets,
    } = analyze_core(&browser.core, native, TWO_WORKERS_CHROMIUM)?;
    let cold_startup = summarize(&browser.core.cold_pool.startup);

    // Chromium only. Per-chunk overhead: slope of time against the number of chunks.
    let mut overhead = Vec::new();
    for engine in ["threads", "processes"] {
        for workers in [1, 2] {
            let points: Vec<&Case> = browser
                .core
                .cases
                .iter()
                .filter(|c| c.group == "overhead" && c.engine == engine && c.workers == workers)
                .collect();
            let Some(first) = points.first() else {
                continue;
            };
            let chunks: Vec<f64> = points.iter().filter_map(|c| c.chunks).collect();
            let medians: Vec<f64> = points
                .iter()
                .filter_map(|c| summarize(&c.samples))
                .map(|s| s.median)
                .collect();
            let rounds = points.iter().map(|c| c.samples.len()).min().unwrap_or(0);
            let per_round: Vec<f64> = (0..rounds)
                .filter_map(|r| {
                    slope(
                        &chunks,
                        &points.iter().map(|c| c.samples[r]).collect::<Vec<_>>(),
                    )
                })
                .map(|ms| ms * 1000.0)
                .collect();
            let Some(line) = fit(&chunks, &medians) else {
                continue;
            };
            let us = line.slope * 1000.0;
            overhead.push(OverheadRow {
                engine: engine.into(),
                workers,
                workload: first.config.workload.clone(),
                tasks: first.config.tasks,
                chunks,
                median_ms: medians.into_iter().map(round3).collect(),
                us_per_chunk: round3(us),
                ms_per_run: round3(line.intercept),
                us_per_chunk_rounds: summarize(&per_round)
                    .map_or(Range::rounded(us, us), |s| Range::rounded(s.min, s.max)),
            });
        }
    }
    let overhead_of = |engine: &str| {
        overhead
            .iter()
            .find(|row| row.engine == engine && row.workers == 2)
            .map(|row| row.us_per_chunk)
    };

    // Chromium only. Start-up.
    /// Where a page recorded one step of its cold start.
    type Pick = fn(&ColdStart) -> Option<f64>;
    let timing = |kind: &str, pick: Pick| {
        let values: Vec<f64> = browser
            .startup
            .iter()
            .filter(|s| s.kind == kind)
            .filter_map(pick)
            .collect();
        summarize(&values)
    };
    let mut startup = Vec::new();
    let mut add_startup = |what: String, page: &str, summary: Option<Summary>| {
        if let Some(s) = summary {
            startup.push(StartupRow {
                what,
                page: page.into(),
                ms: s.into(),
            });
        }
    };
    for kind in ["isolated", "plain"] {
        let build = if kind == "isolated" {
            "threaded"
        } else {
            "plain"
        };
        // Each step of a cold start and where the page recorded it. A step a page did not
        // record (the plain page starts no thread pool) has no row.
        #[rustfmt::skip]
        let steps: [(String, Pick); 8] = [
            ("navigation to the page's API published (page scripts)".into(), |s| s.api_ms),
            ("navigation to the driver worker's first line".into(), |s| s.driver_start_ms),
            (format!("{build} build: glue import and wasm fetch + compile, side by side"), |s| s.timings.as_ref()?.glue_ms),
            (format!("{build} build: wasm instantiate"), |s| s.timings.as_ref()?.instantiate_ms),
            ("thread pool start (initThreadPool, maxWorkers threads)".into(), |s| s.timings.as_ref()?.thread_pool_ms),
            ("navigation to engines ready".into(), |s| s.ready_ms),
            ("navigation to first result".into(), |s| s.first_result_ms),
            ("process pool start, 2 workers, fresh page".into(), |s| s.pool_start_ms),
        ];
        for (what, pick) in steps {
            add_startup(what, kind, timing(kind, pick));
        }
        let per_worker: Vec<f64> = browser
            .startup
            .iter()
            .filter(|s| s.kind == kind)
            .flat_map(|s| s.pool_worker_load_ms.iter().flatten().copied())
            .collect();
        add_startup(
            "  per pool worker: plain build fetch + compile + instantiate".into(),
            kind,
            summarize(&per_worker),
        );
    }
    add_startup(
        "process pool restart, 2 workers, warm page".into(),
        "isolated",
        cold_startup,
    );
    let first_result = |kind: &str| timing(kind, |s| s.first_result_ms).map(|s| s.median);

    // Chromium only. Page weight.
    let weigh = |files: &[PageFile]| PageWeight {
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes).sum(),
        gzip: files.iter().map(|f| f.gzip).sum(),
        list: files.to_vec(),
    };
    let page_weight = PageWeights {
        isolated: weigh(&browser.page_weight.isolated),
        plain: weigh(&browser.page_weight.plain),
    };
    let gzip_kb = |weight: &PageWeight| Some(weight.gzip as f64 / 1000.0);

    // 6. Long tasks on the page's thread.
    let run = &browser.longtask_run;
    let run_tasks = run.long_tasks.len();
    let mut by_call: Vec<LongTasksDuring> = Vec::new();
    for task in &browser.session_long_tasks {
        match by_call.iter_mut().find(|d| d.during == task.during) {
            Some(seen) => {
                seen.count += 1;
                seen.longest_ms = seen.longest_ms.max(task.duration);
            }
            None => by_call.push(LongTasksDuring {
                during: task.during.clone(),
                count: 1,
                longest_ms: task.duration,
            }),
        }
    }
    by_call.sort_by_key(|d| Reverse(d.count));
    for during in &mut by_call {
        during.longest_ms = round3(during.longest_ms);
    }
    let long_tasks = LongTasks {
        observer_supported: run.observing,
        run: RunLongTasks {
            ms: round3(run.duration_ms),
            config: run.config.clone(),
            count: run_tasks,
            entries: run.long_tasks.clone(),
        },
        whole_session: SessionLongTasks {
            ms: round3(browser.session_ms),
            count: browser.session_long_tasks.len(),
            by_call,
        },
        page_loads: LoadLongTasks {
            loads: browser.startup.len(),
            count: browser
                .startup
                .iter()
                .map(|s| s.load_long_tasks.len())
                .sum(),
        },
    };

    use Goal::AtMost;
    #[rustfmt::skip]
    let goals = [
        ("per-chunk overhead, threads (2 workers)", AtMost(5.0), overhead_of("threads"), " us"),
        ("per-chunk overhead, process pool (2 workers)", AtMost(100.0), overhead_of("processes"), " us"),
        ("page weight, isolated page (gzip)", AtMost(250.0), gzip_kb(&page_weight.isolated), " kB"),
        ("page weight, plain page (gzip)", AtMost(250.0), gzip_kb(&page_weight.plain), " kB"),
        ("first result after navigation, isolated page", AtMost(1000.0), first_result("isolated"), " ms"),
        ("first result after navigation, plain page", AtMost(1000.0), first_result("plain"), " ms"),
    ];
    let mut targets = core_targets;
    targets.extend(goals.into_iter().map(target_row));
    targets.push(TargetRow {
        target: "long tasks during a 5 s run".into(),
        goal: "0".into(),
        measured: Some(run_tasks as f64),
        shown: run_tasks.to_string(),
        met: Some(run_tasks == 0),
    });
    let amdahl = amdahl(&overhead, &scaling, browser.core.scaling_workload.tasks);
    let other_browsers = others.iter().map(|o| analyze_other(o, native)).collect();

    Ok(Report {
        machine,
        settings: Settings {
            repetitions: browser.core.reps,
            chromium: browser.chromium.clone(),
            user_agent: browser.core.user_agent.clone(),
            cores_seen_by_browser: f64::from(browser.core.cores),
            scaling_cores: browser.core.scaling_cores,
            scaling_workload: browser.core.scaling_workload.clone(),
            rounds: browser.core.rounds.clone(),
            method: METHOD.into(),
        },
        targets,
        scaling,
        process_pool_with_startup,
        overhead,
        amdahl,
        startup,
        versus_native,
        python,
        page_weight,
        long_tasks,
        other_browsers,
    })
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

/// `median [min–max]`, or question marks for what was not measured.
fn fmt_ms(ms: Option<&Ms>) -> String {
    match ms {
        Some(s) => format!(
            "{} [{}–{}]",
            fmt_num(s.median),
            fmt_num(s.min),
            fmt_num(s.max)
        ),
        None => "? [?–?]".to_owned(),
    }
}

fn fmt_ratio(value: Option<f64>) -> String {
    value.map_or("?".into(), |v| format!("{v:.2}"))
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
    let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out += &line(rules.iter().map(String::as_str).collect());
    for row in rows {
        out += &line(row.iter().map(String::as_str).collect());
    }
    out
}

fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

/// The report as the table `cargo xtask bench` prints (and docs/performance.md shows).
fn render(report: &Report) -> String {
    let mut out = String::new();
    let m = &report.machine;
    let s = &report.settings;
    let _ = writeln!(out, "\n## Benchmark: {}", m.date);
    // Load averages in JSON's spelling (2.0, not 2), as they are in results.json.
    let _ = writeln!(
        out,
        "{} ({} logical cores), {}, {}; Chromium {}; commit {}; {} repetitions, medians [min–max]; load average {:?} before, {:?} after.\n",
        m.cpu, m.cores, m.memory, m.os, s.chromium, m.commit, s.repetitions, m.load_before, m.load_after,
    );

    out += &scaling_section(
        &s.scaling_workload,
        &cores_heading(s.cores_seen_by_browser as u32, s.scaling_cores),
        &report.scaling,
        &report.process_pool_with_startup,
    );

    let _ = writeln!(out, "### Per-chunk overhead: square, same inputs in more or fewer chunks; slope of ms against chunks\n");
    let rows: Vec<Vec<String>> = report
        .overhead
        .iter()
        .map(|r| {
            vec![
                r.engine.clone(),
                r.workers.to_string(),
                format!(
                    "{} [{}–{}]",
                    fmt_num(r.us_per_chunk),
                    fmt_num(r.us_per_chunk_rounds.min),
                    fmt_num(r.us_per_chunk_rounds.max)
                ),
                r.chunks
                    .iter()
                    .zip(&r.median_ms)
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
        "\n### Amdahl's law: the overhead above as the serial part of one scaling run\n\nserial = ms per run (the overhead line's intercept, 2 workers) + chunks × µs per chunk, all counted as serial (an upper bound); f = serial / sequential median; ceiling = 1 / (f + (1 − f) / N) on N cores. Measured here; the ceilings at 8 and 16 are what this overhead alone would allow.\n"
    );
    let rows: Vec<Vec<String>> = report
        .amdahl
        .iter()
        .map(|r| {
            vec![
                r.engine.clone(),
                fmt_num(r.ms_per_run),
                fmt_num(r.us_per_chunk),
                r.chunks.to_string(),
                fmt_num(r.serial_ms),
                format!("{:.4}%", 100.0 * r.serial_fraction),
                format!("{:.2}", r.ceiling_8),
                format!("{:.2}", r.ceiling_16),
            ]
        })
        .collect();
    out += &table(
        &[
            "engine",
            "ms per run",
            "µs per chunk",
            "chunks",
            "serial ms",
            "serial fraction f",
            "ceiling at 8",
            "ceiling at 16",
        ],
        &rows,
    );
    let _ = writeln!(
        out,
        "\n### Start-up (fresh browser context each time: empty cache)\n"
    );
    let rows: Vec<Vec<String>> = report
        .startup
        .iter()
        .map(|r| vec![r.page.clone(), r.what.clone(), fmt_ms(Some(&r.ms))])
        .collect();
    out += &table(&["page", "what", "ms"], &rows);

    out += "\n";
    out += &versus_native_section(&report.versus_native);
    out += &python_section(report.python.as_ref());

    let _ = writeln!(out, "\n### Page weight (every file the page loads, including the process pool's workers; gzip -6)\n");
    let mut rows = Vec::new();
    for (kind, builds, w) in [
        (
            "isolated",
            "threaded + plain (pool workers)",
            &report.page_weight.isolated,
        ),
        ("plain", "plain", &report.page_weight.plain),
    ] {
        let mut files: Vec<&PageFile> = w.list.iter().collect();
        files.sort_by_key(|f| Reverse(f.gzip));
        let largest = files
            .iter()
            .take(3)
            .map(|f| format!("{} {}", f.path.trim_start_matches('/'), kb(f.gzip)))
            .collect::<Vec<_>>()
            .join(", ");
        rows.push(vec![
            kind.to_owned(),
            builds.to_owned(),
            w.files.to_string(),
            kb(w.bytes),
            kb(w.gzip),
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

    let l = &report.long_tasks;
    let by_call: Vec<String> = l
        .whole_session
        .by_call
        .iter()
        .take(6)
        .map(|d| {
            format!(
                "{} in {} (longest {} ms)",
                d.count,
                d.during,
                fmt_num(d.longest_ms)
            )
        })
        .collect();
    let by_call = if by_call.is_empty() {
        String::new()
    } else {
        format!(": {}", by_call.join(", "))
    };
    let _ = writeln!(
        out,
        "\n### Main thread: long tasks (> 50 ms, PerformanceObserver 'longtask')\n\n{} during a {:.1} s threads run with progress callbacks; {} during the whole {:.0} s measuring session{by_call}; {} during {} page loads (start-up, not runs).\n",
        l.run.count,
        l.run.ms / 1000.0,
        l.whole_session.count,
        l.whole_session.ms / 1000.0,
        l.page_loads.count,
        l.page_loads.loads,
    );

    let _ = writeln!(out, "### Targets\n");
    out += &targets_table(&report.targets);
    let _ = writeln!(
        out,
        "\nStart-up, page weight, per-chunk overhead, Amdahl's law and long tasks are measured in Chromium only; Firefox and WebKit run the core cases above."
    );
    for other in &report.other_browsers {
        out += &render_browser(other);
    }
    out
}

/// The scaling table, efficiency against the cores the browser reports, and the line on
/// the process pool with its start-up: the same in every browser.
fn scaling_section(
    w: &RunConfig,
    cores: &str,
    scaling: &[ScalingRow],
    p: &PoolWithStartup,
) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Scaling: {} tasks of sum_of_squares(n = {}), chunksize 1, about a second of sequential work; {cores}\n",
        w.tasks, w.n
    );
    let rows: Vec<Vec<String>> = scaling
        .iter()
        .map(|r| {
            vec![
                r.engine.clone(),
                r.workers.to_string(),
                fmt_ms(Some(&r.ms)),
                format!(
                    "{:.2} [{:.2}–{:.2}]",
                    r.speedup, r.speedup_paired.min, r.speedup_paired.max
                ),
                format!("{:.0}%", 100.0 * r.efficiency),
                format!("{:.2}", r.speedup_of_fastest),
            ]
        })
        .collect();
    out += &table(
        &[
            "engine",
            "workers",
            "ms",
            "speedup [same-round range]",
            "efficiency = speedup / min(workers, cores)",
            "fastest/fastest",
        ],
        &rows,
    );
    let _ = writeln!(
        out,
        "\nprocess pool, 2 workers, fresh pool each time: start-up {} + run {} = {} ms against sequential {} ms: speedup {} [{}–{}], fastest/fastest {}\n",
        fmt_ms(p.startup_ms.as_ref()),
        fmt_ms(p.run_ms.as_ref()),
        fmt_ms(p.total_ms.as_ref()),
        fmt_ms(p.sequential_ms.as_ref()),
        fmt_ratio(p.speedup),
        fmt_ratio(p.speedup_paired.map(|r| r.min)),
        fmt_ratio(p.speedup_paired.map(|r| r.max)),
        fmt_ratio(p.speedup_of_fastest),
    );
    out
}

/// What the browser reported as its cores, and what the bench used when that differs.
fn cores_heading(reported: u32, used: Option<u32>) -> String {
    match used {
        Some(used) if used != reported => format!("the browser reports {reported} cores (navigator.hardwareConcurrency), the machine has {used}: worker counts and efficiency use {used}"),
        _ => format!("{reported} cores seen by the browser (navigator.hardwareConcurrency)"),
    }
}

fn versus_native_section(versus_native: &[VersusNative]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "### Wasm sequential against native sequential (cargo bench --bench native)\n"
    );
    let rows: Vec<Vec<String>> = versus_native
        .iter()
        .map(|r| {
            vec![
                format!("{}(n = {}, {} tasks)", r.workload, r.n, r.tasks),
                fmt_ms(Some(&r.wasm_ms)),
                fmt_ms(Some(&r.native_ms)),
                format!(
                    "{:.2} [{:.2}–{:.2}]",
                    r.ratio, r.ratio_range.min, r.ratio_range.max
                ),
            ]
        })
        .collect();
    out += &table(
        &["workload", "wasm ms", "native ms", "wasm / native"],
        &rows,
    );
    out
}

fn targets_table(targets: &[TargetRow]) -> String {
    let rows: Vec<Vec<String>> = targets
        .iter()
        .map(|t| {
            vec![
                match t.met {
                    Some(true) => "met".to_owned(),
                    Some(false) => "NOT MET".to_owned(),
                    None => "?".to_owned(),
                },
                t.target.clone(),
                t.goal.clone(),
                t.shown.clone(),
            ]
        })
        .collect();
    table(&["", "target", "goal", "measured"], &rows)
}

/// Firefox's or WebKit's table: the core sections and its targets, or why it has none.
fn render_browser(b: &BrowserReport) -> String {
    let mut out = String::new();
    let version = b.version.as_deref().unwrap_or(&b.browser);
    let _ = writeln!(out, "\n## {} ({version})\n", b.browser);
    if let Some(why) = &b.error {
        let _ = writeln!(out, "{} could not be measured: {why}", b.browser);
        if b.scaling.is_empty() {
            return out;
        }
    }
    let (Some(workload), Some(pool)) = (&b.scaling_workload, &b.process_pool_with_startup) else {
        return out;
    };
    let _ = writeln!(
        out,
        "{} repetitions of the core cases (fewer than Chromium's, to keep the bench short), medians [min–max]; {}.\n",
        b.repetitions.unwrap_or(0),
        b.user_agent.as_deref().unwrap_or("?")
    );
    out += &scaling_section(
        workload,
        &cores_heading(b.cores_seen_by_browser.unwrap_or(0), b.scaling_cores),
        &b.scaling,
        pool,
    );
    out += &versus_native_section(&b.versus_native);
    out += &python_section(b.python.as_ref());
    let _ = writeln!(out, "\n### Targets ({})\n", b.browser);
    out += &targets_table(&b.targets);
    out
}

/// The four-task Python cell's runs, or nothing where it was not measured.
fn python_section(python: Option<&PythonReport>) -> String {
    let Some(p) = python else {
        return String::new();
    };
    let mut out = format!(
        "\n### Python: the course's four-task cell, ProcessPoolExecutor on {} workers\n\n",
        p.workers
    );
    let runs: Vec<String> = p
        .speedups
        .iter()
        .map(|s| format!("{}x", fmt_num(*s)))
        .collect();
    let _ = writeln!(
        out,
        "One fresh session (start-up {}), then Run {} times: speedup per run {}; median {}. A task in a worker took {} of the parent's time for one task.",
        p.startup_ms.map_or("?".into(), |ms| format!("{} ms", fmt_num(ms))),
        p.speedups.len(),
        if runs.is_empty() { "none".into() } else { runs.join(", ") },
        p.speedup.map_or("not measured".into(), |s| format!("{}x [{}–{}]", fmt_num(s.median), fmt_num(s.min), fmt_num(s.max))),
        fmt_ratio(p.task_over_parent),
    );
    if let Some(why) = &p.error {
        let _ = writeln!(out, "\nThe cell stopped short: {why}");
    }
    out
}

/// The tables of Firefox and WebKit alone, when Chromium gave none.
fn render_others(others: &[OtherBrowser], native: &[NativeTiming], machine: &Machine) -> String {
    let mut out = format!(
        "\n## Benchmark: {} (Firefox and WebKit only)\n{} ({} logical cores); commit {}; load average {:?} before, {:?} after.\n",
        machine.date, machine.cpu, machine.cores, machine.commit, machine.load_before, machine.load_after
    );
    for other in others {
        out += &render_browser(&analyze_other(other, native));
    }
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

fn machine(root: &Path, load_before: f64, load_after: f64, seconds: f64) -> Machine {
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
    Machine {
        cpu,
        cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
        memory,
        os,
        commit,
        date,
        load_before,
        load_after,
        bench_seconds: seconds.round(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A real run (the one bench/results.json was written from), as the browser script (in
    /// Chromium, Firefox and WebKit) and the native benchmark wrote it, with the report and
    /// table the analysis gave for it. The sections that depend only on kept samples (scaling, page
    /// weight, start-up, wasm against native, settings) equal bench/results.json's.
    const SAMPLE_BROWSER: &str = include_str!("../testdata/bench-browser.json");
    const SAMPLE_NATIVE: &str = include_str!("../testdata/bench-native.json");
    const SAMPLE_MACHINE: &str = include_str!("../testdata/bench-machine.json");
    const SAMPLE_FIREFOX: &str = include_str!("../testdata/bench-firefox.json");
    const SAMPLE_WEBKIT: &str = include_str!("../testdata/bench-webkit-sab.json");
    const SAMPLE_REPORT: &str = include_str!("../testdata/bench-report.json");
    const SAMPLE_TABLE: &str = include_str!("../testdata/bench-report.txt");

    fn parse_args(args: &[&str]) -> Result<Options> {
        crate::parse_options(args)
    }

    /// Panics at the first difference between two JSON documents, naming where it is.
    /// Numbers are compared by value: JavaScript wrote `0` where Rust writes `0.0`.
    fn assert_same(a: &Value, b: &Value, at: &str) {
        match (a, b) {
            (Value::Number(x), Value::Number(y)) => {
                assert_eq!(x.as_f64(), y.as_f64(), "{at}: {x} against {y}")
            }
            (Value::Array(x), Value::Array(y)) => {
                assert_eq!(x.len(), y.len(), "{at}: lengths");
                for (i, (x, y)) in x.iter().zip(y).enumerate() {
                    assert_same(x, y, &format!("{at}[{i}]"));
                }
            }
            (Value::Object(x), Value::Object(y)) => {
                let keys =
                    |m: &serde_json::Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
                assert_eq!(keys(x), keys(y), "{at}: keys");
                for (key, x) in x {
                    assert_same(x, &y[key], &format!("{at}.{key}"));
                }
            }
            _ => assert_eq!(a, b, "{at}"),
        }
    }

    #[test]
    fn options() {
        assert_eq!(
            parse_args(&[]).unwrap(),
            Options {
                reps: 7,
                other_reps: 5,
                browsers: BROWSERS.map(String::from).to_vec(),
                report_only: false
            }
        );
        assert_eq!(parse_args(&["--reps", "9"]).unwrap().reps, 9);
        assert_eq!(
            parse_args(&["--reps=11", "--report-only"]).unwrap(),
            Options {
                reps: 11,
                other_reps: 5,
                browsers: BROWSERS.map(String::from).to_vec(),
                report_only: true
            }
        );
        assert!(parse_args(&["--reps", "3"]).is_err());
        assert!(parse_args(&["--reps"]).is_err());
        assert!(parse_args(&["--fast"]).is_err());
    }

    #[test]
    fn slope_of_a_line_and_of_noise() {
        // 2 µs per chunk on top of a fixed 10 ms: the slope is 0.002 ms per chunk.
        let xs = [1000.0, 2000.0, 4000.0, 8000.0];
        let ys: Vec<f64> = xs.iter().map(|x| 10.0 + 0.002 * x).collect();
        assert!((slope(&xs, &ys).unwrap() - 0.002).abs() < 1e-12);
        assert_eq!(slope(&[1.0], &[1.0]), None);
        assert_eq!(slope(&[2.0, 2.0], &[1.0, 5.0]), None);
        assert_eq!(slope(&[1.0, 2.0, 3.0], &[1.0, 5.0]), None);
        assert_eq!(paired_ratios(&[4.0, 9.0], &[2.0, 3.0]), vec![2.0, 3.0]);
    }

    #[test]
    fn numbers_are_shown_with_sensible_precision() {
        assert_eq!(fmt_num(1234.4), "1234");
        assert_eq!(fmt_num(12.345), "12.3");
        assert_eq!(fmt_num(1.2345), "1.23");
        let ms = Ms {
            median: 2.0,
            min: 1.5,
            max: 150.2,
        };
        assert_eq!(fmt_ms(Some(&ms)), "2.00 [1.50–150]");
        assert_eq!(fmt_ms(None), "? [?–?]");
        let summary = summarize(&[1.00049, 2.0, 3.0004]).unwrap();
        assert_eq!(
            Ms::from(summary),
            Ms {
                median: 2.0,
                min: 1.0,
                max: 3.0
            }
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
    fn a_recorded_run_gives_the_report_and_table_it_gave_before() {
        let browser: BrowserSamples = serde_json::from_str(SAMPLE_BROWSER).unwrap();
        let native: Vec<NativeTiming> = serde_json::from_str(SAMPLE_NATIVE).unwrap();
        let machine: Machine = serde_json::from_str(SAMPLE_MACHINE).unwrap();
        let others = [SAMPLE_FIREFOX, SAMPLE_WEBKIT].map(|text| parse_other(text).unwrap());
        let report = analyze(&browser, &others, &native, machine).unwrap();
        // After a change that is meant to change the report, BENCH_UPDATE_TESTDATA=1 writes
        // the new expectations (read them before committing them).
        if std::env::var_os("BENCH_UPDATE_TESTDATA").is_some() {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
            fs::write(
                dir.join("bench-report.json"),
                results_json(&report).unwrap(),
            )
            .unwrap();
            fs::write(dir.join("bench-report.txt"), render(&report)).unwrap();
            return;
        }
        let written: Value = serde_json::from_str(&results_json(&report).unwrap()).unwrap();
        let names: Vec<&str> = report
            .other_browsers
            .iter()
            .map(|b| b.browser.as_str())
            .collect();
        assert_eq!(names, ["firefox", "webkit-sab"]);
        assert!(report
            .other_browsers
            .iter()
            .all(|b| b.error.is_none() && !b.scaling.is_empty()));
        assert_same(
            &written,
            &serde_json::from_str(SAMPLE_REPORT).unwrap(),
            "report",
        );
        assert_eq!(render(&report), SAMPLE_TABLE);

        let results: Value =
            serde_json::from_str(include_str!("../../bench/results.json")).unwrap();
        for section in [
            "scaling",
            "page_weight",
            "startup",
            "versus_native",
            "settings",
        ] {
            assert_same(&written[section], &results[section], section);
        }
    }

    #[test]
    fn results_json_reads_back_as_it_was_written() {
        let text = include_str!("../../bench/results.json");
        let report: Report = serde_json::from_str(text).unwrap();
        let again = results_json(&report).unwrap();
        assert_same(
            &serde_json::from_str(&again).unwrap(),
            &serde_json::from_str(text).unwrap(),
            "results",
        );
        // Keys in sorted order, as in every earlier results.json.
        let at = |key: &str| again.find(&format!("\n  \"{key}\":")).unwrap();
        assert!(at("long_tasks") < at("machine") && at("machine") < at("versus_native"));
    }

    #[test]
    fn what_the_browser_left_out_is_named() {
        let mut sample: Value = serde_json::from_str(SAMPLE_BROWSER).unwrap();
        sample.as_object_mut().unwrap().remove("cold_pool");
        let error = serde_json::from_value::<BrowserSamples>(sample).unwrap_err();
        assert!(error.to_string().contains("cold_pool"), "{error}");
    }

    #[test]
    fn the_python_cell_gives_each_run_its_speedup_and_weighs_a_task() {
        let cell: PythonCell = serde_json::from_value(json!({
            "workers": 2, "startup_ms": 5000.0, "error": null,
            "runs": [
                { "sequential_ms": 4000.0, "pool_ms": 2000.0, "task_ms": [900.0, 1000.0, 1000.0, 1200.0] },
                { "sequential_ms": 4000.0, "pool_ms": 2500.0, "task_ms": [1500.0, 1500.0, 1400.0, 1600.0] },
                { "sequential_ms": 4000.0, "pool_ms": 1600.0, "task_ms": [1100.0, 1100.0, 1100.0, 1100.0] },
            ],
        }))
        .unwrap();
        let report = analyze_python(&cell);
        assert_eq!(report.speedups, [2.0, 1.6, 2.5]);
        assert_eq!(
            report.speedup,
            Some(Ms {
                median: 2.0,
                min: 1.6,
                max: 2.5
            })
        );
        // A task in the parent's loop took 1000 ms; the runs' median worker tasks were 1000, 1500 and 1100.
        assert_eq!(report.task_over_parent, Some(1.1));

        let failed: PythonCell = serde_json::from_value(
            json!({ "workers": 2, "startup_ms": null, "runs": [], "error": "no Python" }),
        )
        .unwrap();
        let report = analyze_python(&failed);
        assert!(
            report.speedups.is_empty()
                && report.speedup.is_none()
                && report.task_over_parent.is_none()
        );
        assert_eq!(report.error.as_deref(), Some("no Python"));
    }

    #[test]
    fn analysis_of_a_small_sample() {
        let config = json!({ "workload": "sum_of_squares", "n": 1, "tasks": 12 });
        let case = |id: &str, group: &str, engine: &str, workers: u32, samples: &[f64]| json!({ "id": id, "group": group, "engine": engine, "workers": workers, "chunks": null, "config": config, "samples": samples });
        let overhead = |engine: &str, chunks: f64, ms: f64| {
            let mut c = case(
                &format!("overhead/{engine}/2/{chunks}"),
                "overhead",
                engine,
                2,
                &[ms; 7],
            );
            c["chunks"] = json!(chunks);
            c["config"] = json!({ "workload": "square", "n": 1, "tasks": 16000 });
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
            "reps": 7, "cores": 2, "chromium": "1", "user_agent": "test", "scaling_workload": config,
            "rounds": [{ "round": -1, "busy": null, "waited_ms": 0 }],
            "cases": [
                case("scaling/sequential/1", "scaling", "sequential", 1, &[1000.0; 7]),
                case("scaling/threads/2", "scaling", "threads", 2, &[500.0; 7]),
                case("scaling/gil/2", "scaling", "gil", 2, &[1050.0; 7]),
                native_case,
                overhead("threads", 1000.0, 12.0), overhead("threads", 2000.0, 14.0),
                overhead("processes", 100.0, 5.0), overhead("processes", 200.0, 10.0),
            ],
            "cold_pool": { "sequential": vec![1000.0; 7], "startup": vec![100.0; 7], "run": vec![440.0; 7] },
            "startup": [{ "kind": "isolated", "first_result_ms": 900.0, "timings": { "glue_ms": 5.0 }, "pool_worker_load_ms": [3.0, null], "load_long_tasks": [] }],
            "page_weight": { "isolated": [{ "path": "/a.wasm", "status": 200, "bytes": 300000, "gzip": 120000 }], "plain": [] },
            "longtask_run": { "config": config, "observing": true, "duration_ms": 5000.0, "long_tasks": [] },
            "session_long_tasks": [
                { "start": 1.0, "duration": 60.0, "during": "between calls" },
                { "start": 2.0, "duration": 70.0, "during": "map" },
                { "start": 3.0, "duration": 90.5, "during": "map" },
            ],
            "session_ms": 1000.0,
        });
        let browser: BrowserSamples = serde_json::from_value(browser).unwrap();
        let native: Vec<NativeTiming> = serde_json::from_value(json!([{ "workload": "sum_of_squares", "n": 1, "tasks": 4, "checksum": "ab", "median_ms": 100.0, "min_ms": 90.0, "max_ms": 110.0 }])).unwrap();
        let report = analyze(&browser, &[], &native, Machine::default()).unwrap();
        let verdict = |name: &str| {
            report
                .targets
                .iter()
                .find(|t| t.target == name)
                .unwrap()
                .met
        };
        assert_eq!(verdict("threads, 2 workers: speedup"), Some(true));
        assert_eq!(
            verdict("process pool, 2 workers, incl. start-up"),
            Some(true)
        ); // 1000 / 540
        assert_eq!(
            verdict("GIL: largest speedup at any worker count"),
            Some(true)
        );
        assert_eq!(verdict("wasm / native, sum_of_squares"), Some(true)); // 1.2
        assert_eq!(verdict("wasm / native, is_prime"), None);
        assert_eq!(report.overhead[0].us_per_chunk, 2.0);
        assert_eq!(report.overhead[1].us_per_chunk, 50.0);
        assert_eq!(verdict("page weight, isolated page (gzip)"), Some(true));
        assert_eq!(
            verdict("first result after navigation, isolated page"),
            Some(true)
        );
        assert_eq!(verdict("first result after navigation, plain page"), None);
        assert_eq!(verdict("long tasks during a 5 s run"), Some(true));
        let whats: Vec<&str> = report.startup.iter().map(|r| r.what.as_str()).collect();
        assert_eq!(
            whats,
            [
                "threaded build: glue import and wasm fetch + compile, side by side",
                "navigation to first result",
                "  per pool worker: plain build fetch + compile + instantiate",
                "process pool restart, 2 workers, warm page",
            ]
        );
        let by_call: Vec<(&str, usize, f64)> = report
            .long_tasks
            .whole_session
            .by_call
            .iter()
            .map(|d| (d.during.as_str(), d.count, d.longest_ms))
            .collect();
        assert_eq!(by_call, [("map", 2, 90.5), ("between calls", 1, 60.0)]);

        let text = render(&report);
        let threads_row = text.lines().find(|l| l.starts_with("threads ")).unwrap();
        assert!(
            threads_row.contains(" 2 ")
                && threads_row.contains("500 [500–500]")
                && threads_row.contains("2.00 [2.00–2.00]"),
            "{text}"
        );
        assert!(
            text.contains("3 during the whole 1 s measuring session: 2 in map (longest 90.5 ms), 1 in between calls (longest 60.0 ms);"),
            "{text}"
        );
        assert!(
            text.lines()
                .any(|l| l.starts_with("NOT MET") || l.starts_with("met ")),
            "{text}"
        );

        let mut wrong = native;
        wrong[0].checksum = "cd".into();
        assert!(analyze(&browser, &[], &wrong, Machine::default()).is_err());
    }

    /// Firefox's or WebKit's samples: only the core cases, on 2 cores.
    fn other_sample(name: &str) -> Value {
        let config = json!({ "workload": "sum_of_squares", "n": 1, "tasks": 12 });
        let case = |id: &str, group: &str, engine: &str, workers: u32, samples: &[f64]| json!({ "id": id, "group": group, "engine": engine, "workers": workers, "chunks": null, "config": config, "samples": samples });
        let mut native_case = case(
            "native/sum_of_squares",
            "native",
            "sequential",
            1,
            &[140.0; 5],
        );
        native_case["checksum"] = json!("ab");
        json!({
            "browser": name, "version": "firefox 140.5.0", "reps": 5, "cores": 2, "user_agent": "Gecko", "scaling_workload": config,
            "rounds": [{ "round": -1, "busy": 0.1, "waited_ms": 0 }],
            "cases": [
                case("scaling/sequential/1", "scaling", "sequential", 1, &[1000.0; 5]),
                case("scaling/threads/1", "scaling", "threads", 1, &[1050.0; 5]),
                case("scaling/threads/2", "scaling", "threads", 2, &[520.0; 5]),
                case("scaling/threads/4", "scaling", "threads", 4, &[500.0; 5]),
                case("scaling/processes/1", "scaling", "processes", 1, &[1200.0; 5]),
                native_case,
            ],
            "cold_pool": { "sequential": vec![1000.0; 5], "startup": vec![60.0; 5], "run": vec![500.0; 5] },
        })
    }

    #[test]
    fn other_browsers_get_a_table_and_targets_of_their_own() {
        let native: Vec<NativeTiming> = serde_json::from_value(json!([{ "workload": "sum_of_squares", "n": 1, "tasks": 4, "checksum": "ab", "median_ms": 100.0, "min_ms": 90.0, "max_ms": 110.0 }])).unwrap();
        let firefox = parse_other(&other_sample("firefox").to_string()).unwrap();
        let report = analyze_other(&firefox, &native);
        assert_eq!(report.error, None);
        assert_eq!(report.cores_seen_by_browser, Some(2));
        // Efficiency against min(workers, cores): 4 workers on 2 cores at 2x is 100%.
        let eff: Vec<(u32, f64)> = report
            .scaling
            .iter()
            .filter(|r| r.engine == "threads")
            .map(|r| (r.workers, r.efficiency))
            .collect();
        assert_eq!(eff, [(1, 0.952), (2, 0.962), (4, 1.0)]);
        let verdict = |name: &str| {
            report
                .targets
                .iter()
                .find(|t| t.target == name)
                .map(|t| (t.met, t.shown.clone()))
        };
        assert_eq!(
            verdict("threads, 1 worker: time / sequential"),
            Some((Some(true), "1.05".into()))
        );
        assert_eq!(
            verdict("processes, 1 worker: time / sequential"),
            Some((Some(false), "1.20".into()))
        );
        assert_eq!(
            verdict("gil, 1 worker: time / sequential"),
            Some((None, "not measured".into()))
        );
        assert_eq!(
            verdict("process pool, 2 workers, incl. start-up"),
            Some((Some(false), "1.79x".into()))
        );
        assert_eq!(
            verdict("wasm / native, sum_of_squares"),
            Some((Some(false), "1.40".into()))
        );
        // Chromium's own targets are not asked of the other browsers.
        assert_eq!(verdict("page weight, isolated page (gzip)"), None);

        let text = render_browser(&report);
        assert!(
            text.starts_with("\n## firefox (firefox 140.5.0)\n"),
            "{text}"
        );
        assert!(text.contains("5 repetitions of the core cases"), "{text}");
        assert!(
            text.contains("efficiency = speedup / min(workers, cores)"),
            "{text}"
        );
        assert!(text.contains("### Targets (firefox)"), "{text}");
        assert!(
            text.lines().any(
                |l| l.starts_with("NOT MET  processes, 1 worker: time / sequential")
                    && l.ends_with("<= 1.1  1.20")
            ),
            "{text}"
        );

        // A browser that failed says why, in its table's place, and has no rows.
        let failed = parse_other(r#"{ "browser": "webkit-sab", "reps": 5, "error": "WebKitWebDriver exited before it was ready" }"#).unwrap();
        let report = analyze_other(&failed, &native);
        assert!(report.scaling.is_empty() && report.targets.is_empty());
        assert_eq!(
            render_browser(&report),
            "\n## webkit-sab (webkit-sab)\n\nwebkit-sab could not be measured: WebKitWebDriver exited before it was ready\n"
        );
        // Samples cut short are named, not guessed at; a missing file is a failed browser.
        let mut short = other_sample("firefox");
        short.as_object_mut().unwrap().remove("cold_pool");
        assert!(
            format!("{:#}", parse_other(&short.to_string()).unwrap_err()).contains("cold_pool")
        );
        let missing = read_other("firefox", Path::new("/nonexistent/firefox.json"));
        assert!(missing
            .outcome
            .unwrap_err()
            .contains("/nonexistent/firefox.json"));
    }

    #[test]
    fn amdahl_from_the_overhead_line() {
        let row = |engine: &str, workers: u32, ms_per_run: f64, us_per_chunk: f64| OverheadRow {
            engine: engine.into(),
            workers,
            workload: "square".into(),
            tasks: 16000,
            chunks: vec![],
            median_ms: vec![],
            us_per_chunk,
            ms_per_run,
            us_per_chunk_rounds: Range { min: 0.0, max: 0.0 },
        };
        let sequential = ScalingRow {
            engine: "sequential".into(),
            workers: 1,
            ms: Ms {
                median: 1000.0,
                min: 1000.0,
                max: 1000.0,
            },
            speedup: 1.0,
            speedup_paired: Range { min: 1.0, max: 1.0 },
            speedup_of_fastest: 1.0,
            efficiency: 1.0,
            samples: vec![],
        };
        // 9 ms a run + 12 chunks of 83.3 µs = 10 ms of 1000: f = 1%, so at most
        // 1 / (0.01 + 0.99 / 8) = 7.48x on 8 cores and 13.9x on 16.
        let rows = amdahl(
            &[
                row("threads", 1, 50.0, 1.0),
                row("processes", 2, 9.0, 1000.0 / 12.0),
            ],
            &[sequential],
            12,
        );
        assert_eq!(rows.len(), 1);
        let r = &rows[0];
        assert_eq!(
            (r.engine.as_str(), r.serial_ms, r.serial_fraction),
            ("processes", 10.0, 0.01)
        );
        assert_eq!((r.ceiling_8, r.ceiling_16), (7.477, 13.913));
    }
}
