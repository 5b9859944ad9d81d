//! `cargo xtask dist [--out DIR]`: the playground as plain static files for any host.
//!
//! Everything the page loads from `www/` (both wasm builds and the vendored libraries
//! included, type declarations left out), plus what a static host needs: a `_headers` file
//! for hosts that read one (Netlify, Cloudflare Pages), `.nojekyll` for GitHub Pages, and
//! the `coi-serviceworker` fallback that makes the page cross-origin isolated on hosts that
//! cannot send headers at all. Every URL in it must be relative, so it works offline and
//! from any sub-path: the page's CSP (`'self'` only) and the browser tests, which serve it
//! from a sub-path and log every request, are what hold it to that.

use std::cell::Cell;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{anyhow, bail, Context, Result};
use lol_html::html_content::ContentType;
use lol_html::{doc_comments, element, rewrite_str, RewriteStrSettings};

use crate::build;
use crate::headers::{self, Rule};

/// The npm package that supplies the service worker, pinned in package.json.
const COI_PACKAGE: &str = "coi-serviceworker";
const COI_VERSION: &str = "0.1.7";
/// Readable rather than minified: a service worker that sees every request of the site
/// should be easy to audit, and the difference is 2 KB.
const COI_SOURCES: &[&str] = &["coi-serviceworker.js", "coi-serviceworker.min.js"];

