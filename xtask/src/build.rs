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
    check: fn(&[u8]) -> Result<()>,
}

const FLAVORS: [Flavor; 2] = [
    Flavor {
        name: "plain",
        toolchain: "stable",
        extra_args: &[],
        rustflags: None,
        check: check::check_plain,
    },
    Flavor {
        name: "threaded",
        toolchain: "nightly",
        // std must be rebuilt with atomics, which only nightly can do.
        extra_args: &["--features", "threads", "-Z", "build-std=panic_abort,std"],
        rustflags: Some(THREADED_RUSTFLAGS),
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
