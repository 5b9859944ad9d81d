//! `cargo xtask build`: the root crate compiled to wasm twice, each run through the pinned
//! wasm-bindgen into `www/pkg/<flavor>/`, then checked.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::process::{self, clean, rustup_run};
use crate::toolchain::WASM_TARGET;
use crate::{check, frontend, toolchain};

const CRATE: &str = "parallel-playground";
const WASM_FILE: &str = "parallel_playground.wasm";

/// Shared memory imported from JS so Web Workers can share it, plus the TLS exports that
/// wasm-bindgen's thread support needs.
const THREADED_RUSTFLAGS: &str = "-C target-feature=+atomics,+bulk-memory,+mutable-globals \
    -C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=1073741824 \
    -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
    -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base";

struct Flavor {
    name: &'static str,
    toolchain: &'static str,
    extra_args: &'static [&'static str],
    rustflags: Option<&'static str>,
    /// wasm-opt feature flags beyond [`WASM_OPT_FEATURES`].
    wasm_opt_features: &'static [&'static str],
    check: fn(&[u8]) -> Result<()>,
}

/// The features rustc's wasm32 target enables by default (its `target_features` section),
/// which wasm-bindgen's output no longer carries, so wasm-opt must be told.
const WASM_OPT_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-bulk-memory-opt",
    "--enable-call-indirect-overlong",
    "--enable-multivalue",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-sign-ext",
];

const FLAVORS: [Flavor; 2] = [
    Flavor {
        name: "plain",
        toolchain: "stable",
        extra_args: &[],
        rustflags: None,
        wasm_opt_features: &[],
        check: check::check_plain,
    },
    Flavor {
        name: "threaded",
        toolchain: toolchain::NIGHTLY,
        // std must be rebuilt with atomics, which only nightly can do.
        extra_args: &["--features", "threads", "-Z", "build-std=panic_abort,std"],
        rustflags: Some(THREADED_RUSTFLAGS),
        wasm_opt_features: &["--enable-threads"],
        check: check::check_threaded,
    },
];

/// Everything `build` needs, shared with `serve` and `test`.
pub fn setup(root: &Path) -> Result<PathBuf> {
    toolchain::ensure_rust()?;
    let wasm_bindgen = toolchain::ensure_wasm_bindgen(root)?;
    frontend::ensure_node_modules(root)?;
    frontend::vendor(root)?;
    Ok(wasm_bindgen)
}

pub fn build_all(root: &Path) -> Result<()> {
    let wasm_bindgen = setup(root)?;
    for flavor in &FLAVORS {
        compile(root, flavor)?;
    }
    for flavor in &FLAVORS {
        let wasm = target_dir(flavor)
            .join(WASM_TARGET)
            .join("release")
            .join(WASM_FILE);
        let out_dir = Path::new("www").join("pkg").join(flavor.name);
        step!("wasm-bindgen --target web --out-dir {}", out_dir.display());
        // Start empty so files from an older build (snippets) do not linger.
        let abs_out = root.join(&out_dir);
        if abs_out.exists() {
            fs::remove_dir_all(&abs_out)
                .with_context(|| format!("removing {}", abs_out.display()))?;
        }
        process::run(
            clean(&wasm_bindgen)
                .args(["--target", "web", "--out-dir"])
                .arg(&out_dir)
                .arg(&wasm)
                .current_dir(root),
        )?;
    }
    for flavor in &FLAVORS {
        optimize(root, flavor)?;
    }
    for flavor in &FLAVORS {
        let path = root
            .join("www/pkg")
            .join(flavor.name)
            .join("parallel_playground_bg.wasm");
        let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
        (flavor.check)(&bytes).with_context(|| format!("checking {}", path.display()))?;
    }
    step!("check: threaded imports a shared memory, plain shares none");
    Ok(())
}

pub fn run(root: &Path) -> Result<ExitCode> {
    build_all(root)?;
    Ok(ExitCode::SUCCESS)
}

/// `wasm-opt -O3` from npm `binaryen` (pinned in package.json; Debian's binaryen 108
/// corrupts the output) over wasm-bindgen's output, in place. It drops the name section
/// and shrinks the code: 8% less to download on the isolated page (see
/// docs/performance.md). The result is cached by input bytes, because wasm-bindgen
/// rewrites the same module on every build and wasm-opt takes seconds.
fn optimize(root: &Path, flavor: &Flavor) -> Result<()> {
    let wasm = root
        .join("www/pkg")
        .join(flavor.name)
        .join("parallel_playground_bg.wasm");
    let input = fs::read(&wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let cache = root.join("target").join("wasm-opt").join(flavor.name);
    let (cached_input, cached_output) = (cache.join("input.wasm"), cache.join("output.wasm"));
    if cached_output.is_file() && fs::read(&cached_input).ok().as_deref() == Some(input.as_slice())
    {
        step!(
            "wasm-opt {}: unchanged since the last build, reusing its output",
            flavor.name
        );
    } else {
        step!(
            "wasm-opt -O3 www/pkg/{}/parallel_playground_bg.wasm",
            flavor.name
        );
        fs::create_dir_all(&cache).with_context(|| format!("creating {}", cache.display()))?;
        let _ = fs::remove_file(&cached_input);
        process::run(
            clean("node")
                .arg(root.join("node_modules/binaryen/bin/wasm-opt"))
                .arg("-O3")
                .args(WASM_OPT_FEATURES)
                .args(flavor.wasm_opt_features)
                .arg(&wasm)
                .arg("-o")
                .arg(&cached_output)
                .current_dir(root),
        )?;
        fs::write(&cached_input, &input)
            .with_context(|| format!("writing {}", cached_input.display()))?;
    }
    fs::copy(&cached_output, &wasm).with_context(|| format!("writing {}", wasm.display()))?;
    Ok(())
}

/// Separate target dirs, so the two builds never invalidate each other.
fn target_dir(flavor: &Flavor) -> PathBuf {
    Path::new("target").join(format!("wasm-{}", flavor.name))
}

fn compile(root: &Path, flavor: &Flavor) -> Result<()> {
    let mut args = vec![
        "build",
        "-p",
        CRATE,
        "--lib",
        "--release",
        "--target",
        WASM_TARGET,
    ];
    args.extend(flavor.extra_args);
    let target_dir = target_dir(flavor);
    step!(
        "build {}: cargo +{} {} --target-dir {}{}",
        flavor.name,
        flavor.toolchain,
        args.join(" "),
        target_dir.display(),
        if flavor.rustflags.is_some() {
            " (with atomics RUSTFLAGS)"
        } else {
            ""
        }
    );
    let mut command = rustup_run(flavor.toolchain, "cargo");
    command
        .args(&args)
        .arg("--target-dir")
        .arg(&target_dir)
        .current_dir(root);
    if let Some(flags) = flavor.rustflags {
        command.env("RUSTFLAGS", flags);
    }
    process::run(&mut command)
}
