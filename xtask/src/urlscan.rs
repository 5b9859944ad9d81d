//! The check that keeps `dist/` self-contained: no root-absolute reference to a file (it
//! would break a sub-path deploy) and no other origin (the page must work offline and
//! make no request elsewhere) in the HTML, JavaScript and CSS it ships. Comments, where
//! licences and documentation links live, are skipped, and so is a line that says in a
//! comment that its string is [`NOT_A_URL`] (a path in a virtual file system, say).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// URLs that name things rather than locate them: nothing is ever fetched from these.
const ALLOWED_ORIGINS: &[&str] = &[
    // XML namespaces (SVG and XLink in Chart.js).
    "http://www.w3.org/",
];

/// Written in a comment on a line whose rooted string is a path but not a URL.
pub const NOT_A_URL: &str = "not a URL";

/// Directories of `dist/` that are not scanned, with the reason.
pub const NOT_SCANNED: &[(&str, &str)] = &[(
    "vendor/pyodide/",
    "Pyodide's runtime is full of paths in its in-memory file system (\"/lib/python3…\") and \
     names its CDN only as a default that the page overrides with its own indexURL; the CSP \
     (connect-src 'self') and the browser tests' request log guard it instead",
)];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Html,
    Js,
    Css,
}

impl Kind {
    pub fn of(path: &Path) -> Option<Kind> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "html" | "htm" => Some(Kind::Html),
            "js" | "mjs" => Some(Kind::Js),
            "css" => Some(Kind::Css),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Relative to the scanned directory.
    pub file: PathBuf,
    pub line: usize,
    pub what: String,
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.what)
    }
}

/// Every finding in the HTML, JS and CSS files under `dir` (except [`NOT_SCANNED`]).
pub fn scan_dir(dir: &Path) -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries =
            fs::read_dir(&current).with_context(|| format!("listing {}", current.display()))?;
        for entry in entries {
            let path = entry?.path();
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
            let shown = relative.to_string_lossy().replace('\\', "/");
            if path.is_dir() {
                if !NOT_SCANNED
                    .iter()
                    .any(|(skip, _)| format!("{shown}/") == *skip)
                {
                    stack.push(path);
                }
                continue;
            }
            let Some(kind) = Kind::of(&path) else {
                continue;
            };
            let bytes = fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let text = String::from_utf8_lossy(&bytes);
            for (line, what) in scan_text(kind, &text) {
                findings.push(Finding {
                    file: relative.clone(),
                    line,
                    what,
                });
            }
        }
    }
    findings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    Ok(findings)
}

/// `(line, description)` for each absolute URL in `text`.
pub fn scan_text(kind: Kind, text: &str) -> Vec<(usize, String)> {
    let bytes = text.as_bytes();
    let (code, literals) = match kind {
        Kind::Js => strip_js(bytes),
        Kind::Css => (strip_block_comments(bytes, b"/*", b"*/"), Vec::new()),
        Kind::Html => (strip_block_comments(bytes, b"<!--", b"-->"), Vec::new()),
    };
    let mut findings = Vec::new();
    // Other origins, wherever they are outside comments.
    for start in find_all(&code, b"http://").chain(find_all(&code, b"https://")) {
        let url = url_at(&code, start);
        if !ALLOWED_ORIGINS
            .iter()
            .any(|allowed| url.starts_with(allowed))
        {
            findings.push((line_of(bytes, start), format!("another origin: {url}")));
        }
    }
    let mut rooted = |at: usize, value_start: usize| {
        if is_rooted(&code[value_start..]) {
            findings.push((
                line_of(bytes, at),
                format!("a root-absolute URL: {}", url_at(&code, value_start)),
            ));
        }
    };
    match kind {
        // String and template literals that start with `/x` or `//x`.
        Kind::Js => {
            for start in literals {
                rooted(start, start);
            }
        }
        // Quoted attribute values, `url(...)` and `@import "..."`.
        Kind::Html | Kind::Css => {
            for (index, pair) in code.windows(2).enumerate() {
                if (pair[0] == b'=' && matches!(pair[1], b'"' | b'\'')) && kind == Kind::Html {
                    rooted(index, index + 2);
                }
                if kind == Kind::Css && matches!(pair[1], b'"' | b'\'') && pair[0] != b'\\' {
                    rooted(index, index + 2);
                }
            }
            for start in find_all(&code, b"url(") {
                let mut value = start + 4;
                while value < code.len() && code[value].is_ascii_whitespace() {
                    value += 1;
                }
                if !matches!(code.get(value), Some(b'"' | b'\'')) {
                    rooted(start, value);
                }
            }
        }
    }
    let lines: Vec<&str> = text.lines().collect();
    findings.retain(|(line, _)| !lines.get(line - 1).is_some_and(|l| l.contains(NOT_A_URL)));
    findings.sort();
    findings.dedup();
    findings
}

