//! The `_headers` file that Netlify and Cloudflare Pages read from the root of a static
//! site: `cargo xtask dist` writes one, and the test servers honour it, so the headers a
//! deploy sends are the headers the browser tests saw.
//!
//! The format, as far as it is used here: a line that starts in the first column is a
//! path pattern (`/*`, an exact path, `*` for any run of characters, `:name` for one path
//! segment); the indented `Name: value` lines after it are the headers for the paths it
//! matches. `#` starts a comment line. Every matching rule applies, in file order; a
//! header named by several matching rules gets their values joined with `, ` (as
//! Cloudflare Pages does).

use anyhow::{bail, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub pattern: String,
    pub headers: Vec<(String, String)>,
}

pub fn parse(text: &str) -> Result<Vec<Rule>> {
    let mut rules: Vec<Rule> = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        if !line.starts_with([' ', '\t']) {
            if !trimmed.starts_with('/') {
                bail!(
                    "_headers line {number}: a path pattern must start with `/`, got `{trimmed}`"
                );
            }
            if trimmed.contains(char::is_whitespace) {
                bail!("_headers line {number}: a path pattern has no spaces, got `{trimmed}`");
            }
            if let Some(previous) = rules.last() {
                if previous.headers.is_empty() {
                    bail!(
                        "_headers line {number}: the path `{}` before it has no headers",
                        previous.pattern
                    );
                }
            }
            rules.push(Rule {
                pattern: trimmed.to_owned(),
                headers: Vec::new(),
            });
            continue;
        }
        let Some(rule) = rules.last_mut() else {
            bail!("_headers line {number}: a header before any path pattern");
        };
        let Some((name, value)) = trimmed.split_once(':') else {
            bail!("_headers line {number}: expected `Name: value`, got `{trimmed}`");
        };
        let (name, value) = (name.trim(), value.trim());
        if name.is_empty() || !name.bytes().all(is_token_byte) {
            bail!("_headers line {number}: `{name}` is not a header name");
        }
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b == b' ' || b == b'\t' || b.is_ascii_graphic())
        {
            bail!("_headers line {number}: the value of {name} must be non-empty printable ASCII");
        }
        rule.headers.push((name.to_owned(), value.to_owned()));
    }
    if let Some(last) = rules.last() {
        if last.headers.is_empty() {
            bail!("_headers: the path `{}` has no headers", last.pattern);
        }
    }
    Ok(rules)
}

/// RFC 9110 `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The file's text for `rules`, with `comment` lines first.
pub fn render(comment: &[&str], rules: &[Rule]) -> String {
    let mut text = String::new();
    for line in comment {
        text.push_str(&format!("# {line}\n"));
    }
    for rule in rules {
        text.push_str(&rule.pattern);
        text.push('\n');
        for (name, value) in &rule.headers {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    }
    text
}

/// The headers for a request to `path` (the URL path relative to the site root, with its
/// leading slash and without the query).
pub fn headers_for(rules: &[Rule], path: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for rule in rules.iter().filter(|rule| matches(&rule.pattern, path)) {
        for (name, value) in &rule.headers {
            match headers
                .iter_mut()
                .find(|(seen, _)| seen.eq_ignore_ascii_case(name))
            {
                Some((_, joined)) => {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                None => headers.push((name.clone(), value.clone())),
            }
        }
    }
    headers
}

/// Whether `pattern` matches `path`: `*` matches any run of characters (slashes too),
/// `:name` one non-empty path segment, everything else itself.
pub fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, path) = (pattern.as_bytes(), path.as_bytes());
    match_from(pattern, path)
}

