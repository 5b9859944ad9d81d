//! `cargo xtask serve`, and the static file server the browser tests start in-process.
//!
//! The threaded build needs `SharedArrayBuffer`, which browsers only give to
//! cross-origin-isolated pages: hence COOP/COEP, and a switch to turn them off so the
//! plain fallback can be tried too. For the static deploy (`cargo xtask dist`) the server
//! can also stand in for a static host: mounted under a sub-path, sending the header rules
//! `dist` wrote into the site's `_headers` file, or no extra headers at all (GitHub Pages).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::runtime::Runtime;
use tokio::sync::oneshot;
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::headers::{self, Rule};
use crate::{build, dist};

/// `cargo xtask serve`'s options.
#[derive(Debug, PartialEq, Eq, clap::Args)]
pub struct Options {
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// The port to listen on.
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Send no COOP/COEP, to try the plain fallback (with --dist: no headers at all).
    #[arg(long = "no-isolation", action = clap::ArgAction::SetFalse)]
    isolated: bool,
    /// Serve `dist/` (written first) with its `_headers`, instead of `www/`.
    #[arg(long)]
    dist: bool,
    /// Mount the site under this sub-path, e.g. /course/playground/.
    #[arg(long, default_value = "/", value_parser = prefix_arg)]
    prefix: String,
}

fn prefix_arg(text: &str) -> Result<String, String> {
    normalize_prefix(text).map_err(|error| error.to_string())
}

