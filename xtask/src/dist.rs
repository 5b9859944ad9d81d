//! `cargo xtask dist [--out DIR]`: the playground as plain static files for any host.
//!
//! Everything the page loads from `www/` (both wasm builds and the vendored libraries
//! included, type declarations left out), plus what a static host needs: a `_headers` file
//! for hosts that read one (Netlify, Cloudflare Pages), `.nojekyll` for GitHub Pages, and
//! the `coi-serviceworker` fallback that makes the page cross-origin isolated on hosts that
//! cannot send headers at all. Every URL in it must be relative, so it works offline and
//! from any sub-path: the page's CSP (`'self'` only) and the browser tests, which serve it
//! from a sub-path and log every request, are what hold it to that.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};

use crate::build;
use crate::headers_file::{self, Rule};

/// The npm package that supplies the service worker, pinned in package.json.
const COI_PACKAGE: &str = "coi-serviceworker";
const COI_VERSION: &str = "0.1.7";
/// Readable rather than minified: a service worker that sees every request of the site
/// should be easy to audit, and the difference is 2 KB.
const COI_SOURCES: &[&str] = &["coi-serviceworker.js", "coi-serviceworker.min.js"];

/// Where `www/index.html` asks for the fallback's two scripts.
const MARKER: &str = "<!-- isolation-fallback -->";
const FALLBACK_SCRIPTS: &str =
    "<script src=\"coi-config.js\"></script><script src=\"coi-serviceworker.js\"></script>";

/// Used when `www/index.html` has no CSP meta tag.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
    worker-src 'self' blob:; style-src 'self'; img-src 'self' blob:; connect-src 'self'; \
    object-src 'none'; base-uri 'self'; form-action 'self'";

/// Written as `coi-config.js`: read by coi-serviceworker before it decides anything.
const COI_CONFIG: &str = r#"// Settings for coi-serviceworker.js (loaded next), written by `cargo xtask dist`.
// On a host that cannot send the COOP/COEP headers, the service worker adds them and the
// page reloads once, cross-origin isolated. An embedded playground (embed=1, or any page
// inside a frame) never registers it: a frame cannot be isolated when the page around it
// is not, so the reload would only cost the learner time.
(function () {
  var embed = new URLSearchParams(window.location.search).get('embed');
  var embedded = embed !== null && ['', '1', 'true', 'yes'].indexOf(embed.trim()) !== -1;
  var framed = window.self !== window.top;
  window.coi = {
    shouldRegister: function () { return !embedded && !framed; },
    shouldDeregister: function () { return false; },
    // Every file is same-origin, so require-corp works in every browser (Safari has no
    // credentialless).
    coepCredentialless: function () { return false; },
    quiet: true,
  };
})();
"#;

const README: &str = "\
Parallel playground: static files, written by `cargo xtask dist`.

