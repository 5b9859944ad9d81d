//! npm packages and the front-end libraries vendored into `www/vendor/` (gitignored), so
//! the static page needs no bundler and no CDN.

use std::fs;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::process::{clean, run};

/// `npm ci` when `node_modules` is missing or older than `package-lock.json`.
pub fn ensure_node_modules(root: &Path) -> Result<()> {
    let lock = root.join("package-lock.json");
    // npm rewrites this hidden lockfile on every install, so its age is the install's age.
    let installed = root.join("node_modules").join(".package-lock.json");
    let (command, against, why) = if lock.is_file() {
        ("ci", lock, "")
    } else {
        (
            "install",
            root.join("package.json"),
            " (there is no package-lock.json)",
        )
    };
    if is_stale(&installed, &against) {
        step!("npm {command}{why}");
        run(clean("npm")
            .args([command, "--no-audit", "--no-fund"])
            .current_dir(root))?;
    } else {
        step!("npm packages: up to date");
    }
    Ok(())
}

/// Whether `output` is missing or older than `input`.
fn is_stale(output: &Path, input: &Path) -> bool {
    let modified = |path: &Path| fs::metadata(path).and_then(|meta| meta.modified()).ok();
    match (modified(output), modified(input)) {
        (Some(output), Some(input)) => output < input,
        (None, _) => true,
        (Some(_), None) => false,
    }
}

struct Vendored {
    package: &'static str,
    /// Paths inside the package, the first one that exists wins.
    sources: &'static [&'static str],
    dest: &'static str,
}

const VENDORED: &[Vendored] = &[
    Vendored {
        package: "comlink",
        sources: &["dist/esm/comlink.mjs"],
        dest: "comlink.mjs",
    },
    Vendored {
        package: "chart.js",
        sources: &["dist/chart.umd.min.js", "dist/chart.umd.js"],
        dest: "chart.umd.js",
    },
];

/// The files Pyodide requests at run time (CPython and its standard library; no wheels).
/// They go to `www/vendor/pyodide/`, and only the Python lesson ever loads them.
const PYODIDE_FILES: &[&str] = &[
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
];

const LICENSE_NAMES: &[&str] = &["LICENSE", "LICENSE.md", "LICENSE.txt"];

/// Copies each library and its licence into `www/vendor/`, rewriting only what changed.
pub fn vendor(root: &Path) -> Result<()> {
    let modules = root.join("node_modules");
    let vendor = root.join("www").join("vendor");
    fs::create_dir_all(&vendor).with_context(|| format!("creating {}", vendor.display()))?;
    for lib in VENDORED {
        let package = modules.join(lib.package);
        copy_first(&package, lib.sources, &vendor.join(lib.dest))?;
        copy_first(
            &package,
            LICENSE_NAMES,
            &vendor.join(format!("{}.LICENSE.txt", lib.package)),
        )?;
    }
    let pyodide = modules.join("pyodide");
    let pyodide_dest = vendor.join("pyodide");
    fs::create_dir_all(&pyodide_dest)
        .with_context(|| format!("creating {}", pyodide_dest.display()))?;
    for file in PYODIDE_FILES {
        copy_first(&pyodide, &[file], &pyodide_dest.join(file))?;
    }
    let mut names: Vec<_> = VENDORED.iter().map(|lib| lib.dest).collect();
    names.push("pyodide/");
    step!(
        "vendor: www/vendor/{{{}}} and their licences",
        names.join(", ")
    );
    Ok(())
}

fn copy_first(dir: &Path, candidates: &[&str], dest: &Path) -> Result<()> {
    let Some(source) = candidates
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
    else {
        bail!(
            "none of {candidates:?} exists in {}: run `npm ci`",
            dir.display()
        );
    };
    let bytes = fs::read(&source).with_context(|| format!("reading {}", source.display()))?;
    if fs::read(dest).ok().as_deref() != Some(bytes.as_slice()) {
        fs::write(dest, bytes).with_context(|| format!("writing {}", dest.display()))?;
    }
    Ok(())
}
