//! `cargo xtask serve`, and the static file server the browser tests start in-process.
//!
//! The threaded build needs `SharedArrayBuffer`, which browsers only give to
//! cross-origin-isolated pages: hence COOP/COEP, and a switch to turn them off so the
//! plain fallback can be tried too.

use std::fs::File;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::{anyhow, bail, Context, Result};
use tiny_http::{Header, Method, Request, Response, ResponseBox, Server};

use crate::build;

/// Enough that parallel fetches of module workers and wasm do not queue behind each other.
const THREADS: usize = 8;

#[derive(Debug, PartialEq, Eq)]
struct Options {
    host: String,
    port: u16,
    isolated: bool,
}

fn parse_args(args: &[String]) -> Result<Options> {
    let mut options = Options {
        host: "127.0.0.1".to_owned(),
        port: 8000,
        isolated: true,
    };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag, Some(value.to_owned())),
            None => (arg.as_str(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| anyhow!("{flag} needs a value"))
        };
        match flag {
            "--port" => {
                let port = value()?;
                options.port = port
                    .parse()
                    .with_context(|| format!("--port {port} is not a port number"))?;
            }
            "--host" => options.host = value()?,
            "--no-isolation" if inline.is_none() => options.isolated = false,
            _ => {
                bail!("unknown option `{arg}` (serve takes --port N, --host ADDR, --no-isolation)")
            }
        }
    }
    Ok(options)
}

pub fn cli(root: &Path, args: &[String]) -> Result<ExitCode> {
    let options = parse_args(args)?;
    build::build_all(root)?;
    let server = serve_dir(
        &root.join("www"),
        &format!("{}:{}", options.host, options.port),
        options.isolated,
    )?;
    let mode = if options.isolated {
        "cross-origin isolated"
    } else {
        "not cross-origin isolated"
    };
    println!("Serving {} ({mode})", server.url());
    server.wait();
    Ok(ExitCode::SUCCESS)
}

/// A running server. Dropping it stops the server.
pub struct ServerHandle {
    addr: SocketAddr,
    server: Arc<Server>,
    workers: Vec<JoinHandle<()>>,
}

impl ServerHandle {
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Blocks for as long as the server runs.
    pub fn wait(mut self) {
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        // Each unblock releases one worker from `recv`.
        for _ in &self.workers {
            self.server.unblock();
        }
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}

/// Serves the files under `root` on `addr` (port 0 picks a free port, see
/// [`ServerHandle::port`]), with COOP/COEP when `isolated`.
pub fn serve_dir(root: &Path, addr: &str, isolated: bool) -> Result<ServerHandle> {
    let server = Server::http(addr).map_err(|error| anyhow!("cannot listen on {addr}: {error}"))?;
    let addr = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| anyhow!("{addr} is not an IP address"))?;
    let server = Arc::new(server);
    let workers = (0..THREADS)
        .map(|_| {
            let server = Arc::clone(&server);
            let root = root.to_path_buf();
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    respond(&root, isolated, request);
                }
            })
        })
        .collect();
    Ok(ServerHandle {
        addr,
        server,
        workers,
    })
}

fn respond(root: &Path, isolated: bool, request: Request) {
    let mut response = match request.method() {
        Method::Get | Method::Head => match lookup(root, request.url()) {
            Lookup::File(path) => match File::open(&path) {
                Ok(file) => Response::from_file(file)
                    .with_header(header("Content-Type", &content_type(&path)))
                    // A Content-Length instead of chunks, so downloads show their size.
                    .with_chunked_threshold(usize::MAX)
                    .boxed(),
                Err(_) => status_page(404, "not found"),
            },
            Lookup::Redirect(location) => {
                status_page(301, "moved").with_header(header("Location", &location))
            }
            Lookup::NotFound => status_page(404, "not found"),
            Lookup::Forbidden => status_page(403, "forbidden"),
        },
        _ => status_page(405, "method not allowed").with_header(header("Allow", "GET, HEAD")),
    };
    for (name, value) in policy_headers(isolated) {
        response.add_header(header(name, value));
    }
    // Refusals are rare and explain browser console errors, so they are worth a line.
    let code = response.status_code().0;
    if code >= 400 {
        eprintln!("serve: {code} {} {}", request.method(), request.url());
    }
    // An error here only means the client went away.
    let _ = request.respond(response);
}

