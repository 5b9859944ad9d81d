//! `cargo xtask test`: native tests, both wasm builds, then the browser tests (Chromium,
//! Firefox and WebKitGTK) against in-process servers: www/ cross-origin isolated and not, an example course page
//! on its own origin, and the static deploy (`dist`) under a sub-path, once with the
//! header rules of its `_headers` and once with no headers at all (for the service-worker
//! fallback).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};

use crate::process::{self, clean, rustup_run};
use crate::serve::{Policy, ServeOptions};
use crate::{build, dist, serve, toolchain};

/// Where the tests mount the static deploy, as a course site would.
const DIST_PREFIX: &str = "/course/playground/";

pub fn run(root: &Path) -> Result<ExitCode> {
    step!("native tests: cargo test --workspace");
    process::run(
        rustup_run("stable", "cargo")
            .args(["test", "--workspace"])
            .current_dir(root),
    )?;

    build::build_all(root)?;
    // One layout for the JavaScript, so its line counts and diffs mean something.
    step!("format: prettier --check (www/, tests/)");
    process::run(
        clean("node")
            .arg(root.join("node_modules/prettier/bin/prettier.cjs"))
            .args([
                "--check",
                "--log-level",
                "warn",
                "www/**/*.js",
                "tests/**/*.mjs",
            ])
            .current_dir(root),
    )?;
    let browsers = toolchain::ensure_browsers()?;
    let geckodriver = toolchain::ensure_geckodriver()?;

    let servers = serve::serve_www(root)?;
    step!(
        "servers: {} (isolated), {} (not isolated)",
        servers.isolated.url(),
        servers.plain.url()
    );

    // An LMS page is not cross-origin isolated: no extra headers at all.
    let bare = |prefix: &str| ServeOptions {
        prefix: prefix.to_owned(),
        policy: Policy::Bare,
    };
    let course =
        serve::serve_dir_with(&root.join("tests").join("embed"), "127.0.0.1:0", &bare("/"))?;
    let dist_dir = root.join("target").join("dist-test");
    let rules = dist::write(root, &dist_dir)?;
    let dist_headers = serve::serve_dir_with(
        &dist_dir,
        "127.0.0.1:0",
        &ServeOptions {
            prefix: DIST_PREFIX.to_owned(),
            policy: Policy::Rules(rules),
        },
    )?;
    let dist_bare = serve::serve_dir_with(&dist_dir, "127.0.0.1:0", &bare(DIST_PREFIX))?;
    step!(
        "servers: {} (course page), {} (dist with _headers), {} (dist without headers)",
        course.url(),
        dist_headers.site_url(),
        dist_bare.site_url()
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
            .envs(servers.env())
            .env("PLAYGROUND_COURSE_URL", course.url())
            .env("PLAYGROUND_DIST_URL", dist_headers.site_url())
            .env("PLAYGROUND_DIST_NOHEADERS_URL", dist_bare.site_url())
            .env("CHROMIUM", &browsers.chromium)
            .env("GECKODRIVER", &geckodriver)
            .env("FIREFOX", &browsers.firefox)
            .env("WEBKIT_WEBDRIVER", &browsers.webkit_driver)
            .env("XVFB_RUN", &browsers.xvfb_run)
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
