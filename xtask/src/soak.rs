//! `cargo xtask soak`: many cold loads of the playground, one after another, each in a
//! fresh Chromium context against the same servers `cargo xtask serve` runs (isolated and
//! plain, alternating), at random lessons. It prints how many loads reached `ready` within
//! the deadline and the slowest load, and fails if any did not.
//!
//! Not for: speed. The deadline is generous; a load that misses it has stalled, which is
//! what this is here to catch (a server that leaves a module request unanswered).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};

use crate::process::{self, clean};
use crate::{build, serve, toolchain};

const DEFAULT_LOADS: u32 = 500;

#[derive(Debug, PartialEq, Eq)]
struct Options {
    loads: u32,
    /// A new browser for every load instead of a new context.
    browser_per_load: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut loads = DEFAULT_LOADS;
    let mut browser_per_load = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        match flag {
            "--loads" => {
                let value = inline
                    .or_else(|| args.next().cloned())
                    .ok_or_else(|| anyhow!("--loads needs a value"))?;
                loads = value
                    .parse()
                    .with_context(|| format!("--loads {value} is not a whole number"))?;
                if !(1..=100_000).contains(&loads) {
                    bail!("--loads must be between 1 and 100000, got {loads}");
                }
            }
            "--browser-per-load" if inline.is_none() => browser_per_load = true,
            _ => bail!("unknown option `{arg}` (soak takes --loads N and --browser-per-load)"),
        }
    }
    Ok(Options {
        loads,
        browser_per_load,
    })
}

pub fn cli(root: &Path, args: &[String]) -> Result<ExitCode> {
    let Options {
        loads,
        browser_per_load,
    } = parse_args(args)?;
    build::build_all(root)?;
    let chromium = toolchain::ensure_browsers()?.chromium;
    let www = root.join("www");
    let isolated = serve::serve_dir(&www, "127.0.0.1:0", true)?;
    let plain = serve::serve_dir(&www, "127.0.0.1:0", false)?;
    step!(
        "soak: {loads} cold loads against {} (isolated) and {} (plain)",
        isolated.url(),
        plain.url()
    );
    let status = process::status(
        clean("node")
            .arg(root.join("tests").join("soak").join("soak.mjs"))
            .env("PLAYGROUND_URL", isolated.url())
            .env("PLAYGROUND_URL_PLAIN", plain.url())
            .env("SOAK_LOADS", loads.to_string())
            .env("SOAK_BROWSER_PER_LOAD", if browser_per_load { "1" } else { "0" })
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
        let args = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        assert_eq!(
            parse_args(&[]).unwrap(),
            Options {
                loads: DEFAULT_LOADS,
                browser_per_load: false
            }
        );
        assert_eq!(parse_args(&args(&["--loads", "20"])).unwrap().loads, 20);
        assert_eq!(parse_args(&args(&["--loads=3"])).unwrap().loads, 3);
        assert!(
            parse_args(&args(&["--browser-per-load"]))
                .unwrap()
                .browser_per_load
        );
        assert!(parse_args(&args(&["--loads", "0"])).is_err());
        assert!(parse_args(&args(&["--loads", "many"])).is_err());
        assert!(parse_args(&args(&["--fast"])).is_err());
    }
}
