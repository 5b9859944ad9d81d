//! Tools outside the repository: rustup toolchains, the pinned wasm-bindgen-cli and Chromium.
//! Each check is cheap, and installs only what is missing.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::process::{clean, output, run, rustup_run};

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The dated nightly that builds the threaded wasm package, and nothing else. Pinned
/// because a newer nightly can change what the shared-memory link flags produce without
/// a word (as a late-2025 one did); `xtask` checks the result (see `check.rs`) but cannot
/// fix it. To move it forward: change the date, run `cargo xtask test`, and commit when
/// the threaded build links, passes the shared-memory check and the browser tests pass.
pub const NIGHTLY: &str = "nightly-2026-05-20";

/// Stable and the pinned nightly, both with the wasm target, and the nightly's `rust-src`
/// for `-Z build-std`.
pub fn ensure_rust() -> Result<()> {
    let installed = output(clean("rustup").args(["toolchain", "list"]))?;
    for toolchain in ["stable", NIGHTLY] {
        if !has_toolchain(&installed, toolchain) {
            step!("rustup: installing the {toolchain} toolchain");
            run(clean("rustup").args(["toolchain", "install", toolchain, "--profile", "minimal"]))?;
        }
        let targets = output(clean("rustup").args([
            "target",
            "list",
            "--installed",
            "--toolchain",
            toolchain,
        ]))?;
        if !targets.lines().any(|line| line.trim() == WASM_TARGET) {
            step!("rustup: adding {WASM_TARGET} to {toolchain}");
            run(clean("rustup").args(["target", "add", WASM_TARGET, "--toolchain", toolchain]))?;
        }
    }
    let components =
        output(clean("rustup").args(["component", "list", "--installed", "--toolchain", NIGHTLY]))?;
    if !has_component(&components, "rust-src") {
        step!("rustup: adding rust-src to {NIGHTLY}");
        run(clean("rustup").args(["component", "add", "rust-src", "--toolchain", NIGHTLY]))?;
    }
    step!("rust: stable and {NIGHTLY} ready for {WASM_TARGET}");
    Ok(())
}

/// Whether `rustup toolchain list` shows the toolchain `name` for some host: a channel
/// (`nightly`) ignores dated toolchains such as `nightly-2024-01-01-…`, which are not what
/// `+nightly` runs, while a dated name matches only itself.
fn has_toolchain(list: &str, name: &str) -> bool {
    list.lines()
        .filter_map(|line| line.split_whitespace().next())
        .any(|toolchain| match toolchain.strip_prefix(name) {
            Some("") => true,
            Some(rest) => {
                rest.starts_with('-') && !rest[1..].starts_with(|c: char| c.is_ascii_digit())
            }
            None => false,
        })
}

/// Components are listed with a host suffix (`rustc-x86_64-…`) except target-independent ones.
fn has_component(list: &str, name: &str) -> bool {
    list.lines().map(str::trim).any(|line| {
        line == name
            || line
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('-'))
    })
}

/// The wasm-bindgen-cli matching the crate's pinned `wasm-bindgen`, cached per user and per
/// version outside the clone: the CLI and the library must agree exactly, so a global
/// `wasm-bindgen` on PATH is never used.
pub fn ensure_wasm_bindgen(root: &Path) -> Result<PathBuf> {
    let lock_path = root.join("Cargo.lock");
    let lock = fs::read_to_string(&lock_path)
        .with_context(|| format!("reading {}", lock_path.display()))?;
    let version = locked_version(&lock, "wasm-bindgen")?;
    let (binary, install_root) =
        cargo_install_cached("wasm-bindgen-cli", &version, "wasm-bindgen")?;
    let reported = output(clean(&binary).arg("--version"))?;
    if reported.split_whitespace().nth(1) != Some(version.as_str()) {
        bail!(
            "{} reports `{}`, expected {version}: delete {} and run again",
            binary.display(),
            reported.trim(),
            install_root.display()
        );
    }
    step!("wasm-bindgen-cli {version}: {}", binary.display());
    Ok(binary)
}

