//! `cargo xtask <command>`: the project's tasks, written in Rust so that a fresh machine
//! needs only rustup, Node and npm (plus Debian's Chromium for the browser tests).

/// Prints one short line saying what is being done.
macro_rules! step {
    ($($arg:tt)*) => {
        println!("==> {}", format_args!($($arg)*))
    };
}

mod bench;
mod build;
mod check;
mod dist;
mod frontend;
mod headers_file;
mod process;
mod serve;
mod soak;
mod test;
mod toolchain;
mod urlscan;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  build    set up toolchains and npm packages, then build both wasm packages into www/pkg/
  serve    build, then serve www/ (options: --port N, --host ADDR, --no-isolation;
           --dist serves a fresh dist/ with its _headers, or with none at all when
           --no-isolation is given too; --prefix PATH mounts it under a sub-path)
  dist     build, then write the static site for any host into dist/ (option: --out DIR)
  test     native tests, build, then the browser tests in Chromium, Firefox and WebKit
  bench    build, then time the engines in Chromium against native; prints a table and
           writes bench/results.json (options: --reps N, at least 7; --report-only
           prints the table again from the last run's samples; not part of test)
  soak     build, then load the playground cold many times in fresh Chromium contexts
           (isolated and plain, random lessons) and report any load not ready within
           10 s, with the slowest (options: --loads N, default 500; --browser-per-load
           launches a new browser for each load; not part of test)
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
        "dist" => dist::cli(&repo_root(), rest),
        "test" => no_options(command, rest).and_then(|()| test::run(&repo_root())),
        "bench" => bench::cli(&repo_root(), rest),
        "soak" => soak::cli(&repo_root(), rest),
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
