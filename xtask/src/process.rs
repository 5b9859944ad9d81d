//! Running child processes with a clean environment and clear errors.

use std::env;
use std::ffi::{OsStr, OsString};
use std::io::ErrorKind;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};

use anyhow::{bail, Context, Result};

/// Variables the outer `cargo xtask` (cargo and the rustup proxy) set for us. Children
/// must not see them: they would pin the stable toolchain or leak flags into other builds.
fn set_by_outer_cargo(key: &str) -> bool {
    matches!(
        key,
        "CARGO"
            | "RUSTC"
            | "RUSTDOC"
            | "RUSTFLAGS"
            | "CARGO_ENCODED_RUSTFLAGS"
            | "CARGO_TARGET_DIR"
            | "CARGO_MANIFEST_DIR"
            | "CARGO_MANIFEST_PATH"
            | "CARGO_CRATE_NAME"
            | "CARGO_BIN_NAME"
            | "CARGO_PRIMARY_PACKAGE"
            | "CARGO_MAKEFLAGS"
            | "RUSTUP_TOOLCHAIN"
            | "RUSTUP_TOOLCHAIN_SOURCE"
    ) || key.starts_with("CARGO_PKG_")
}

/// A command whose environment lacks what the outer cargo set (see [`set_by_outer_cargo`]),
/// including the toolchain library directories cargo prepended to `LD_LIBRARY_PATH`.
pub fn clean(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    for (key, _) in env::vars_os() {
        if key.to_str().is_some_and(set_by_outer_cargo) {
            command.env_remove(&key);
        }
    }
    if let Some(paths) = env::var_os("LD_LIBRARY_PATH") {
        let kept: Vec<_> = env::split_paths(&paths)
            .filter(|dir| !added_by_cargo_run(dir))
            .collect();
        if kept.is_empty() {
            command.env_remove("LD_LIBRARY_PATH");
        } else if let Ok(joined) = env::join_paths(kept) {
            command.env("LD_LIBRARY_PATH", joined);
        }
    }
    command
}

/// `cargo run` prepends the target directory and the running toolchain's libraries.
fn added_by_cargo_run(dir: &Path) -> bool {
    let rustup_home = env::var_os("RUSTUP_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|home| Path::new(&home).join(".rustup")));
    let in_toolchain = rustup_home.is_some_and(|home| dir.starts_with(home.join("toolchains")));
    in_toolchain || dir.starts_with(crate::repo_root().join("target"))
}

/// `rustup run <toolchain> <program>`: picks the toolchain explicitly, whatever the
/// directory's default or the outer cargo's toolchain is.
pub fn rustup_run(toolchain: &str, program: &str) -> Command {
    let mut command = clean("rustup");
    command.args(["run", toolchain, program]);
    command
}

/// Runs `command` with inherited stdio and fails unless it exits successfully.
pub fn run(command: &mut Command) -> Result<()> {
    let status = status(command)?;
    if !status.success() {
        bail!(
            "`{}` failed ({})",
            describe(command),
            describe_status(status)
        );
    }
    Ok(())
}

/// Runs `command` with inherited stdio and answers its exit status, whatever it is.
pub fn status(command: &mut Command) -> Result<ExitStatus> {
    command
        .status()
        .map_err(|error| spawn_error(command, error))
}

/// Runs `command` and answers its stdout; stderr still shows.
pub fn output(command: &mut Command) -> Result<String> {
    let out = command
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|error| spawn_error(command, error))?;
    if !out.status.success() {
        bail!(
            "`{}` failed ({})",
            describe(command),
            describe_status(out.status)
        );
    }
    String::from_utf8(out.stdout)
        .with_context(|| format!("`{}` printed non-UTF-8", describe(command)))
}

fn spawn_error(command: &Command, error: std::io::Error) -> anyhow::Error {
    let program = command.get_program().to_string_lossy();
    if error.kind() == ErrorKind::NotFound {
        anyhow::anyhow!(
            "`{program}` was not found on PATH: {}",
            install_hint(&program)
        )
    } else {
        anyhow::anyhow!("could not run `{}`: {error}", describe(command))
    }
}

fn install_hint(program: &str) -> &'static str {
    match program {
        "rustup" | "cargo" => "install rustup from https://rustup.rs",
        "node" | "npm" => "install Node.js 20 or newer with npm",
        "apt-get" => "this needs a Debian-based system",
        _ => "install it first",
    }
}

fn describe(command: &Command) -> String {
    let mut words: Vec<OsString> = vec![command.get_program().to_owned()];
    words.extend(command.get_args().map(OsStr::to_owned));
    words
        .iter()
        .map(|word| word.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe_status(status: ExitStatus) -> String {
    match status.code() {
        Some(code) => format!("exit code {code}"),
        None => "killed by a signal".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outer_cargo_variables_are_recognised() {
        for key in [
            "CARGO",
            "RUSTUP_TOOLCHAIN",
            "CARGO_PKG_NAME",
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTFLAGS",
        ] {
            assert!(set_by_outer_cargo(key), "{key}");
        }
        for key in [
            "CARGO_HOME",
            "RUSTUP_HOME",
            "CARGO_TERM_COLOR",
            "PATH",
            "HOME",
        ] {
            assert!(!set_by_outer_cargo(key), "{key}");
        }
    }
}
