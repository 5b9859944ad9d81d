// The WebDriver classic client of the browser tests, spoken with plain `fetch`: it starts
// a driver process, opens a session and evaluates scripts in its one page. Firefox uses
// it through geckodriver (./firefox.mjs) and WebKitGTK through Debian's WebKitWebDriver
// (webkit2gtk-driver) driving MiniBrowser, whose launcher is here too. MiniBrowser is a
// GTK 3 program with no headless mode, so that driver runs under `xvfb-run -a`, which
// gives it (and the MiniBrowser it starts) a private virtual display.
//
//   const webkit = await launchWebKit({ sharedArrayBuffer: true });
//   const page = await webkit.open('http://127.0.0.1:8000/');
//   const title = await page.evaluateExpression('Promise.resolve(document.title)', { what: 'the title' });
//   await webkit.close();
//
// Only the transport lives here; ./index.mjs turns functions and arguments into the
// expressions evaluated, the same way for every browser.
//
// `sharedArrayBuffer: true` sets JSC_useSharedArrayBuffer=1 in the driver's environment,
// which MiniBrowser and its web processes inherit. WebKitGTK builds ship with
// SharedArrayBuffer switched off in JavaScriptCore even on a cross-origin isolated page
// (crossOriginIsolated is true but `SharedArrayBuffer` is undefined); with the variable
// set they behave like Safari does there. With `false` the variable is removed even when
// the caller's environment has it, so that case really is tested.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';

export const WEBKIT_WEBDRIVER = process.env.WEBKIT_WEBDRIVER ?? '/usr/bin/WebKitWebDriver';
export const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';

// `--automation` is the one argument MiniBrowser needs: it turns on
// webkit_web_context_set_automation_allowed, without which WebKitWebDriver cannot take
// it over. In automation mode the GTK 3 MiniBrowser also uses an ephemeral website-data
// manager, so every session starts from an empty profile (no cache, storage or service
// worker left by an earlier run). The WebKitSettings switches on its command line (such
// as --enable-write-console-messages-to-stdout) do not reach the web views it makes for
// automation, so they would be no use here.
const BROWSER_ARGS = ['--automation', '--enable-webgl=false', '--enable-accelerated-2d-canvas=false'];

const STATUS_POLL_MS = 100;
const LOG_LINES_KEPT = 200;

/** A TCP port on 127.0.0.1 that was free a moment ago. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Process groups still running, ended by force if this process exits without close():
// they were started detached, so nothing else would stop the drivers, their browsers
// (and Xvfb) then.
const liveGroups = new Set();
function killLiveGroups() {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  liveGroups.clear();
}
process.once('exit', killLiveGroups);
for (const [signal, number] of [
  ['SIGINT', 2],
  ['SIGTERM', 15],
  ['SIGHUP', 1],
]) {
  process.once(signal, () => {
    killLiveGroups();
    process.exit(128 + number);
  });
}

/** Members of process group `pgid` that are still running (zombies excluded), from /proc. */
function liveGroupMembers(pgid) {
  const alive = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // gone while we looked
    }
    // "pid (comm) state ppid pgrp ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') alive.push(Number(entry));
  }
  return alive;
}