/// The geckodriver that drives Firefox over WebDriver classic in the browser tests,
/// built from crates.io (there is no Debian package of it) into a per-user cache.
const GECKODRIVER_VERSION: &str = "0.37.1";

/// `$GECKODRIVER`, or the pinned geckodriver, installed with `cargo install` when missing.
pub fn ensure_geckodriver() -> Result<PathBuf> {
    if let Some(custom) = env::var_os("GECKODRIVER").filter(|value| !value.is_empty()) {
        return Ok(PathBuf::from(custom));
    }
    let (binary, _) = cargo_install_cached("geckodriver", GECKODRIVER_VERSION, "geckodriver")?;
    step!("geckodriver {GECKODRIVER_VERSION}: {}", binary.display());
    Ok(binary)
}

/// `krate` at `version`, `cargo install`ed once into a per-user cache folder of its own
/// (outside the clone, so a fresh clone reuses it); answers the binary and that folder.
fn cargo_install_cached(krate: &str, version: &str, binary: &str) -> Result<(PathBuf, PathBuf)> {
    let install_root = cache_dir()?
        .join("parallel-playground")
        .join(format!("{krate}-{version}"));
    let path = install_root.join("bin").join(binary);
    if !path.is_file() {
        step!(
            "{krate} {version}: cargo install into {}",
            install_root.display()
        );
        run(rustup_run("stable", "cargo")
            .args(["install", krate, "--version", version, "--root"])
            .arg(&install_root))?;
    }
    Ok((path, install_root))
}

/// The version of the single package `name` in a Cargo.lock.
fn locked_version(lock: &str, name: &str) -> Result<String> {
    let mut versions = Vec::new();
    for package in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            package.lines().find_map(|line| {
                let (k, v) = line.split_once('=')?;
                (k.trim() == key).then(|| v.trim().trim_matches('"').to_owned())
            })
        };
        if field("name").as_deref() == Some(name) {
            versions.extend(field("version"));
        }
    }
    match versions.as_slice() {
        [version] => Ok(version.clone()),
        [] => bail!("Cargo.lock has no `{name}` package: run `cargo generate-lockfile`"),
        _ => bail!(
            "Cargo.lock has several `{name}` versions ({}): pin one",
            versions.join(", ")
        ),
    }
}