Copy this whole folder to any static host, at the site's root or under a sub-path
(https://example.org/course/playground/): every URL in it is relative. The page needs no
server code and makes no request to another origin.

Headers. For every engine (threads need SharedArrayBuffer) the page must be cross-origin
isolated, which takes two response headers on every file:
  Cross-Origin-Opener-Policy: same-origin
  Cross-Origin-Embedder-Policy: require-corp
and, so that Chromium isolates it inside a course page's iframe too, a third:
  Document-Isolation-Policy: isolate-and-require-corp
- Netlify and Cloudflare Pages read them from _headers (already here) when this folder is
  the site's root; when it is a sub-folder, copy the rules into the site's own _headers
  with the sub-path in front (/course/playground/*).
- nginx: add_header Cross-Origin-Opener-Policy same-origin always;
         add_header Cross-Origin-Embedder-Policy require-corp always;
         add_header Document-Isolation-Policy isolate-and-require-corp always;
  Apache: Header always set Cross-Origin-Opener-Policy \"same-origin\"
          Header always set Cross-Origin-Embedder-Policy \"require-corp\"
          Header always set Document-Isolation-Policy \"isolate-and-require-corp\"
  (and the Cross-Origin-Resource-Policy and Content-Security-Policy lines from _headers).
- GitHub Pages and other hosts that cannot set headers: nothing to do. coi-serviceworker.js
  adds the headers from a service worker and the page reloads once on its first visit
  (HTTPS or localhost only). .nojekyll stops GitHub Pages from dropping files whose names
  start with an underscore.
The .wasm files must be served as application/wasm (every host above does).

Embedding in course pages: <script src=\"https://YOUR-HOST/PATH/embed.js\"></script> then
<parallel-playground lesson=\"chunking\"></parallel-playground>. See docs/embedding.md in the
playground's repository for every attribute, the raw iframe and its resize snippet.
";

/// `cargo xtask dist`'s options.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// Where to write the site (default: dist/ in the repository).
    #[arg(long, value_name = "DIR", value_parser = out_arg)]
    out: Option<PathBuf>,
}

fn out_arg(text: &str) -> Result<PathBuf, String> {
    if text.is_empty() {
        return Err("--out needs a directory".to_owned());
    }
    Ok(PathBuf::from(text))
}

pub fn cli(root: &Path, options: Options) -> Result<ExitCode> {
    let out = match options.out {
        Some(out) if out.is_absolute() => out,
        Some(out) => std::env::current_dir()?.join(out),
        None => root.join("dist"),
    };
    build::build_all(root)?;
    write(root, &out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the static site into `out` from the already-built `www/` (replacing an earlier
/// dist there), then checks it.
pub fn write(root: &Path, out: &Path) -> Result<()> {
    let www = root.join("www");
    for flavor in ["plain", "threaded"] {
        let wasm = www
            .join("pkg")
            .join(flavor)
            .join("parallel_playground_bg.wasm");
        if !wasm.is_file() {
            bail!("{} is missing: run `cargo xtask build`", wasm.display());
        }
    }
    if !www.join("embed.js").is_file() {
        bail!("www/embed.js is missing");
    }
    prepare_out(&www, out)?;
    step!("dist: copying www/ into {}", out.display());
    let copied = copy_tree(&www, out)?;

    let package = root.join("node_modules").join(COI_PACKAGE);
    check_coi_version(&package)?;
    let source = COI_SOURCES
        .iter()
        .map(|name| package.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| anyhow!("{} has no service worker: run `npm ci`", package.display()))?;
    copy(&source, &out.join("coi-serviceworker.js"))?;
    copy(
        &package.join("LICENSE"),
        &out.join("coi-serviceworker.LICENSE.txt"),
    )?;
    write_file(&out.join("coi-config.js"), COI_CONFIG)?;

    let index = fs::read_to_string(www.join("index.html")).context("reading www/index.html")?;
    write_file(&out.join("index.html"), &insert_fallback(&index)?)?;
    let csp = match csp_of(&index) {
        Some(csp) => csp,
        None => {
            step!("dist: www/index.html has no CSP meta tag; _headers gets the default policy");
            DEFAULT_CSP.to_owned()
        }
    };
    write_file(&out.join("_headers"), &headers_text(&csp))?;
    write_file(&out.join(".nojekyll"), "")?;
    write_file(&out.join("README.txt"), README)?;

    step!("dist: {copied} files from www/ plus _headers, .nojekyll, the service-worker fallback");
    Ok(())
}

/// Empties `out` if it holds an earlier dist, refusing anything else that is not empty and
/// any place that overlaps `www/`.
fn prepare_out(www: &Path, out: &Path) -> Result<()> {
    let www = fs::canonicalize(www).with_context(|| format!("resolving {}", www.display()))?;
    if out.exists() {
        let resolved = fs::canonicalize(out)?;
        if resolved.starts_with(&www) || www.starts_with(&resolved) {
            bail!("{} overlaps www/: choose another --out", out.display());
        }
        let mut entries = fs::read_dir(out)?;
        let empty = entries.next().is_none();
        let earlier = out.join("_headers").is_file() && out.join("coi-config.js").is_file();
        if !empty && !earlier {
            bail!(
                "{} is not empty and is not an earlier dist: refusing to replace it",
                out.display()
            );
        }
        fs::remove_dir_all(out).with_context(|| format!("removing {}", out.display()))?;
    } else if let Some(parent) = out.parent().and_then(|p| fs::canonicalize(p).ok()) {
        if parent.starts_with(&www) {
            bail!("{} is inside www/: choose another --out", out.display());
        }
    }
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))
}

/// Files a page never loads: type declarations, source maps, dotfiles, editor leftovers,
/// Python's bytecode caches.
fn is_dev_only(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with(".d.ts")
        || name.ends_with(".map")
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".orig")
        || name == "__pycache__"
        || name == "package.json"
        || name == "README.md"
}

/// Copies `from` into `to` without [`is_dev_only`] files, answering how many were copied.
fn copy_tree(from: &Path, to: &Path) -> Result<usize> {
    let mut count = 0;
    let mut entries: Vec<_> = fs::read_dir(from)
        .with_context(|| format!("listing {}", from.display()))?
        .collect::<std::io::Result<_>>()?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        let Some(name_str) = name.to_str() else {
            bail!("{} has a name that is not UTF-8", entry.path().display());
        };
        if is_dev_only(name_str) {
            continue;
        }
        let (source, dest) = (entry.path(), to.join(&name));
        if source.is_dir() {
            fs::create_dir_all(&dest).with_context(|| format!("creating {}", dest.display()))?;
            count += copy_tree(&source, &dest)?;
        } else if source.is_file() {
            copy(&source, &dest)?;
            count += 1;
        }
    }
    Ok(count)
}

fn copy(from: &Path, to: &Path) -> Result<()> {
    fs::copy(from, to)
        .map(|_| ())
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

fn check_coi_version(package: &Path) -> Result<()> {
    let manifest = package.join("package.json");
    let text = fs::read_to_string(&manifest)
        .with_context(|| format!("reading {}: run `npm ci`", manifest.display()))?;
    match manifest_version(&text) {
        Some(COI_VERSION) => Ok(()),
        other => bail!(
            "{COI_PACKAGE} is pinned to {COI_VERSION} but node_modules has {other:?}: run `npm ci`"
        ),
    }
}

/// The top-level `"version"` of a package.json (the first such key: npm writes it before
/// any nested object). Plain text search, so the check needs no JSON parser.
fn manifest_version(text: &str) -> Option<&str> {
    let after_key = &text[text.find("\"version\"")? + "\"version\"".len()..];
    let value = after_key
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    value.split('"').next()
}

/// `index.html` with the fallback's scripts at the marker, or first in `<head>`.
fn insert_fallback(html: &str) -> Result<String> {
    if html.contains(MARKER) {
        return Ok(html.replacen(MARKER, FALLBACK_SCRIPTS, 1));
    }
    let lower = html.to_ascii_lowercase();
    let head = find_tag(&lower, "head")
        .ok_or_else(|| anyhow!("www/index.html has no <head> for the service-worker scripts"))?;
    let end = head + lower[head..].find('>').expect("find_tag saw the tag's end") + 1;
    Ok(format!(
        "{}{FALLBACK_SCRIPTS}{}",
        &html[..end],
        &html[end..]
    ))
}

/// The offset of the first `<name>` or `<name attr…>` tag in lower-cased `html`.
fn find_tag(html: &str, name: &str) -> Option<usize> {
    let open = format!("<{name}");
    let mut from = 0;
    while let Some(found) = html[from..].find(&open) {
        let at = from + found;
        let after = html[at + open.len()..].chars().next();
        if matches!(after, Some('>' | ' ' | '\t' | '\n' | '\r')) && html[at..].contains('>') {
            return Some(at);
        }
        from = at + open.len();
    }
    None
}

/// The `content` of `<meta http-equiv="Content-Security-Policy" content="…">`.
fn csp_of(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find_tag(&lower[from..], "meta").map(|at| from + at) {
        let end = at + html[at..].find('>')?;
        let attributes = parse_attributes(&html[at + "<meta".len()..end]);
        let is_csp = attributes.iter().any(|(name, value)| {
            name == "http-equiv" && value.eq_ignore_ascii_case("content-security-policy")
        });
        if is_csp {
            return attributes
                .into_iter()
                .find(|(name, _)| name == "content")
                .map(|(_, value)| value.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        from = end;
    }
    None
}

/// `name="value"`, `name='value'`, `name=value` and bare names, names lower-cased and
/// the few entities a CSP could hold decoded.
fn parse_attributes(text: &str) -> Vec<(String, String)> {
    let mut attributes = Vec::new();
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let close = after[1..].find(quote).map_or(after.len(), |p| p + 1);
                    (&after[1..close], after.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = decode_entities(raw);
            rest = remaining;
        }
        if !name.is_empty() {
            attributes.push((name, value));
        }
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
    }
    attributes
}

fn decode_entities(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The `_headers` rules. CORP is `cross-origin`, not `same-origin`: course pages on other
/// origins load `embed.js` with a plain `<script>`, and a cross-origin-isolated course
/// page may only frame the playground if it says so. Every file here is public, so the
/// policy protects nothing that `same-origin` would.
fn headers_rules(csp: &str) -> Vec<Rule> {
    let pairs = [
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Embedder-Policy", "require-corp"),
        // Chromium 137+: isolated inside a course page's iframe too (docs/embedding.md).
        ("Document-Isolation-Policy", "isolate-and-require-corp"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
        ("Content-Security-Policy", csp),
    ];
    vec![Rule {
        pattern: "/*".to_owned(),
        headers: pairs
            .iter()
            .map(|(name, value)| (name.to_string(), value.to_string()))
            .collect(),
    }]
}

fn headers_text(csp: &str) -> String {
    headers_file::render(
        &[
            "Response headers for Netlify and Cloudflare Pages, written by `cargo xtask dist`.",
            "COOP + COEP make the page cross-origin isolated, so threads can share memory.",
            "On hosts without headers, coi-serviceworker.js adds COOP and COEP instead.",
        ],
        &headers_rules(csp),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| arg.to_string()).collect()
    }

    fn parse_args(args: &[String]) -> Result<Options> {
        crate::parse_options(args)
    }

    #[test]
    fn options() {
        assert_eq!(parse_args(&[]).unwrap(), Options { out: None });
        assert_eq!(
            parse_args(&args(&["--out", "site"])).unwrap().out,
            Some(PathBuf::from("site"))
        );
        assert_eq!(
            parse_args(&args(&["--out=/tmp/x"])).unwrap().out,
            Some(PathBuf::from("/tmp/x"))
        );
        assert!(parse_args(&args(&["--out"])).is_err());
        assert!(parse_args(&args(&["--out="])).is_err());
        assert!(parse_args(&args(&["--release"])).is_err());
    }

    #[test]
    fn the_fallback_replaces_the_marker_or_opens_the_head() {
        let marked = "<html><head>\n  <!-- isolation-fallback -->\n  <meta charset=\"utf-8\">";
        assert_eq!(
            insert_fallback(marked).unwrap(),
            format!("<html><head>\n  {FALLBACK_SCRIPTS}\n  <meta charset=\"utf-8\">")
        );
        let plain = "<!doctype html><HTML><Head lang=\"en\"><title>x</title></head>";
        assert_eq!(
            insert_fallback(plain).unwrap(),
            format!(
                "<!doctype html><HTML><Head lang=\"en\">{FALLBACK_SCRIPTS}<title>x</title></head>"
            )
        );
        // <header> is not <head>.
        assert!(insert_fallback("<body><header>x</header></body>").is_err());
    }

    #[test]
    fn the_csp_comes_from_the_meta_tag() {
        let html = r#"<head><meta charset="utf-8">
  <meta name="viewport" content="width=device-width">
  <meta content="default-src 'self';
      script-src 'self' 'wasm-unsafe-eval'" HTTP-EQUIV='Content-Security-Policy'>"#;
        assert_eq!(
            csp_of(html).as_deref(),
            Some("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
        );
        let entities =
            "<meta http-equiv=\"content-security-policy\" content=\"default-src &#39;self&#39;\">";
        assert_eq!(csp_of(entities).as_deref(), Some("default-src 'self'"));
        assert_eq!(csp_of("<meta charset=utf-8><title>x</title>"), None);
        // The real page has one.
        let index = include_str!("../../www/index.html");
        let csp = csp_of(index).expect("www/index.html has a CSP meta tag");
        assert!(csp.contains("default-src 'self'"), "{csp}");
    }

    #[test]
    fn the_headers_file_isolates_and_carries_the_csp() {
        let text = headers_text("default-src 'self'");
        let rules = headers_file::parse(&text).unwrap();
        let headers =
            headers_file::headers_for(&rules, "/pkg/threaded/parallel_playground_bg.wasm");
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(get("Cross-Origin-Opener-Policy"), Some("same-origin"));
        assert_eq!(get("Cross-Origin-Embedder-Policy"), Some("require-corp"));
        assert_eq!(
            get("Document-Isolation-Policy"),
            Some("isolate-and-require-corp")
        );
        assert_eq!(get("Cross-Origin-Resource-Policy"), Some("cross-origin"));
        assert_eq!(get("Content-Security-Policy"), Some("default-src 'self'"));
        assert_eq!(headers_file::headers_for(&rules, "/").len(), 5);
    }

    #[test]
    fn the_package_version_is_read() {
        let manifest =
            "{\n  \"name\": \"coi-serviceworker\",\n  \"version\" : \"0.1.7\",\n  \"x\": {}\n}";
        assert_eq!(manifest_version(manifest), Some("0.1.7"));
        assert_eq!(manifest_version("{\"name\": \"x\"}"), None);
        assert_eq!(manifest_version("{\"version\": 7}"), None);
    }

    #[test]
    fn dev_only_files_stay_behind() {
        for name in [
            "parallel_playground.d.ts",
            "parallel_playground_bg.wasm.d.ts",
            ".gitignore",
            "app.js.map",
            "__pycache__",
            "package.json",
        ] {
            assert!(is_dev_only(name), "{name}");
        }
        for name in [
            "parallel_playground.js",
            "parallel_playground_bg.wasm",
            "__init__.py",
            "embed.js",
        ] {
            assert!(!is_dev_only(name), "{name}");
        }
    }

    #[test]
    fn writes_a_checked_site_from_a_fixture() {
        let base = std::env::temp_dir().join(format!("xtask-dist-test-{}", std::process::id()));
        let _ = fs::remove_dir_all(&base);
        let root = base.join("repo");
        let www = root.join("www");
        for flavor in ["plain", "threaded"] {
            let pkg = www.join("pkg").join(flavor);
            fs::create_dir_all(&pkg).unwrap();
            fs::write(pkg.join("parallel_playground_bg.wasm"), b"\0asm").unwrap();
            fs::write(pkg.join("parallel_playground.js"), "export default 1;\n").unwrap();
            fs::write(pkg.join("parallel_playground.d.ts"), "export {};\n").unwrap();
        }
        fs::write(
            www.join("index.html"),
            "<html><head>\n<!-- isolation-fallback -->\n<meta http-equiv=\"Content-Security-Policy\" \
             content=\"default-src 'self'\">\n<script type=\"module\" src=\"app.js\"></script></head></html>\n",
        )
        .unwrap();
        fs::write(
            www.join("app.js"),
            "// https://example.com in a comment\nimport './pkg/plain/parallel_playground.js';\n",
        )
        .unwrap();
        fs::write(
            www.join("embed.js"),
            "customElements.define('x-y', class extends HTMLElement {});\n",
        )
        .unwrap();
        let coi = root.join("node_modules").join(COI_PACKAGE);
        fs::create_dir_all(&coi).unwrap();
        fs::write(
            coi.join("package.json"),
            r#"{"name":"coi-serviceworker","version":"0.1.7"}"#,
        )
        .unwrap();
        fs::write(coi.join("coi-serviceworker.js"), "/*! coi */ self;\n").unwrap();
        fs::write(coi.join("LICENSE"), "MIT\n").unwrap();

        let out = base.join("dist");
        write(&root, &out).unwrap();
        for file in [
            "index.html",
            "app.js",
            "embed.js",
            "pkg/plain/parallel_playground_bg.wasm",
            "pkg/threaded/parallel_playground.js",
            "coi-serviceworker.js",
            "coi-serviceworker.LICENSE.txt",
            "coi-config.js",
            "_headers",
            ".nojekyll",
            "README.txt",
        ] {
            assert!(out.join(file).is_file(), "{file}");
        }
        assert!(!out.join("pkg/plain/parallel_playground.d.ts").exists());
        let index = fs::read_to_string(out.join("index.html")).unwrap();
        assert!(
            index.contains(&format!("<head>\n{FALLBACK_SCRIPTS}\n<meta")),
            "{index}"
        );
        let headers = fs::read_to_string(out.join("_headers")).unwrap();
        assert!(
            headers.contains("  Content-Security-Policy: default-src 'self'\n"),
            "{headers}"
        );

        // Written again over itself: fine. Over anything else: refused.
        write(&root, &out).unwrap();
        let other = base.join("other");
        fs::create_dir_all(&other).unwrap();
        fs::write(other.join("keep.txt"), "mine").unwrap();
        assert!(write(&root, &other).is_err());
        assert_eq!(fs::read_to_string(other.join("keep.txt")).unwrap(), "mine");
        assert!(write(&root, &www.join("dist")).is_err());

        // A wrong version of the service worker package is refused.
        fs::write(coi.join("package.json"), r#"{"version":"0.1.6"}"#).unwrap();
        assert!(write(&root, &out).is_err());
        fs::remove_dir_all(&base).unwrap();
    }
}
