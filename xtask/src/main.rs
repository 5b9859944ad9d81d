//! `cargo xtask <command>`: the project's tasks, written in Rust so that a fresh machine
//! needs only rustup, Node and npm (plus Debian's browsers for the browser tests).

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
mod headers;
mod process;
mod serve;
mod soak;
mod test;
mod toolchain;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The project's tasks. Each sets up what it needs on a fresh machine first.
#[derive(Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", about)]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Set up toolchains and npm packages, then build both wasm packages into www/pkg/.
    Build,
    /// Build, then serve www/ with the isolation headers (or dist/ with --dist).
    Serve(serve::Options),
    /// Build, then write the static site for any host into dist/.
    Dist(dist::Options),
    /// Native tests, build, then the browser tests in Chromium, Firefox and WebKit.
    Test,
    /// Build, then time the engines in Chromium, Firefox and WebKit against native; prints a table per browser and writes
    /// bench/results.json (not part of test).
    Bench(bench::Options),
    /// Build, then load the playground cold many times (isolated and plain, random
    /// lessons) and report any load not ready within 10 s, with the slowest (not part of
    /// test).
    Soak(soak::Options),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = repo_root();
    let result = match cli.command {
        Task::Build => build::run(&root),
        Task::Serve(options) => serve::cli(&root, options),
        Task::Dist(options) => dist::cli(&root, options),
        Task::Test => test::run(&root),
        Task::Bench(options) => bench::cli(&root, options),
        Task::Soak(options) => soak::cli(&root, options),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// One task's options parsed on their own, as its tests do.
#[cfg(test)]
fn parse_options<T: clap::Args + clap::FromArgMatches>(args: &[&str]) -> anyhow::Result<T> {
    let command = T::augment_args(clap::Command::new("xtask").no_binary_name(true));
    let matches = command.try_get_matches_from(args)?;
    Ok(T::from_arg_matches(&matches)?)
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
