//! `cargo xtask <command>`: the project's tasks, written in Rust so that a fresh machine
//! needs only rustup, Node and npm (plus Debian's Chromium for the browser tests).

/// Prints one short line saying what is being done.
macro_rules! step {
    ($($arg:tt)*) => {
        println!("==> {}", format_args!($($arg)*))
    };
}

mod build;
mod check;
mod frontend;
mod process;
mod serve;
mod test;
mod toolchain;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  build    set up toolchains and npm packages, then build both wasm packages into www/pkg/
  serve    build, then serve www/ (options: --port N, --host ADDR, --no-isolation)
  test     native tests, build, then the browser tests in Chromium
  help     show this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match command {
        "build" => no_options(command, rest).and_then(|()| build::run(&repo_root())),
        "serve" => serve::cli(&repo_root(), rest),
        "test" => no_options(command, rest).and_then(|()| test::run(&repo_root())),
        "help" | "-h" | "--help" => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        other => {
            eprintln!("error: unknown command `{other}`\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn no_options(command: &str, rest: &[String]) -> anyhow::Result<()> {
    match rest.first() {
        None => Ok(()),
        Some(arg) => anyhow::bail!("`{command}` takes no arguments, got `{arg}`"),
    }
}

/// The workspace root: the parent of xtask's own manifest directory. Read at run time
/// first so a moved checkout still works, compile time as the fallback.
fn repo_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir
        .parent()
        .expect("xtask lives in a subdirectory of the workspace")
        .to_path_buf()
}