pub fn cli(root: &Path, options: Options) -> Result<ExitCode> {
    build::build_all(root)?;
    let (dir, policy, mode) = if options.dist {
        let out = root.join("dist");
        let rules = dist::write(root, &out)?;
        if options.isolated {
            (
                out,
                Policy::Rules(rules),
                "dist/ with the headers in its _headers file",
            )
        } else {
            (
                out,
                Policy::Bare,
                "dist/ with no extra headers: the service worker isolates it",
            )
        }
    } else if options.isolated {
        (
            root.join("www"),
            Policy::Builtin { isolated: true },
            "cross-origin isolated",
        )
    } else {
        (
            root.join("www"),
            Policy::Builtin { isolated: false },
            "not cross-origin isolated",
        )
    };
    let server = serve_dir_with(
        &dir,
        &format!("{}:{}", options.host, options.port),
        &ServeOptions {
            prefix: options.prefix,
            policy,
        },
    )?;
    println!("Serving {} ({mode})", server.site_url());
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// Which headers a server adds to its responses besides `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// The development server's: CORP and `no-cache`, plus COOP/COEP when `isolated`.
    Builtin { isolated: bool },
    /// These rules, as Netlify or Cloudflare Pages send the `_headers` file written from
    /// them (which is not served itself).
    Rules(Vec<Rule>),
    /// None at all, like a host that cannot set headers (GitHub Pages).
    Bare,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeOptions {
    /// The URL path the root is mounted at, starting and ending with `/`: `/` for the
    /// origin's root, `/course/playground/` for a sub-path deploy.
    pub prefix: String,
    pub policy: Policy,
}

/// A mount prefix as `/a/b/`: leading and trailing slash, no empty, `.` or `..` segments.
pub fn normalize_prefix(prefix: &str) -> Result<String> {
    let segments: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
    if segments
        .iter()
        .any(|s| matches!(*s, "." | "..") || s.contains(['?', '#', '%', '\\']))
    {
        bail!("the prefix `{prefix}` must be a plain path such as /course/playground/");
    }
    Ok(if segments.is_empty() {
        "/".to_owned()
    } else {
        format!("/{}/", segments.join("/"))
    })
}

/// What one server serves, shared by every connection.
struct Site {
    root: PathBuf,
    prefix: String,
    headers: Policy,
    files: ServeDir,
}

/// A running server. Dropping it stops the server and closes its connections.
pub struct ServerHandle {
    addr: SocketAddr,
    prefix: String,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    runtime: Option<Runtime>,
}

impl ServerHandle {
    /// The port it listens on; the tests speak raw HTTP to it.
    #[cfg(test)]
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The origin's root, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Where the served root is mounted: [`Self::url`] plus the prefix.
    pub fn site_url(&self) -> String {
        format!("http://{}{}", self.addr, self.prefix)
    }

    /// Blocks for as long as the server runs.
    pub fn wait(mut self) {
        if let (Some(runtime), Some(task)) = (self.runtime.as_ref(), self.task.take()) {
            if let Ok(Err(error)) = runtime.block_on(task) {
                eprintln!("serve: {error}");
            }
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        // Browsers keep idle connections open: do not wait for them to say goodbye.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_millis(200));
        }
    }
}

/// Serves the files under `root` on `addr` (port 0 picks a free port, see
/// [`ServerHandle::port`]), with COOP/COEP when `isolated`.
pub fn serve_dir(root: &Path, addr: &str, isolated: bool) -> Result<ServerHandle> {
    serve_dir_with(
        root,
        addr,
        &ServeOptions {
            prefix: "/".to_owned(),
            policy: Policy::Builtin { isolated },
        },
    )
}

/// `www/` on two free loopback ports, as the browser tests, the benchmark and the soak
/// want it: cross-origin isolated, and plain (no COOP/COEP) for the fallback.
pub struct WwwServers {
    pub isolated: ServerHandle,
    pub plain: ServerHandle,
}

impl WwwServers {
    /// `PLAYGROUND_URL` and `PLAYGROUND_URL_PLAIN`, where every browser-side script looks
    /// for the two servers.
    pub fn env(&self) -> [(&'static str, String); 2] {
        [
            ("PLAYGROUND_URL", self.isolated.url()),
            ("PLAYGROUND_URL_PLAIN", self.plain.url()),
        ]
    }
}

/// Starts [`WwwServers`] for the repository at `root`.
pub fn serve_www(root: &Path) -> Result<WwwServers> {
    let www = root.join("www");
    Ok(WwwServers {
        isolated: serve_dir(&www, "127.0.0.1:0", true)?,
        plain: serve_dir(&www, "127.0.0.1:0", false)?,
    })
}

/// Serves the files under `root` on `addr`, mounted and with headers as `options` say.
pub fn serve_dir_with(root: &Path, addr: &str, options: &ServeOptions) -> Result<ServerHandle> {
    let prefix = normalize_prefix(&options.prefix)?;
    let site = Arc::new(Site {
        root: root.to_path_buf(),
        prefix: prefix.clone(),
        headers: options.policy.clone(),
        // `.br` and `.gz` files beside an original are sent instead of it to browsers
        // that accept them; directories are resolved before the request gets here.
        files: ServeDir::new(root)
            .precompressed_br()
            .precompressed_gzip()
            .append_index_html_on_directories(false),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("serve")
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .with_context(|| format!("cannot listen on {addr}"))?;
    let addr = listener.local_addr()?;
    let app = Router::new().fallback(handle).with_state(site);
    let (stop, stopped) = oneshot::channel::<()>();
    let task = runtime.spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await
    });
    Ok(ServerHandle {
        addr,
        prefix,
        stop: Some(stop),
        task: Some(task),
        runtime: Some(runtime),
    })
}

/// The request path below the mount prefix, with its leading slash (`/` for the prefix
/// itself), or `None` when the request is outside it.
fn site_path<'a>(prefix: &str, url_path: &'a str) -> Option<std::borrow::Cow<'a, str>> {
    let rest = url_path.strip_prefix(prefix.strip_suffix('/').unwrap_or(prefix))?;
    if rest.is_empty() || rest.starts_with('/') {
        Some(if rest.is_empty() {
            "/".into()
        } else {
            rest.into()
        })
    } else {
        None
    }
}