/// Sent with every response, errors included.
fn policy_headers(isolated: bool) -> Vec<(&'static str, &'static str)> {
    let mut headers = vec![
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Cache-Control", "no-cache"),
    ];
    if isolated {
        headers.push(("Cross-Origin-Opener-Policy", "same-origin"));
        headers.push(("Cross-Origin-Embedder-Policy", "require-corp"));
    }
    headers
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values are ASCII")
}

fn status_page(code: u16, text: &str) -> ResponseBox {
    Response::from_string(format!("{code} {text}\n"))
        .with_status_code(code)
        .with_header(header("Content-Type", "text/plain; charset=utf-8"))
        .boxed()
}

#[derive(Debug, PartialEq, Eq)]
enum Lookup {
    File(PathBuf),
    Redirect(String),
    NotFound,
    Forbidden,
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

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|arg| arg.to_string()).collect()
    }

    #[test]
    fn options_default_and_parse() {
        assert_eq!(
            parse_args(&[]).unwrap(),
            Options {
                host: "127.0.0.1".into(),
                port: 8000,
                isolated: true
            }
        );
        assert_eq!(
            parse_args(&args(&[
                "--port",
                "8123",
                "--host=0.0.0.0",
                "--no-isolation"
            ]))
            .unwrap(),
            Options {
                host: "0.0.0.0".into(),
                port: 8123,
                isolated: false
            }
        );
        assert_eq!(parse_args(&args(&["--port=9"])).unwrap().port, 9);
        assert!(parse_args(&args(&["--port"])).is_err());
        assert!(parse_args(&args(&["--port", "lots"])).is_err());
        assert!(parse_args(&args(&["--verbose"])).is_err());
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

    #[test]
    fn serves_files_with_headers_and_refuses_the_rest() {
        let root = std::env::temp_dir().join(format!("xtask-serve-test-{}", std::process::id()));
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("index.html"), "<p>home</p>").unwrap();
        std::fs::write(root.join("sub/index.html"), "<p>sub</p>").unwrap();
        // Above tiny_http's default chunking threshold, to see the Content-Length.
        std::fs::write(root.join("m.wasm"), vec![0u8; 40_000]).unwrap();

        let isolated = serve_dir(&root, "127.0.0.1:0", true).unwrap();
        let plain = serve_dir(&root, "127.0.0.1:0", false).unwrap();
        assert_ne!(isolated.port(), 0);

        let (head, body) = fetch(isolated.port(), "GET / HTTP/1.0\r\n\r\n");
        assert!(head.starts_with("http/1.0 200"), "{head}");
        assert!(
            head.contains("content-type: text/html; charset=utf-8"),
            "{head}"
        );
        assert!(
            head.contains("cross-origin-opener-policy: same-origin"),
            "{head}"
        );
        assert!(
            head.contains("cross-origin-embedder-policy: require-corp"),
            "{head}"
        );
        assert!(
            head.contains("cross-origin-resource-policy: same-origin"),
            "{head}"
        );
        assert!(head.contains("cache-control: no-cache"), "{head}");
        assert_eq!(body, "<p>home</p>");

        let (head, body) = fetch(
            isolated.port(),
            "HEAD /m.wasm HTTP/1.1\r\nConnection: close\r\n\r\n",
        );
        assert!(head.contains("content-type: application/wasm"), "{head}");
        assert!(head.contains("content-length: 40000"), "{head}");
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
        assert!(!head.contains("cross-origin-opener-policy"), "{head}");
        assert!(!head.contains("cross-origin-embedder-policy"), "{head}");
        assert!(
            head.contains("cross-origin-resource-policy: same-origin"),
            "{head}"
        );

        drop(isolated);
        drop(plain);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