/// Whether a URL value starting here is root-relative (`/x`) or protocol-relative (`//x`).
fn is_rooted(value: &[u8]) -> bool {
    let is_path_byte = |b: &u8| b.is_ascii_alphanumeric() || b"_.~%-".contains(b);
    match value {
        [b'/', b'/', next, ..] => next.is_ascii_alphanumeric(),
        [b'/', next, ..] => is_path_byte(next),
        _ => false,
    }
}

fn find_all<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(move |(_, window)| window.eq_ignore_ascii_case(needle))
        .map(|(index, _)| index)
}

fn url_at(code: &[u8], start: usize) -> String {
    let end = code[start..]
        .iter()
        .position(|b| b.is_ascii_whitespace() || b"\"'`()<>,;".contains(b))
        .map_or(code.len(), |len| start + len);
    let end = end.min(start + 80);
    String::from_utf8_lossy(&code[start..end]).into_owned()
}

fn line_of(text: &[u8], offset: usize) -> usize {
    1 + text[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// `text` with everything from `open` to `close` blanked (newlines kept, so offsets and
/// line numbers stay the same).
fn strip_block_comments(text: &[u8], open: &[u8], close: &[u8]) -> Vec<u8> {
    let mut out = text.to_vec();
    let mut i = 0;
    while i + open.len() <= text.len() {
        if &text[i..i + open.len()] == open {
            let end = text[i + open.len()..]
                .windows(close.len())
                .position(|w| w == close)
                .map_or(text.len(), |p| i + open.len() + p + close.len());
            blank(&mut out[i..end]);
            i = end;
        } else {
            i += 1;
        }
    }
    out
}

fn blank(bytes: &mut [u8]) {
    for byte in bytes {
        if *byte != b'\n' {
            *byte = b' ';
        }
    }
}

/// Words after which a `/` starts a regular expression rather than a division.
const REGEX_AFTER: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

/// JavaScript with its comments blanked, and the offset of each string and template
/// literal's first character (after the quote). A small lexer: strings, templates with
/// `${}` nesting, regular expression literals told from division by what precedes them.
fn strip_js(text: &[u8]) -> (Vec<u8>, Vec<usize>) {
    let mut out = text.to_vec();
    let mut literals = Vec::new();
    // What the last significant token was: b'a' for a word or number, b'"' for a literal,
    // otherwise the punctuation byte itself.
    let mut last = b'(';
    let mut last_word = String::new();
    let mut braces: usize = 0;
    // Brace depths at which an open template's `${` expression closes.
    let mut templates: Vec<usize> = Vec::new();
    let n = text.len();
    let mut i = 0;
    // Skips a template's text from `i` to its end or to a `${`.
    let template_text = |i: &mut usize, templates: &mut Vec<usize>, braces: usize| {
        while *i < n {
            match text[*i] {
                b'\\' => *i += 2,
                b'`' => {
                    *i += 1;
                    return;
                }
                b'$' if text.get(*i + 1) == Some(&b'{') => {
                    templates.push(braces);
                    *i += 2;
                    return;
                }
                _ => *i += 1,
            }
        }
    };
    while i < n {
        let c = text[i];
        match c {
            b'/' if text.get(i + 1) == Some(&b'/') => {
                let end = text[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(n, |p| i + p);
                blank(&mut out[i..end]);
                i = end;
            }
            b'/' if text.get(i + 1) == Some(&b'*') => {
                let end = text[i + 2..]
                    .windows(2)
                    .position(|w| w == b"*/")
                    .map_or(n, |p| i + 2 + p + 2);
                blank(&mut out[i..end]);
                i = end;
            }
            b'/' => {
                let regex = match last {
                    b'a' => REGEX_AFTER.contains(&last_word.as_str()),
                    b')' | b']' | b'"' => false,
                    _ => true,
                };
                i += 1;
                if regex {
                    let mut class = false;
                    while i < n && text[i] != b'\n' {
                        match text[i] {
                            b'\\' => i += 1,
                            b'[' => class = true,
                            b']' => class = false,
                            b'/' if !class => break,
                            _ => {}
                        }
                        i += 1;
                    }
                    i += 1;
                    while i < n && text[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    last = b'"';
                } else {
                    last = b'/';
                }
            }
            b'"' | b'\'' => {
                literals.push(i + 1);
                i += 1;
                while i < n && text[i] != c && text[i] != b'\n' {
                    if text[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                last = b'"';
            }
            b'`' => {
                literals.push(i + 1);
                i += 1;
                template_text(&mut i, &mut templates, braces);
                last = b'"';
            }
            b'{' => {
                braces += 1;
                last = c;
                i += 1;
            }
            b'}' => {
                i += 1;
                if templates.last() == Some(&braces) {
                    templates.pop();
                    template_text(&mut i, &mut templates, braces);
                    last = b'"';
                } else {
                    braces = braces.saturating_sub(1);
                    last = c;
                }
            }
            _ if c.is_ascii_whitespace() => i += 1,
            _ if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 => {
                let start = i;
                while i < n
                    && (text[i].is_ascii_alphanumeric()
                        || text[i] == b'_'
                        || text[i] == b'$'
                        || text[i] >= 0x80)
                {
                    i += 1;
                }
                last_word = String::from_utf8_lossy(&text[start..i]).into_owned();
                last = b'a';
            }
            _ => {
                last = c;
                i += 1;
            }
        }
    }
    (out, literals)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn whats(kind: Kind, text: &str) -> Vec<String> {
        scan_text(kind, text)
            .into_iter()
            .map(|(line, what)| format!("{line}: {what}"))
            .collect()
    }

    #[test]
    fn javascript_literals_and_origins_are_found_outside_comments() {
        let js = r#"/*! Licence: https://opensource.org/licenses/MIT */
import { a } from './a.js';
import b from "/abs/b.js";
const c = `/pkg/${name}.wasm`;
// see https://example.com/docs and "/not/this"
const ns = 'http://www.w3.org/2000/svg';
fetch('https://cdn.example.com/x.js');
const proto = "//cdn.example.com/y.js";
const parts = path.split('/'), slash = "/", glob = '/*';
const ratio = a / b / c; const re = /"\/abs"/g; const half = (x) / 2;
const nested = `${`/inner`}` + `a${ {b: '/braced'}.b }z`;
"#;
        assert_eq!(
            whats(Kind::Js, js),
            vec![
                "3: a root-absolute URL: /abs/b.js",
                "4: a root-absolute URL: /pkg/${name}.wasm",
                "7: another origin: https://cdn.example.com/x.js",
                "8: a root-absolute URL: //cdn.example.com/y.js",
                "11: a root-absolute URL: /braced",
                "11: a root-absolute URL: /inner",
            ]
        );
    }

    #[test]
    fn regex_literals_are_not_strings() {
        // A quote inside a regex must not open a string that swallows the rest.
        let js = "const q = /['\"]/; const after = '/found';\nreturn /\\//.test(x) ? '/also' : y;";
        assert_eq!(
            whats(Kind::Js, js),
            vec![
                "1: a root-absolute URL: /found",
                "2: a root-absolute URL: /also"
            ]
        );
        let marked =
            "const SITE = '/home/pyodide/x'; // not a URL: a folder in Pyodide's file system\n";
        assert_eq!(whats(Kind::Js, marked), Vec::<String>::new());
    }

    #[test]
    fn html_attributes_and_css_urls() {
        let html = r##"<!doctype html>
<!-- <script src="/commented.js"></script> https://example.com -->
<link rel="stylesheet" href="styles.css">
<script src="/app.js"></script>
<img src='https://example.com/a.png' alt="a/b">
<a href="#top">top</a><a href="./x.html">x</a>
"##;
        assert_eq!(
            whats(Kind::Html, html),
            vec![
                "4: a root-absolute URL: /app.js",
                "5: another origin: https://example.com/a.png",
            ]
        );
        let css = "/* url(/commented.png) https://x.org */\n.a { background: url(/bg.png); }\n\
                   .b { background: url( 'img/ok.png' ); }\n@import \"/theme.css\";\n\
                   .c { background: url(\"/quoted.png\"); }\n.d { mask: url(data:image/svg+xml,x); }\n";
        assert_eq!(
            whats(Kind::Css, css),
            vec![
                "2: a root-absolute URL: /bg.png",
                "4: a root-absolute URL: /theme.css",
                "5: a root-absolute URL: /quoted.png",
            ]
        );
    }

    #[test]
    fn a_tiny_site_is_scanned_file_by_file() {
        let dir = std::env::temp_dir().join(format!("xtask-urlscan-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("lib")).unwrap();
        fs::create_dir_all(dir.join("vendor/pyodide")).unwrap();
        fs::write(dir.join("index.html"), "<script src=\"app.js\"></script>\n").unwrap();
        fs::write(dir.join("app.js"), "import './lib/a.js';\n").unwrap();
        fs::write(dir.join("lib/a.js"), "\n\nnew Worker('/w.js');\n").unwrap();
        fs::write(dir.join("notes.txt"), "https://example.com\n").unwrap();
        fs::write(dir.join("vendor/pyodide/p.mjs"), "x('/lib/python3.12');\n").unwrap();
        let findings = scan_dir(&dir).unwrap();
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(
            findings[0].to_string(),
            "lib/a.js:3: a root-absolute URL: /w.js"
        );
        fs::write(dir.join("app.js"), "").unwrap();
        fs::write(dir.join("lib/a.js"), "").unwrap();
        assert_eq!(scan_dir(&dir).unwrap(), vec![]);
        fs::remove_dir_all(&dir).unwrap();
    }
}
