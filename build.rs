//! Refuses a threaded wasm build whose memory would not be shared.
//!
//! Since late-2025 nightlies, `+atomics` alone links an unshared memory, and wasm-bindgen
//! then silently emits glue without threads: the page would load and every threaded run
//! would fail at run time. Catching the missing link arguments here turns that into a
//! build error that says what to pass.

use std::env;

const REQUIRED_LINK_ARGS: [&str; 7] = [
    "--shared-memory",
    "--import-memory",
    "--max-memory=",
    "--export=__wasm_init_tls",
    "--export=__tls_size",
    "--export=__tls_align",
    "--export=__tls_base",
];

fn main() {
    println!("cargo:rerun-if-env-changed=CARGO_ENCODED_RUSTFLAGS");
    let threaded = env::var_os("CARGO_FEATURE_THREADS").is_some();
    let wasm = env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32");
    if !(threaded && wasm) {
        return;
    }
    let flags = env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default();
    let missing: Vec<&str> = REQUIRED_LINK_ARGS.iter().copied().filter(|arg| !flags.contains(arg)).collect();
    if !missing.is_empty() {
        panic!(
            "the threaded build needs shared wasm memory, but these link arguments are missing: {}. \
             Build it with `cargo xtask build`, which passes them with -C link-arg.",
            missing.join(" ")
        );
    }
}
