//! The static deploy's response headers as data: one list of rules that `cargo xtask
//! dist` renders into the `_headers` file Netlify and Cloudflare Pages read, and that the
//! servers standing in for such a host (`serve --dist`, `cargo xtask test`) send straight
//! from memory. So a deploy sends the headers the browser tests saw.
//!
//! Not a reader of `_headers` files: the only one the project has is the one it writes
//! from these rules, so there is nothing to parse.

use anyhow::{bail, Result};

/// Headers for every URL path below one prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The paths the rule covers: every one that starts with this (`/` for the whole
    /// site). Starts and ends with `/`; written `PREFIX*` in `_headers`, where `*` stands
    /// for any rest, slashes included, as the hosts read it.
    pub under: String,
    /// Header names and values, in the order they are written and sent.
    pub headers: Vec<(&'static str, String)>,
}

/// Refuses rules a host would misread: a prefix that is not a `/…/` path, a name that is
/// not an HTTP token, a value that is empty or not printable ASCII on one line.
pub fn check(rules: &[Rule]) -> Result<()> {
    for rule in rules {
        if !rule.under.starts_with('/')
            || !rule.under.ends_with('/')
            || rule.under.contains(['*', ':', ' ', '\t', '\n'])
        {
            bail!(
                "the header rule for `{}` needs a plain /…/ prefix",
                rule.under
            );
        }
        for (name, value) in &rule.headers {
            if name.is_empty() || !name.bytes().all(is_token_byte) {
                bail!("`{name}` is not a header name");
            }
            if value.is_empty() || !value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
                bail!("the value of {name} must be printable ASCII on one line: `{value}`");
            }
        }
    }
    Ok(())
}

/// RFC 9110 `tchar`.
fn is_token_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&byte)
}

/// The `_headers` file for `rules`, with `comment` lines first.
pub fn render(comment: &[&str], rules: &[Rule]) -> String {
    let mut text = String::new();
    for line in comment {
        text.push_str(&format!("# {line}\n"));
    }
    for rule in rules {
        text.push_str(&format!("{}*\n", rule.under));
        for (name, value) in &rule.headers {
            text.push_str(&format!("  {name}: {value}\n"));
        }
    }
    text
}

/// The headers for a request to `path` (below the site's root, with its leading slash and
/// without the query). Every covering rule applies, in order; a name given by several
/// gets their values joined with `, `, as Cloudflare Pages does.
pub fn for_path(rules: &[Rule], path: &str) -> Vec<(&'static str, String)> {
    let mut headers: Vec<(&'static str, String)> = Vec::new();
    for rule in rules.iter().filter(|rule| path.starts_with(&rule.under)) {
        for (name, value) in &rule.headers {
            match headers
                .iter_mut()
                .find(|(seen, _)| seen.eq_ignore_ascii_case(name))
            {
                Some((_, joined)) => {
                    joined.push_str(", ");
                    joined.push_str(value);
                }
                None => headers.push((name, value.clone())),
            }
        }
    }
    headers
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Two rules, the second under the first and repeating one of its names: the set the
    /// server's tests serve too.
    pub(crate) fn rules() -> Vec<Rule> {
        vec![
            Rule {
                under: "/".into(),
                headers: vec![
                    ("Cross-Origin-Opener-Policy", "same-origin".into()),
                    ("X-Test", "a:b".into()),
                ],
            },
            Rule {
                under: "/pkg/".into(),
                headers: vec![("X-Pkg", "yes".into()), ("X-Test", "second".into())],
            },
        ]
    }

    #[test]
    fn renders_the_hosts_format() {
        assert_eq!(
            render(&["a comment"], &rules()),
            "# a comment\n/*\n  Cross-Origin-Opener-Policy: same-origin\n  X-Test: a:b\n\
             /pkg/*\n  X-Pkg: yes\n  X-Test: second\n"
        );
    }

    #[test]
    fn every_covering_rule_applies_and_repeats_are_joined() {
        let rules = rules();
        let names =
            |path| -> Vec<&str> { for_path(&rules, path).into_iter().map(|h| h.0).collect() };
        assert_eq!(names("/"), ["Cross-Origin-Opener-Policy", "X-Test"]);
        assert_eq!(
            names("/index.html"),
            ["Cross-Origin-Opener-Policy", "X-Test"]
        );
        assert_eq!(names("/pkgs.js"), ["Cross-Origin-Opener-Policy", "X-Test"]);
        let pkg = for_path(&rules, "/pkg/plain/a.wasm");
        assert_eq!(pkg.len(), 3);
        assert_eq!(pkg[1], ("X-Test", "a:b, second".to_owned()));
        assert_eq!(pkg[2], ("X-Pkg", "yes".to_owned()));
        assert!(for_path(&rules[1..], "/").is_empty());
    }

    #[test]
    fn refuses_what_a_host_would_misread() {
        assert!(check(&rules()).is_ok());
        let one = |under: &str, name: &'static str, value: &str| {
            check(&[Rule {
                under: under.into(),
                headers: vec![(name, value.into())],
            }])
        };
        for (under, name, value, why) in [
            ("pkg/", "X-A", "b", "no leading slash"),
            ("/pkg", "X-A", "b", "no trailing slash"),
            ("/*", "X-A", "b", "a pattern, not a prefix"),
            ("/", "Bad Name", "x", "space in the name"),
            ("/", "X-A", "", "empty value"),
            ("/", "X-A", "caf\u{e9}", "non-ASCII value"),
            ("/", "X-A", "a\nb", "two lines"),
        ] {
            assert!(one(under, name, value).is_err(), "{why}");
        }
    }
}