/// `$XDG_CACHE_HOME`, or `$HOME/.cache`. Relative values are ignored, as the XDG spec says.
fn cache_dir() -> Result<PathBuf> {
    let absolute = |var: &str| {
        env::var_os(var)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    if let Some(dir) = absolute("XDG_CACHE_HOME") {
        return Ok(dir);
    }
    match absolute("HOME") {
        Some(home) => Ok(home.join(".cache")),
        None => bail!("neither XDG_CACHE_HOME nor HOME is set to an absolute path"),
    }
}

/// One program the browser tests need, from one Debian package.
struct Program {
    /// The environment variable that points at another copy instead.
    env: &'static str,
    path: &'static str,
    package: &'static str,
}

/// The programs, in the order [`Browsers`] takes their paths (xauth, last, only for
/// xvfb-run).
#[rustfmt::skip]
const PROGRAMS: [Program; 5] = [
    Program { env: "CHROMIUM", path: "/usr/bin/chromium", package: "chromium" },
    Program { env: "FIREFOX", path: "/usr/bin/firefox-esr", package: "firefox-esr" },
    // Drives WebKitGTK's MiniBrowser, which comes with it (libwebkit2gtk-4.1-0).
    Program { env: "WEBKIT_WEBDRIVER", path: "/usr/bin/WebKitWebDriver", package: "webkit2gtk-driver" },
    // MiniBrowser needs a display even when nobody looks; xvfb-run needs xauth.
    Program { env: "XVFB_RUN", path: "/usr/bin/xvfb-run", package: "xvfb" },
    Program { env: "XAUTH", path: "/usr/bin/xauth", package: "xauth" },
];

/// Where the browsers and their helpers are.
pub struct Browsers {
    pub chromium: PathBuf,
    pub firefox: PathBuf,
    pub webkit_driver: PathBuf,
    pub xvfb_run: PathBuf,
}

/// Debian's Chromium, Firefox ESR and WebKitGTK driver, and Xvfb, each found at its
/// Debian path or where its variable points. What is missing is installed with one
/// `apt-get install` when running as root; a browser is never downloaded from anywhere else.
pub fn ensure_browsers() -> Result<Browsers> {
    let programs = &PROGRAMS;
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for program in programs {
        match env::var_os(program.env).filter(|value| !value.is_empty()) {
            Some(custom) => {
                let path = PathBuf::from(custom);
                if !path.is_file() {
                    bail!(
                        "{}={} does not exist: point it at a {} binary or unset it",
                        program.env,
                        path.display(),
                        program.package
                    );
                }
                found.push(path);
            }
            None => {
                let path = PathBuf::from(program.path);
                if !path.is_file() {
                    missing.push(program.package);
                }
                found.push(path);
            }
        }
    }
    if !missing.is_empty() {
        let list = missing.join(" ");
        if !is_root() {
            bail!(
                "the browser tests need Debian's {list}: install them (sudo apt-get install \
                 --no-install-recommends {list}), or point CHROMIUM, FIREFOX, \
                 WEBKIT_WEBDRIVER and XVFB_RUN at your own copies"
            );
        }
        step!("browsers: apt-get update");
        run(clean("apt-get").arg("update"))?;
        step!("browsers: apt-get install {list}");
        run(clean("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(&missing)
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
        for (program, path) in programs.iter().zip(&found) {
            if !path.is_file() {
                bail!(
                    "apt-get installed {}, but {} is still missing",
                    program.package,
                    path.display()
                );
            }
        }
    }
    for path in &found {
        step!("browser tests: {}", path.display());
    }
    let mut found = found.into_iter();
    let mut next = || found.next().expect("one path per program");
    Ok(Browsers {
        chromium: next(),
        firefox: next(),
        webkit_driver: next(),
        xvfb_run: next(),
    })
}

/// `/proc/self` belongs to the process's effective user.
fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self").is_ok_and(|meta| meta.uid() == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toolchain_channels_are_found_but_dated_ones_do_not_count() {
        let list = "stable-x86_64-unknown-linux-gnu (active, default)\n\
                    nightly-2024-01-01-x86_64-unknown-linux-gnu\n\
                    1.95.0-x86_64-unknown-linux-gnu\n";
        assert!(has_toolchain(list, "stable"));
        assert!(!has_toolchain(list, "nightly"));
        assert!(has_toolchain("nightly-aarch64-apple-darwin\n", "nightly"));
        assert!(has_toolchain(list, "nightly-2024-01-01"));
        assert!(!has_toolchain(list, "nightly-2024-01-02"));
        assert!(!has_toolchain(
            "nightly-x86_64-unknown-linux-gnu\n",
            NIGHTLY
        ));
        assert!(!has_toolchain("", "stable"));
    }

    #[test]
    fn components_with_and_without_host_suffix() {
        let list = "cargo-x86_64-unknown-linux-gnu\nrust-src\nrustc-x86_64-unknown-linux-gnu\n";
        assert!(has_component(list, "rust-src"));
        assert!(has_component(list, "rustc"));
        assert!(!has_component(list, "clippy"));
        assert!(!has_component(
            "rust-src-extra-thing-without-dash\n",
            "rust-srcx"
        ));
    }

    #[test]
    fn the_locked_wasm_bindgen_version_is_read() {
        let lock = r#"
version = 4

[[package]]
name = "wasm-bindgen-macro"
version = "0.2.130"

[[package]]
name = "wasm-bindgen"
version = "0.2.130"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(locked_version(lock, "wasm-bindgen").unwrap(), "0.2.130");
        assert!(locked_version(lock, "js-sys").is_err());
        let twice = format!("{lock}\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.99\"\n");
        assert!(locked_version(&twice, "wasm-bindgen").is_err());
    }
}