async fn handle(State(site): State<Arc<Site>>, request: Request) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let url_path = uri.path();
    let path = site_path(&site.prefix, url_path).map(|p| p.into_owned());
    let hidden = matches!(site.headers, Policy::Rules(_)) && path.as_deref() == Some("/_headers");
    let mut response = if method == Method::GET || method == Method::HEAD {
        match lookup_in(&site, url_path, hidden) {
            Lookup::File(file) => serve_file(&site, request, &file).await,
            Lookup::Redirect(location) => {
                let mut moved = status_page(StatusCode::MOVED_PERMANENTLY, "moved");
                insert(&mut moved, "location", &location);
                moved
            }
            Lookup::NotFound => status_page(StatusCode::NOT_FOUND, "not found"),
            Lookup::Forbidden => status_page(StatusCode::FORBIDDEN, "forbidden"),
        }
    } else {
        let mut refused = status_page(StatusCode::METHOD_NOT_ALLOWED, "method not allowed");
        insert(&mut refused, "allow", "GET, HEAD");
        refused
    };
    match &site.headers {
        Policy::Builtin { isolated } => {
            // The one-line embed is loaded by course pages on other origins.
            let embed = path.as_deref() == Some("/embed.js");
            for (name, value) in policy_headers(*isolated) {
                let value = if embed && name == "Cross-Origin-Resource-Policy" {
                    "cross-origin"
                } else {
                    value
                };
                insert(&mut response, name, value);
            }
        }
        Policy::Rules(rules) => {
            // Outside the mount, the host's own pages: none of the site's rules apply.
            if let Some(path) = &path {
                for (name, value) in headers::for_path(rules, path) {
                    insert(&mut response, name, &value);
                }
            }
        }
        Policy::Bare => {}
    }
    // Refusals are rare and explain browser console errors, so they are worth a line.
    if response.status().as_u16() >= 400 {
        eprintln!("serve: {} {method} {uri}", response.status().as_u16());
    }
    response
}

/// Hands the request to `ServeDir` for the file already found, which brings ranges,
/// conditional requests and precompressed siblings; the type is ours, with a charset.
async fn serve_file(site: &Site, request: Request, file: &Path) -> Response {
    let Ok(relative) = file.strip_prefix(&site.root) else {
        return status_page(StatusCode::NOT_FOUND, "not found");
    };
    let mut target = String::new();
    for part in relative.components() {
        target.push('/');
        target.push_str(&percent_encode(&part.as_os_str().to_string_lossy()));
    }
    let (mut parts, body) = request.into_parts();
    let Ok(uri) = target.parse::<Uri>() else {
        return status_page(StatusCode::NOT_FOUND, "not found");
    };
    parts.uri = uri;
    let Ok(response) = site
        .files
        .clone()
        .oneshot(Request::from_parts(parts, body))
        .await;
    let mut response = response.map(Body::new);
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        insert(&mut response, "content-type", &content_type(file));
    }
    response
}

/// Every byte outside the unreserved set as `%XX`, so that `ServeDir` decodes it back.
fn percent_encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn insert(response: &mut Response, name: &str, value: &str) {
    let (Ok(name), Ok(value)) = (
        HeaderName::from_bytes(name.as_bytes()),
        HeaderValue::from_str(value),
    ) else {
        eprintln!("serve: skipped the malformed header `{name}: {value}`");
        return;
    };
    response.headers_mut().insert(name, value);
}

/// Sent with every response, errors included. Document-Isolation-Policy isolates the page
/// on its own in Chromium 137+, even inside a course page's iframe that is not isolated
/// (where COOP/COEP cannot help); browsers that do not know it ignore it.
fn policy_headers(isolated: bool) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-cache"),
    ];
    if isolated {
        headers.push(("Cross-Origin-Opener-Policy", "same-origin"));
        headers.push(("Cross-Origin-Embedder-Policy", "require-corp"));
        headers.push(("Document-Isolation-Policy", "isolate-and-require-corp"));
    }
    headers
}

fn status_page(code: StatusCode, text: &str) -> Response {
    let mut response = (code, format!("{} {text}\n", code.as_u16())).into_response();
    insert(&mut response, "content-type", "text/plain; charset=utf-8");
    response
}

#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    File(PathBuf),
    Redirect(String),
    NotFound,
    Forbidden,
}