async function waitUntil(condition, { timeout, interval = 50, what }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/** Thrown for a WebDriver error response; `error` is the spec's error code. */
export class WebDriverError extends Error {
  constructor(command, value) {
    super(`${command}: ${value?.error ?? 'error'}: ${value?.message ?? JSON.stringify(value)}`);
    this.name = 'WebDriverError';
    this.error = value?.error;
  }
}

/** WebKitWebDriver's command line, environment and the names of what it starts. */
function webkitDriver(port, sharedArrayBuffer) {
  const env = { ...process.env };
  if (sharedArrayBuffer) env.JSC_useSharedArrayBuffer = '1';
  else delete env.JSC_useSharedArrayBuffer;
  // Under Xvfb, WebKit's threaded compositor draws through Mesa's software GL, which
  // crashed the web process once in a few runs here (a general protection fault in
  // swrast_dri.so, which ends the WebDriver session). Nothing here needs GPU compositing.
  env.WEBKIT_DISABLE_COMPOSITING_MODE = '1';
  env.WEBKIT_DISABLE_DMABUF_RENDERER = '1';
  return {
    argv: [process.env.XVFB_RUN || 'xvfb-run', '-a', WEBKIT_WEBDRIVER, `--port=${port}`],
    env,
    driverName: 'WebKitWebDriver',
    group: 'xvfb-run, Xvfb, WebKitWebDriver, MiniBrowser',
  };
}

/** The last part of a program's path: `/usr/bin/geckodriver` → `geckodriver`. */
const programName = (path) => String(path).split('/').pop();

/**
 * A WebDriver server process (WebKitWebDriver under xvfb-run, or geckodriver), in a
 * process group of its own. `driverName` and `group` name the driver and everything in
 * its group for messages; by default, the program started.
 */
class DriverProcess {
  constructor({ port, argv, env, driverName = programName(argv[0]), group = `${driverName} and the browser it started` }) {
    this.port = port;
    this.driverName = driverName;
    this.group = group;
    this.log = [];
    this.exited = null;
    // detached: the driver leads a new process group holding it, the browser and the
    // browser's own processes (and Xvfb), so close() can end all of them with one signal.
    this.child = spawn(argv[0], argv.slice(1), {
      detached: true,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.pgid = this.child.pid;
    if (this.pgid) liveGroups.add(this.pgid);
    this.exitedPromise = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exited = { code, signal };
        resolve(this.exited);
      });
      this.child.once('error', (error) => {
        this.exited = { error };
        resolve(this.exited);
      });
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      let partial = '';
      stream.setEncoding('utf8');
      stream.on('data', (text) => {
        const lines = (partial + text).split('\n');
        partial = lines.pop();
        for (const line of lines) this.#remember(line);
      });
    }
  }

  #remember(line) {
    this.log.push(line);
    if (this.log.length > LOG_LINES_KEPT) this.log.shift();
  }

  tail(lines = 20) {
    return this.log.slice(-lines).join('\n');
  }

  /** Ends the whole process group: TERM, then KILL for whatever is left after `grace`. */
  async kill({ grace = 10_000 } = {}) {
    const signalGroup = (signal) => {
      try {
        process.kill(-this.pgid, signal);
      } catch (error) {
        if (error.code !== 'ESRCH') throw error;
      }
    };
    signalGroup('SIGTERM');
    try {
      await waitUntil(() => liveGroupMembers(this.pgid).length === 0, { timeout: grace, what: `process group ${this.pgid} (${this.group}) to exit after SIGTERM` });
    } catch {
      signalGroup('SIGKILL');
      await waitUntil(() => liveGroupMembers(this.pgid).length === 0, { timeout: grace, what: `process group ${this.pgid} (${this.group}) to exit after SIGKILL` });
    }
    liveGroups.delete(this.pgid);
    // Reap our direct child (xvfb-run or the driver) so no zombie of ours is left either.
    if (!this.exited) await this.exitedPromise;
  }
}

/** One page of the session: its single window (MiniBrowser's automation window), navigated by open(). */
class WebDriverPage {
  constructor(browser, url) {
    this.browser = browser;
    this.url = url;
    this.closed = false;
  }

  /**
   * Evaluates `expression` in the page and answers what it (or the promise it gives)
   * resolves to, which must be JSON-serialisable. A call still running after `timeout`
   * ms rejects naming `what`.
   */
  async evaluateExpression(expression, { timeout = 120_000, what = 'a script in the page' } = {}) {
    if (this.closed) throw new Error(`${this.browser.name}: evaluate on a closed page (${what})`);
    return this.browser.executeAsync(expression, { timeout, what });
  }

  async close() {
    if (this.closed) return;
    this.closed = true;
    this.browser.page = null;
    // Leave the page so its workers stop using the machine's two cores.
    if (this.browser.sessionId) await this.browser.command('POST', 'url', { url: 'about:blank' }, { timeout: 60_000 }).catch(() => {});
  }
}

class WebDriverBrowser {
  constructor(driver, name) {
    this.driver = driver;
    this.name = name;
    this.sessionId = null;
    this.version = null;
    this.page = null;
    this.scriptTimeout = null;
  }

  get base() {
    return `http://127.0.0.1:${this.driver.port}`;
  }

