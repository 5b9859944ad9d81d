//! `cargo xtask test`: native tests, both wasm builds, then the browser tests in Chromium
//! against two in-process servers, one cross-origin isolated and one not.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::process::{self, clean, rustup_run};
use crate::{build, serve, toolchain};

pub fn run(root: &Path) -> Result<ExitCode> {
    step!("native tests: cargo test --workspace");
    process::run(
        rustup_run("stable", "cargo")
            .args(["test", "--workspace"])
            .current_dir(root),
    )?;

    build::build_all(root)?;
    let chromium = toolchain::ensure_chromium()?;

    let www = root.join("www");
    let isolated = serve::serve_dir(&www, "127.0.0.1:0", true)?;
    let plain = serve::serve_dir(&www, "127.0.0.1:0", false)?;
    step!(
        "servers: {} (isolated), {} (not isolated)",
        isolated.url(),
        plain.url()
    );

    let files = browser_tests(&root.join("tests").join("browser"))?;
    if files.is_empty() {
        step!("browser tests: none in tests/browser/ yet");
        return Ok(ExitCode::SUCCESS);
    }
    let plural = if files.len() == 1 { "" } else { "s" };
    step!(
        "browser tests: node --test --test-concurrency=1 ({} file{plural})",
        files.len()
    );
    // Files rather than the directory: newer Node reads arguments as globs, not directories.
    let node = process::status(
        clean("node")
            .args(["--test", "--test-concurrency=1"])
            .args(&files)
            .env(
                "PLAYGROUND_URL",
                format!("http://127.0.0.1:{}/", isolated.port()),
            )
            .env(
                "PLAYGROUND_URL_PLAIN",
                format!("http://127.0.0.1:{}/", plain.port()),
            )
            .env("CHROMIUM", &chromium)
            .current_dir(root),
    )?;
    match node.code() {
        Some(0) => {
            step!("all tests passed");
            Ok(ExitCode::SUCCESS)
        }
        Some(code) => {
            eprintln!("error: browser tests failed (node exit code {code})");
            Ok(ExitCode::from(u8::try_from(code).unwrap_or(1).max(1)))
        }
        None => anyhow::bail!("node was killed by a signal"),
    }
}

/// `dir/*.test.mjs`, sorted.
fn browser_tests(dir: &Path) -> Result<Vec<PathBuf>> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(Vec::new());
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry
            .with_context(|| format!("listing {}", dir.display()))?
            .path();
        if path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(is_test_file)
            && path.is_file()
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn is_test_file(name: &str) -> bool {
    name.ends_with(".test.mjs")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_test_modules_are_run() {
        assert!(is_test_file("engines.test.mjs"));
        assert!(!is_test_file("browser.mjs"));
        assert!(!is_test_file("engines.test.mjs.bak"));
    }
}