/// [`lookup`] under the site's mount prefix: the prefix without its slash redirects to
/// it, anything else outside it is not found; `hidden` hides `/_headers`.
fn lookup_in(site: &Site, url: &str, hidden: bool) -> Lookup {
    let url_path = url.split(['?', '#']).next().unwrap_or_default();
    if site.prefix != "/" && url_path == site.prefix.trim_end_matches('/') {
        return Lookup::Redirect(site.prefix.clone());
    }
    if hidden {
        return Lookup::NotFound;
    }
    match site_path(&site.prefix, url_path) {
        None => Lookup::NotFound,
        Some(path) => match lookup(&site.root, &path) {
            // The redirect adds a slash to the full path, prefix included.
            Lookup::Redirect(_) => Lookup::Redirect(format!("{url_path}/")),
            other => other,
        },
    }
}

fn lookup(root: &Path, url: &str) -> Lookup {
    let url_path = url.split(['?', '#']).next().unwrap_or_default();
    let Some(relative) = relative_path(url_path) else {
        return Lookup::Forbidden;
    };
    let mut path = root.join(relative);
    if path.is_dir() {
        // Without the slash, relative URLs in the index would resolve one level too high.
        if !url_path.ends_with('/') {
            return Lookup::Redirect(format!("{url_path}/"));
        }
        path.push("index.html");
    }
    if path.is_file() {
        Lookup::File(path)
    } else {
        Lookup::NotFound
    }
}

/// The request path as a path relative to the served root, or `None` if it tries to leave
/// the root or is malformed.
fn relative_path(url_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(url_path)?;
    let mut relative = PathBuf::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => return None,
            _ if segment.contains(['\\', '\0']) => return None,
            _ => relative.push(segment),
        }
    }
    Some(relative)
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            if !hex.iter().all(u8::is_ascii_hexdigit) {
                return None;
            }
            decoded.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).ok()
}

