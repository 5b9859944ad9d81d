//! `cargo xtask soak`: many cold loads of the playground, one after another, each in a
//! fresh Chromium context against the same servers `cargo xtask serve` runs (isolated and
//! plain, alternating), at random lessons. It prints how many loads reached `ready` within
//! the deadline and the slowest load, and fails if any did not.
//!
//! Not for: speed. The deadline is generous; a load that misses it has stalled, which is
//! what this is here to catch (a server that leaves a module request unanswered).

use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use crate::process::{self, clean};
use crate::{build, serve, toolchain};

const DEFAULT_LOADS: u32 = 500;

/// `cargo xtask soak`'s options.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// How many cold loads.
    #[arg(long, default_value_t = DEFAULT_LOADS, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    loads: u32,
    /// A new browser for every load instead of a new context.
    #[arg(long = "browser-per-load")]
    browser_per_load: bool,
}

pub fn cli(root: &Path, options: Options) -> Result<ExitCode> {
    let Options {
        loads,
        browser_per_load,
    } = options;
    build::build_all(root)?;
    let chromium = toolchain::ensure_browsers()?.chromium;
    let servers = serve::serve_www(root)?;
    step!(
        "soak: {loads} cold loads against {} (isolated) and {} (plain)",
        servers.isolated.url(),
        servers.plain.url()
    );
    let status = process::status(
        clean("node")
            .arg(root.join("tests").join("soak").join("soak.mjs"))
            .envs(servers.env())
            .env("SOAK_LOADS", loads.to_string())
            .env(
                "SOAK_BROWSER_PER_LOAD",
                if browser_per_load { "1" } else { "0" },
            )
            .env("CHROMIUM", &chromium)
            .current_dir(root),
    )?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_are_counted_and_checked() {
        let parse = crate::parse_options::<Options>;
        let defaults = parse(&[]).unwrap();
        assert_eq!(
            (defaults.loads, defaults.browser_per_load),
            (DEFAULT_LOADS, false)
        );
        assert_eq!(parse(&["--loads", "20"]).unwrap().loads, 20);
        assert_eq!(parse(&["--loads=3"]).unwrap().loads, 3);
        assert!(parse(&["--browser-per-load"]).unwrap().browser_per_load);
        assert!(parse(&["--loads", "0"]).is_err());
        assert!(parse(&["--loads", "many"]).is_err());
        assert!(parse(&["--fast"]).is_err());
    }
}