fn match_from(pattern: &[u8], path: &[u8]) -> bool {
    match pattern.first() {
        None => path.is_empty(),
        Some(b'*') => (0..=path.len()).any(|skip| match_from(&pattern[1..], &path[skip..])),
        Some(b':') if pattern.len() > 1 && pattern[1].is_ascii_alphabetic() => {
            let name_end = pattern
                .iter()
                .position(|&b| b == b'/')
                .unwrap_or(pattern.len());
            let segment_end = path.iter().position(|&b| b == b'/').unwrap_or(path.len());
            segment_end > 0 && match_from(&pattern[name_end..], &path[segment_end..])
        }
        Some(&byte) => path.first() == Some(&byte) && match_from(&pattern[1..], &path[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
# Written by a test
/*
  Cross-Origin-Opener-Policy: same-origin
  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'

/embed.js
\tAccess-Control-Allow-Origin: *
  X-Test: a:b
/lessons/:id/index.html
  X-Lesson: yes
/embed.js
  X-Test: second
";

    #[test]
    fn parses_rules_in_order() {
        let rules = parse(SAMPLE).unwrap();
        assert_eq!(rules.len(), 4);
        assert_eq!(rules[0].pattern, "/*");
        assert_eq!(
            rules[0].headers,
            vec![
                (
                    "Cross-Origin-Opener-Policy".to_owned(),
                    "same-origin".to_owned()
                ),
                (
                    "Content-Security-Policy".to_owned(),
                    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'".to_owned()
                ),
            ]
        );
        // Only the first colon separates the name.
        assert_eq!(rules[1].headers[1], ("X-Test".to_owned(), "a:b".to_owned()));
    }

    #[test]
    fn render_and_parse_round_trip() {
        let rules = parse(SAMPLE).unwrap();
        let text = render(&["a comment"], &rules);
        assert!(text.starts_with("# a comment\n/*\n  Cross-Origin-Opener-Policy: same-origin\n"));
        assert_eq!(parse(&text).unwrap(), rules);
    }

    #[test]
    fn refuses_malformed_files() {
        for (text, why) in [
            ("  X-A: b\n", "header before a path"),
            ("/*\n  no colon here\n", "no colon"),
            ("/*\n  Bad Name: x\n", "space in the name"),
            ("/*\n  X-A:\n", "empty value"),
            ("/*\n  X-A: caf\u{e9}\n", "non-ASCII value"),
            ("/a\n/b\n  X-A: b\n", "a path without headers"),
            ("/a\n", "a trailing path without headers"),
            ("https://example.com/*\n  X-A: b\n", "a full URL"),
            ("/a /b\n  X-A: b\n", "space in the path"),
        ] {
            assert!(parse(text).is_err(), "{why}: {text:?}");
        }
        assert_eq!(parse("# only a comment\n\n").unwrap(), vec![]);
    }

    #[test]
    fn patterns_match_like_the_hosts() {
        assert!(matches("/*", "/"));
        assert!(matches("/*", "/index.html"));
        assert!(matches("/*", "/pkg/threaded/a.wasm"));
        assert!(matches("/embed.js", "/embed.js"));
        assert!(!matches("/embed.js", "/embed.jsx"));
        assert!(!matches("/embed.js", "/sub/embed.js"));
        assert!(matches("/pkg/*", "/pkg/"));
        assert!(matches("/pkg/*", "/pkg/plain/x.js"));
        assert!(!matches("/pkg/*", "/vendor/x.js"));
        assert!(matches("/*.wasm", "/pkg/plain/x.wasm"));
        assert!(!matches("/*.wasm", "/pkg/plain/x.js"));
        assert!(matches(
            "/lessons/:id/index.html",
            "/lessons/chunking/index.html"
        ));
        assert!(!matches(
            "/lessons/:id/index.html",
            "/lessons/a/b/index.html"
        ));
        assert!(!matches("/lessons/:id/index.html", "/lessons//index.html"));
    }

    #[test]
    fn every_matching_rule_applies_and_repeats_are_joined() {
        let rules = parse(SAMPLE).unwrap();
        let names = |path| -> Vec<String> {
            headers_for(&rules, path)
                .into_iter()
                .map(|(name, _)| name)
                .collect()
        };
        assert_eq!(
            names("/"),
            ["Cross-Origin-Opener-Policy", "Content-Security-Policy"]
        );
        let embed = headers_for(&rules, "/embed.js");
        assert_eq!(embed.len(), 4);
        assert_eq!(
            embed[2],
            ("Access-Control-Allow-Origin".to_owned(), "*".to_owned())
        );
        assert_eq!(embed[3], ("X-Test".to_owned(), "a:b, second".to_owned()));
        assert_eq!(names("/lessons/x/index.html").last().unwrap(), "X-Lesson");
    }
}