/// Browsers refuse module scripts and streaming wasm compilation with the wrong type.
fn content_type(path: &Path) -> String {
    let extension = path
        .extension()
        .and_then(|ext| ext.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let known = match extension.as_str() {
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "txt" | "md" => "text/plain; charset=utf-8",
        _ => {
            return mime_guess::from_path(path)
                .first_or_octet_stream()
                .to_string()
        }
    };
    known.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;
    use std::ops::Deref;

    #[test]
    fn options_default_and_parse() {
        let parse = crate::parse_options::<Options>;
        assert_eq!(
            parse(&[]).unwrap(),
            Options {
                host: "127.0.0.1".into(),
                port: 8000,
                isolated: true,
                dist: false,
                prefix: "/".into(),
            }
        );
        assert_eq!(
            parse(&["--port", "8123", "--host=0.0.0.0", "--no-isolation"]).unwrap(),
            Options {
                host: "0.0.0.0".into(),
                port: 8123,
                isolated: false,
                dist: false,
                prefix: "/".into(),
            }
        );
        assert_eq!(parse(&["--port=9"]).unwrap().port, 9);
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "lots"]).is_err());
        assert!(parse(&["--verbose"]).is_err());
        let dist = parse(&["--dist", "--prefix", "course/playground"]).unwrap();
        assert!(dist.dist && dist.isolated);
        assert_eq!(dist.prefix, "/course/playground/");
        assert!(parse(&["--prefix=/a/../b"]).is_err());
    }

    #[test]
    fn prefixes_are_normalized_and_requests_mapped_below_them() {
        assert_eq!(normalize_prefix("/").unwrap(), "/");
        assert_eq!(normalize_prefix("").unwrap(), "/");
        assert_eq!(
            normalize_prefix("course/playground").unwrap(),
            "/course/playground/"
        );
        assert_eq!(
            normalize_prefix("//course//playground/").unwrap(),
            "/course/playground/"
        );
        for bad in ["/a/../b", "/./a", "/a%2f", "/a?b", "/a\\b"] {
            assert!(normalize_prefix(bad).is_err(), "{bad}");
        }
        assert_eq!(site_path("/", "/").as_deref(), Some("/"));
        assert_eq!(site_path("/", "/a/b.js").as_deref(), Some("/a/b.js"));
        let prefix = "/course/playground/";
        assert_eq!(
            site_path(prefix, "/course/playground/").as_deref(),
            Some("/")
        );
        assert_eq!(
            site_path(prefix, "/course/playground").as_deref(),
            Some("/")
        );
        assert_eq!(
            site_path(prefix, "/course/playground/pkg/a.wasm").as_deref(),
            Some("/pkg/a.wasm")
        );
        assert_eq!(site_path(prefix, "/course/playgroundx/a.js"), None);
        assert_eq!(site_path(prefix, "/course/"), None);
        assert_eq!(site_path(prefix, "/index.html"), None);
    }

    #[test]
    fn request_paths_stay_inside_the_root() {
        assert_eq!(relative_path("/"), Some(PathBuf::new()));
        assert_eq!(
            relative_path("/pkg/threaded/a.wasm"),
            Some(PathBuf::from("pkg/threaded/a.wasm"))
        );
        assert_eq!(relative_path("//a/./b"), Some(PathBuf::from("a/b")));
        assert_eq!(
            relative_path("/with%20space.js"),
            Some(PathBuf::from("with space.js"))
        );
        for evil in [
            "/../etc/passwd",
            "/a/../../b",
            "/%2e%2e/secret",
            "/a%2F..%2F..%2Fb",
            "/a\\..\\b",
            "/%00",
            "/%zz",
            "/%2",
        ] {
            assert_eq!(relative_path(evil), None, "{evil}");
        }
    }

    #[test]
    fn mime_types() {
        let cases = [
            ("a.wasm", "application/wasm"),
            ("a.js", "text/javascript; charset=utf-8"),
            ("a.MJS", "text/javascript; charset=utf-8"),
            ("index.html", "text/html; charset=utf-8"),
            ("a.css", "text/css; charset=utf-8"),
            ("a.json", "application/json"),
            ("a.svg", "image/svg+xml"),
            ("a.png", "image/png"),
            ("a.woff2", "font/woff2"),
            ("no-extension", "application/octet-stream"),
        ];
        for (name, expected) in cases {
            assert_eq!(content_type(Path::new(name)), expected, "{name}");
        }
    }

    /// A raw HTTP/1.0 exchange, answering the head (status line and headers) and the body.
    fn fetch(port: u16, request: &str) -> (String, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        let (head, body) = reply.split_once("\r\n\r\n").unwrap();
        (head.to_ascii_lowercase(), body.to_owned())
    }

    /// A fresh directory for one test, holding `files` (path, contents); removed when the
    /// test ends, failed or not, after the servers declared later have stopped.
    struct Site(PathBuf);

    impl Deref for Site {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Site {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn site(name: &str, files: &[(&str, &str)]) -> Site {
        let root = std::env::temp_dir().join(format!("xtask-serve-{name}-{}", std::process::id()));
        for (path, contents) in files {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, contents).unwrap();
        }
        Site(root)
    }

    /// Asserts that a response head (lower case) has every one of `lines` and none of `absent`.
    fn check_head(head: &str, lines: &[&str], absent: &[&str]) {
        for line in lines {
            assert!(head.contains(line), "{line} in {head}");
        }
        for name in absent {
            assert!(!head.contains(name), "no {name} in {head}");
        }
    }

    #[test]
    fn serves_files_with_headers_and_refuses_the_rest() {
        // The wasm file is big enough that a server might be tempted to stream it in chunks.
        let root = site(
            "test",
            &[
                ("index.html", "<p>home</p>"),
                ("sub/index.html", "<p>sub</p>"),
                ("m.wasm", &"\0".repeat(40_000)),
            ],
        );

        let isolated = serve_dir(&root, "127.0.0.1:0", true).unwrap();
        let plain = serve_dir(&root, "127.0.0.1:0", false).unwrap();
        assert_ne!(isolated.port(), 0);

        let (head, body) = fetch(isolated.port(), "GET / HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        check_head(
            &head,
            &[
                "content-type: text/html; charset=utf-8",
                "cross-origin-opener-policy: same-origin",
                "cross-origin-embedder-policy: require-corp",
                "cross-origin-resource-policy: same-origin",
                "cache-control: no-cache",
                "document-isolation-policy: isolate-and-require-corp",
            ],
            &[],
        );
        assert_eq!(body, "<p>home</p>");

        let (head, body) = fetch(
            isolated.port(),
            "HEAD /m.wasm HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        check_head(
            &head,
            &["content-type: application/wasm", "content-length: 40000"],
            &[],
        );
        assert_eq!(body, "");

        let (head, body) = fetch(isolated.port(), "GET /sub/ HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        assert_eq!(body, "<p>sub</p>");
        let (head, _) = fetch(isolated.port(), "GET /sub?x=1 HTTP/1.0\r\n\r\n");
        assert!(
            head.starts_with("http/1.0 301") && head.contains("location: /sub/"),
            "{head}"
        );

        assert!(fetch(isolated.port(), "GET /missing.js HTTP/1.0\r\n\r\n")
            .0
            .starts_with("http/1.0 404"));
        assert!(
            fetch(isolated.port(), "GET /../etc/passwd HTTP/1.0\r\n\r\n")
                .0
                .starts_with("http/1.0 403")
        );
        assert!(
            fetch(isolated.port(), "GET /%2e%2e/etc/passwd HTTP/1.0\r\n\r\n")
                .0
                .starts_with("http/1.0 403")
        );
        assert!(fetch(isolated.port(), "POST / HTTP/1.0\r\n\r\n")
            .0
            .starts_with("http/1.0 405"));

        let (head, _) = fetch(plain.port(), "GET / HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        check_head(
            &head,
            &["cross-origin-resource-policy: same-origin"],
            &[
                "cross-origin-opener-policy",
                "cross-origin-embedder-policy",
                "document-isolation-policy",
            ],
        );
    }

    #[test]
    fn the_one_line_embed_may_be_loaded_from_other_origins() {
        let root = site(
            "embed",
            &[("embed.js", "customElements;"), ("app.js", "app;")],
        );
        let server = serve_dir(&root, "127.0.0.1:0", true).unwrap();
        let (head, _) = fetch(server.port(), "GET /embed.js HTTP/1.0\r\n\r\n");
        check_head(&head, &["cross-origin-resource-policy: cross-origin"], &[]);
        let (head, _) = fetch(server.port(), "GET /app.js HTTP/1.0\r\n\r\n");
        check_head(&head, &["cross-origin-resource-policy: same-origin"], &[]);
    }

    #[test]
    fn a_static_site_under_a_prefix_with_its_header_rules_or_none() {
        // _headers is what a host would not serve, hidden even though it is there.
        let root = site(
            "site",
            &[
                ("index.html", "<p>site</p>"),
                ("pkg/a.js", "a;"),
                ("_headers", "/*\n  X-From-The-File: 1\n"),
            ],
        );
        let rules = crate::headers::tests::rules();
        let with_rules = serve_dir_with(
            &root,
            "127.0.0.1:0",
            &ServeOptions {
                prefix: "/course/playground/".into(),
                policy: Policy::Rules(rules),
            },
        )
        .unwrap();
        let bare = serve_dir_with(
            &root,
            "127.0.0.1:0",
            &ServeOptions {
                prefix: "/course/playground".into(),
                policy: Policy::Bare,
            },
        )
        .unwrap();
        assert!(with_rules.site_url().ends_with("/course/playground/"));
        let port = with_rules.port();

        let (head, body) = fetch(port, "GET /course/playground/ HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        assert_eq!(body, "<p>site</p>");
        // The rules replace the built-in headers.
        check_head(
            &head,
            &["cross-origin-opener-policy: same-origin", "x-test: a:b\r\n"],
            &[
                "x-pkg",
                "x-from-the-file",
                "cross-origin-embedder-policy",
                "cache-control",
            ],
        );

        let (head, body) = fetch(port, "GET /course/playground/pkg/a.js?v=1 HTTP/1.0\r\n\r\n");
        check_head(&head, &["x-pkg: yes", "x-test: a:b, second"], &[]);
        assert_eq!(body, "a;");

        let (head, _) = fetch(port, "GET /course/playground HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 301"), "{head}");
        check_head(&head, &["location: /course/playground/\r\n"], &[]);
        let (head, _) = fetch(port, "GET /course/playground/pkg HTTP/1.0\r\n\r\n");
        check_head(&head, &["location: /course/playground/pkg/\r\n"], &[]);

        for outside in [
            "/",
            "/index.html",
            "/course/playgroundx/",
            "/course/playground/_headers",
        ] {
            let (head, _) = fetch(port, &format!("GET {outside} HTTP/1.0\r\n\r\n"));
            assert!(head.starts_with("http/1.0 404"), "{outside}: {head}");
        }
        let (head, _) = fetch(port, "GET /index.html HTTP/1.0\r\n\r\n");
        check_head(&head, &[], &["x-test"]);

        let (head, body) = fetch(bare.port(), "GET /course/playground/ HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        assert_eq!(body, "<p>site</p>");
        check_head(&head, &[], &["cross-origin", "cache-control", "x-test"]);
    }

    #[test]
    fn precompressed_siblings_go_to_browsers_that_accept_them() {
        let root = site(
            "gz",
            &[
                ("a.js", "plain;"),
                ("a.js.gz", "pretend-gzip"),
                ("a.js.br", "pretend-brotli"),
            ],
        );
        let server = serve_dir(&root, "127.0.0.1:0", true).unwrap();
        let get = |encoding: &str| {
            fetch(
                server.port(),
                &format!("GET /a.js HTTP/1.0\r\nAccept-Encoding: {encoding}\r\n\r\n"),
            )
        };
        let (head, body) = get("gzip, br");
        check_head(
            &head,
            &[
                "content-encoding: br",
                "content-type: text/javascript",
                "cross-origin-embedder-policy",
            ],
            &[],
        );
        assert_eq!(body, "pretend-brotli");
        let (head, body) = get("gzip");
        check_head(&head, &["content-encoding: gzip"], &[]);
        assert_eq!(body, "pretend-gzip");
        let (head, body) = get("identity");
        check_head(&head, &[], &["content-encoding"]);
        assert_eq!(body, "plain;");
    }

    /// Many clients at once, each sending request after request on one kept-alive
    /// connection, as a browser starting workers does: every request gets its answer.
    #[test]
    fn parallel_keep_alive_connections_are_all_answered() {
        use std::io::{BufRead, BufReader};
        let root = site("load", &[("m.js", &"x".repeat(30_000))]);
        let server = serve_dir(&root, "127.0.0.1:0", true).unwrap();
        let port = server.port();
        const CLIENTS: usize = 48;
        const REQUESTS: usize = 25;
        let clients: Vec<_> = (0..CLIENTS)
            .map(|_| {
                std::thread::spawn(move || {
                    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                    stream
                        .set_read_timeout(Some(Duration::from_secs(20)))
                        .unwrap();
                    let mut writer = stream.try_clone().unwrap();
                    let mut reader = BufReader::new(stream);
                    for _ in 0..REQUESTS {
                        writer
                            .write_all(b"GET /m.js HTTP/1.1\r\nHost: t\r\n\r\n")
                            .unwrap();
                        let mut length = None;
                        let mut line = String::new();
                        reader.read_line(&mut line).unwrap();
                        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
                        loop {
                            line.clear();
                            reader.read_line(&mut line).unwrap();
                            if line == "\r\n" {
                                break;
                            }
                            let lower = line.to_ascii_lowercase();
                            if let Some(value) = lower.strip_prefix("content-length:") {
                                length = Some(value.trim().parse::<usize>().unwrap());
                            }
                        }
                        let mut body = vec![0; length.expect("a content-length")];
                        reader.read_exact(&mut body).unwrap();
                        assert_eq!(body.len(), 30_000);
                    }
                })
            })
            .collect();
        for client in clients {
            client
                .join()
                .expect("every request on every connection answered");
        }
    }
}