  /** One WebDriver command; `path` is relative to the session unless it starts with '/'. */
  async command(method, path, body, { timeout = 60_000, what } = {}) {
    const url = path.startsWith('/') ? `${this.base}${path}` : `${this.base}/session/${this.sessionId}/${path}`;
    let response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (error) {
      if (error.name === 'TimeoutError') throw new Error(`${this.name}: no answer to ${method} ${path} within ${timeout / 1000} s while waiting for ${what ?? 'the driver'}`);
      throw new Error(
        `${this.name}: ${method} ${path} failed: ${error.cause?.message ?? error.message}${this.driver.exited ? `; the driver has exited (${JSON.stringify(this.driver.exited)}):\n${this.driver.tail()}` : ''}`,
      );
    }
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${this.name}: ${method} ${path} answered HTTP ${response.status} that is not JSON: ${text.slice(0, 300)}`);
    }
    if (!response.ok || json?.value?.error) throw new WebDriverError(`${this.name}: ${method} ${path}`, json?.value);
    return json.value;
  }

  async executeAsync(expression, { timeout, what }) {
    // The driver enforces the script timeout itself (and answers "script timeout"); set
    // it per call so a short call after a long one is not left waiting for the long limit.
    if (this.scriptTimeout !== timeout) {
      await this.command('POST', 'timeouts', { script: timeout });
      this.scriptTimeout = timeout;
    }
    // The script is the body of a function whose last argument is the callback that
    // ends the command. A rejection is handed back as a value: the driver would report
    // it only as a bare "javascript error".
    const body = [
      'const done = arguments[arguments.length - 1];',
      `Promise.resolve().then(() => (${expression})).then(`,
      '  (value) => done({ ok: true, value: value === undefined ? null : value }),',
      '  (error) => done({ ok: false, name: String(error?.name ?? "Error"), message: String(error?.message ?? error) }));',
    ].join('\n');
    let outcome;
    try {
      // HTTP gets a margin over the script timeout so the driver's own answer wins.
      outcome = await this.command('POST', 'execute/async', { script: body, args: [] }, { timeout: timeout + 30_000, what });
    } catch (error) {
      if (error.error === 'script timeout') throw new Error(`${this.name}: timed out after ${timeout / 1000} s waiting for ${what}`);
      throw error;
    }
    if (!outcome?.ok) {
      const error = new Error(`${this.name}: ${what}: the page threw ${outcome?.name}: ${outcome?.message}`);
      error.pageError = { name: outcome?.name, message: outcome?.message };
      throw error;
    }
    return outcome.value;
  }

  async open(url, { timeout = 120_000 } = {}) {
    if (this.page && !this.page.closed) throw new Error(`${this.name}: one page at a time: close the page at ${this.page.url} first`);
    await this.command('POST', 'url', { url }, { timeout, what: `the page ${url} to load` });
    this.page = new WebDriverPage(this, url);
    return this.page;
  }

  async close() {
    try {
      if (this.sessionId) await this.command('DELETE', `/session/${this.sessionId}`, undefined, { timeout: 20_000 });
    } catch {
      // The process group is ended below whatever the driver says.
    } finally {
      this.sessionId = null;
      await this.driver.kill();
    }
  }
}

/**
 * Starts Xvfb + WebKitWebDriver, waits until the driver is ready and opens a MiniBrowser
 * session. Answers a browser with `open(url)` (one page at a time) and `close()`.
 */
export function launchWebKit({ sharedArrayBuffer = false, timeout = 60_000 } = {}) {
  return launchWebDriver({
    name: sharedArrayBuffer ? 'webkit-sab' : 'webkit',
    driver: (port) => webkitDriver(port, sharedArrayBuffer),
    capabilities: {
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: BROWSER_ARGS },
    },
    timeout,
  });
}

/**
 * Starts a WebDriver server (`driver(port)` gives its `argv` and `env`, and optionally the
 * `driverName` and `group` that messages use), waits until it is ready and opens a
 * session with `capabilities`.
 */
export async function launchWebDriver({ name, driver: commandLine, capabilities, timeout = 60_000 }) {
  // The port is chosen free, then handed to the driver: another program can take it in
  // between, so a driver that dies before it answers is retried on a fresh port. MiniBrowser
  // itself now and then dies while it starts under Xvfb (a segfault seen here once in a
  // few launches, before any page is opened), and then the session never comes: that is
  // retried too, with a new driver. Nothing of the page has run yet, so nothing is hidden.
  let lastFailure;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const driver = new DriverProcess({ port, ...commandLine(port) });
    const browser = new WebDriverBrowser(driver, name);
    try {
      await waitUntil(
        async () => {
          if (driver.exited) throw new Error(`${driver.driverName} exited before it was ready (${JSON.stringify(driver.exited)}):\n${driver.tail()}`);
          const status = await browser.command('GET', '/status', undefined, { timeout: 5_000 }).catch(() => null);
          return status?.ready === true;
        },
        { timeout, interval: STATUS_POLL_MS, what: `${driver.driverName} on port ${driver.port} to answer GET /status with ready: true` },
      );
      const created = await browser.command(
        'POST',
        '/session',
        {
          capabilities: {
            alwaysMatch: {
              ...capabilities,
              pageLoadStrategy: 'normal',
              // Neither browser should contact anything by itself, but as a backstop every
              // request that is not to loopback goes to a closed loopback port and fails.
              proxy: { proxyType: 'manual', httpProxy: '127.0.0.1:9', sslProxy: '127.0.0.1:9', noProxy: ['127.0.0.1', 'localhost', '[::1]'] },
            },
          },
        },
        { timeout, what: `${name} to start and accept the automation session` },
      );
      browser.sessionId = created.sessionId;
      browser.version = `${created.capabilities?.browserName ?? name} ${created.capabilities?.browserVersion ?? '?'}`;
      return browser;
    } catch (error) {
      lastFailure = error;
      await browser.close().catch(() => {});
    }
  }
  throw lastFailure;
}