/// Where `www/index.html` asks for the fallback's two scripts: the comment
/// `<!-- isolation-fallback -->`, whose text this is.
const MARKER_TEXT: &str = "isolation-fallback";

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
/// dist there), and answers the header rules it wrote into `_headers`, for a server that
/// stands in for the host.
pub fn write(root: &Path, out: &Path) -> Result<Vec<Rule>> {
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
    let csp = match csp_of(&index)? {
        Some(csp) => csp,
        None => {
            step!("dist: www/index.html has no CSP meta tag; _headers gets the default policy");
            DEFAULT_CSP.to_owned()
        }
    };
    let rules = headers_rules(&csp);
    headers::check(&rules)?;
    write_file(&out.join("_headers"), &headers_text(&rules))?;
    write_file(&out.join(".nojekyll"), "")?;
    write_file(&out.join("README.txt"), README)?;

    step!("dist: {copied} files from www/ plus _headers, .nojekyll, the service-worker fallback");
    Ok(rules)
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

/// `index.html` with the fallback's scripts in place of the marker, or first in `<head>`
/// when there is no marker.
fn insert_fallback(html: &str) -> Result<String> {
    // The head's start tag comes before any marker inside it, so whether there is one
    // must be known before the rewrite starts.
    let mut marked = false;
    rewrite_str(
        html,
        RewriteStrSettings {
            document_content_handlers: vec![doc_comments!(|comment| {
                marked |= comment.text().trim() == MARKER_TEXT;
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )?;
    let placed = Cell::new(false);
    let edited = rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("head", |head| {
                if !marked && !placed.replace(true) {
                    head.prepend(FALLBACK_SCRIPTS, ContentType::Html);
                }
                Ok(())
            })],
            document_content_handlers: vec![doc_comments!(|comment| {
                if marked && comment.text().trim() == MARKER_TEXT && !placed.replace(true) {
                    comment.replace(FALLBACK_SCRIPTS, ContentType::Html);
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )?;
    if !placed.get() {
        bail!("www/index.html has no <head> for the service-worker scripts");
    }
    Ok(edited)
}

/// The `content` of the first `<meta http-equiv="Content-Security-Policy" content="…">`,
/// its whitespace collapsed. lol_html hands attribute values over as written, so a
/// character reference in the policy is refused rather than copied undecoded into
/// `_headers` (a CSP never needs one).
fn csp_of(html: &str) -> Result<Option<String>> {
    let mut csp = None;
    rewrite_str(
        html,
        RewriteStrSettings {
            element_content_handlers: vec![element!("meta[http-equiv]", |meta| {
                let is_csp = meta.get_attribute("http-equiv").is_some_and(|value| {
                    value.trim().eq_ignore_ascii_case("content-security-policy")
                });
                if is_csp && csp.is_none() {
                    csp = Some(meta.get_attribute("content").unwrap_or_default());
                }
                Ok(())
            })],
            ..RewriteStrSettings::new()
        },
    )?;
    let Some(csp) = csp else { return Ok(None) };
    if csp.contains('&') {
        bail!("the CSP meta tag in www/index.html has a character reference: write `{csp}` out plainly");
    }
    Ok(Some(csp.split_whitespace().collect::<Vec<_>>().join(" ")))
}

/// The `_headers` rules. CORP is `cross-origin`, not `same-origin`: course pages on other
/// origins load `embed.js` with a plain `<script>`, and a cross-origin-isolated course
/// page may only frame the playground if it says so. Every file here is public, so the
/// policy protects nothing that `same-origin` would.
fn headers_rules(csp: &str) -> Vec<Rule> {
    vec![Rule {
        under: "/".to_owned(),
        headers: vec![
            ("Cross-Origin-Opener-Policy", "same-origin".to_owned()),
            ("Cross-Origin-Embedder-Policy", "require-corp".to_owned()),
            // Chromium 137+: isolated inside a course page's iframe too (docs/embedding.md).
            (
                "Document-Isolation-Policy",
                "isolate-and-require-corp".to_owned(),
            ),
            ("Cross-Origin-Resource-Policy", "cross-origin".to_owned()),
            ("Content-Security-Policy", csp.to_owned()),
        ],
    }]
}

fn headers_text(rules: &[Rule]) -> String {
    headers::render(
        &[
            "Response headers for Netlify and Cloudflare Pages, written by `cargo xtask dist`.",
            "COOP + COEP make the page cross-origin isolated, so threads can share memory.",
            "On hosts without headers, coi-serviceworker.js adds COOP and COEP instead.",
        ],
        rules,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(args: &[&str]) -> Result<Options> {
        crate::parse_options(args)
    }

    #[test]
    fn options() {
        assert_eq!(parse_args(&[]).unwrap(), Options { out: None });
        assert_eq!(
            parse_args(&["--out", "site"]).unwrap().out,
            Some(PathBuf::from("site"))
        );
        assert_eq!(
            parse_args(&["--out=/tmp/x"]).unwrap().out,
            Some(PathBuf::from("/tmp/x"))
        );
        assert!(parse_args(&["--out"]).is_err());
        assert!(parse_args(&["--out="]).is_err());
        assert!(parse_args(&["--release"]).is_err());
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
        // Only the first marker is replaced, and only a comment is a marker.
        let twice =
            "<head><!--isolation-fallback--><p>isolation-fallback</p><!-- isolation-fallback -->";
        assert_eq!(
            insert_fallback(twice).unwrap(),
            format!("<head>{FALLBACK_SCRIPTS}<p>isolation-fallback</p><!-- isolation-fallback -->")
        );
    }

    #[test]
    fn the_csp_comes_from_the_meta_tag() {
        let html = r#"<head><meta charset="utf-8">
  <meta name="viewport" content="width=device-width">
  <meta content="default-src 'self';
      script-src 'self' 'wasm-unsafe-eval'" HTTP-EQUIV='Content-Security-Policy'>
  <meta http-equiv="content-security-policy" content="default-src *">"#;
        assert_eq!(
            csp_of(html).unwrap().as_deref(),
            Some("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'")
        );
        let entities =
            "<meta http-equiv=\"content-security-policy\" content=\"default-src &#39;self&#39;\">";
        assert!(csp_of(entities).is_err());
        assert_eq!(
            csp_of("<meta charset=utf-8><title>x</title>").unwrap(),
            None
        );
        // The real page has one.
        let index = include_str!("../../www/index.html");
        let csp = csp_of(index)
            .unwrap()
            .expect("www/index.html has a CSP meta tag");
        assert!(csp.contains("default-src 'self'"), "{csp}");
    }

    #[test]
    fn the_header_rules_isolate_and_carry_the_csp() {
        let rules = headers_rules("default-src 'self'");
        headers::check(&rules).unwrap();
        let headers = headers::for_path(&rules, "/pkg/threaded/parallel_playground_bg.wasm");
        let get = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| *n == name)
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
        assert_eq!(headers::for_path(&rules, "/").len(), 5);
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
        let rules = write(&root, &out).unwrap();
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
            headers.contains("/*\n  Cross-Origin-Opener-Policy: same-origin\n")
                && headers.contains("  Content-Security-Policy: default-src 'self'\n"),
            "{headers}"
        );
        // The rules a server is handed are the ones in the file.
        assert_eq!(headers, headers_text(&rules));
        assert_eq!(rules, headers_rules("default-src 'self'"));

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
