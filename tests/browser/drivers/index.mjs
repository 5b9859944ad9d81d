// One interface over the non-Chromium browsers of the tests:
//
//   const browser = await openBrowser('firefox');  // or 'webkit-sab', 'webkit'
//   const page = await browser.open(url);
//   const answer = await page.evaluate(async (n) => n + 1, 41, { what: 'an addition' });
//   await page.waitFor(() => document.body.dataset.app !== 'starting', null, { what: 'the app to settle' });
//   await page.close();
//   await browser.close();
//
// `evaluate(fn, arg)` runs `fn(arg)` in the page: `fn` is a function (or its source) that
// may be async and must not use anything from the test's scope; `arg` and the result go
// through JSON, identically in every browser (undefined becomes null). An exception in
// the page rejects with an Error whose message has its name and message (`pageError`
// keeps both). Every call has a deadline, generous by default, and the error it gives
// names what was being waited for.
//
// 'webkit-sab' is WebKitGTK with SharedArrayBuffer switched on (JSC_useSharedArrayBuffer=1),
// which is how Safari behaves on a cross-origin isolated page; 'webkit' is WebKitGTK as
// shipped, where SharedArrayBuffer is missing even there.
import { launchFirefox, launchFirefoxClassic } from './firefox.mjs';
import { launchWebKit } from './webdriver.mjs';

export const BROWSER_NAMES = ['firefox', 'webkit-sab', 'webkit'];

/** The default deadline of one evaluate(): Pyodide can take a minute to start in WebKit. */
export const EVALUATE_TIMEOUT_MS = 180_000;

const WAIT_POLL_MS = 100;

/** The expression that calls `fn(arg)` and always resolves to a JSON string of the outcome. */
function pageCall(fn, arg) {
  const source = typeof fn === 'function' ? fn.toString() : String(fn);
  // JSON text is a valid JavaScript expression, so the argument is written in place;
  // no eval in the page, which the playground's Content-Security-Policy would refuse.
  const argument = JSON.stringify(arg === undefined ? null : arg);
  return `(async () => {
  try {
    const value = await (${source})(${argument});
    return JSON.stringify({ ok: true, value: value === undefined ? null : value });
  } catch (error) {
    return JSON.stringify({ ok: false, name: String(error?.name ?? 'Error'), message: String(error?.message ?? error) });
  }
})()`;
}

function summarize(fn) {
  const source = String(fn).replace(/\s+/g, ' ').trim();
  return `the page function ${source.length > 120 ? `${source.slice(0, 120)}…` : source}`;
}

// Errors the page reports on its main thread, kept in the page for problems().
const COLLECT_ERRORS = () => {
  if (window.__driverErrors) return;
  window.__driverErrors = [];
  window.addEventListener('error', (event) => window.__driverErrors.push(`error: ${event.message}`));
  window.addEventListener('unhandledrejection', (event) => window.__driverErrors.push(`unhandledrejection: ${event.reason?.message ?? event.reason}`));
};

class Page {
  constructor(browser, inner, url) {
    this.browser = browser;
    this.inner = inner;
    this.url = url;
  }

  async evaluate(fn, arg, { timeout = EVALUATE_TIMEOUT_MS, what = summarize(fn) } = {}) {
    const text = await this.inner.evaluateExpression(pageCall(fn, arg), { timeout, what });
    const outcome = JSON.parse(text);
    if (!outcome.ok) {
      const error = new Error(`${this.browser.name}: ${what}: the page threw ${outcome.name}: ${outcome.message}`);
      error.pageError = { name: outcome.name, message: outcome.message };
      throw error;
    }
    return outcome.value;
  }

  /**
   * Polls `fn(arg)` in the page until it answers something truthy, and answers that.
   * Rejects after `timeout` ms naming `what`.
   */
  async waitFor(fn, arg, { timeout = EVALUATE_TIMEOUT_MS, what = summarize(fn), interval = WAIT_POLL_MS } = {}) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.browser.name}: timed out after ${timeout / 1000} s waiting for ${what}`);
      const value = await this.evaluate(fn, arg, { timeout: left, what });
      if (value) return value;
      await new Promise((resolve) => setTimeout(resolve, interval));
    }
  }

  /**
   * Errors seen on the page's main thread since open(): uncaught exceptions and
   * unhandled rejections (listened for from just after load), plus, in Firefox, every
   * console.error and page error puppeteer reported.
   */
  async problems() {
    const seen = await this.evaluate(() => window.__driverErrors ?? [], null, { timeout: 30_000, what: 'the page errors collected' }).catch((error) => [
      `(could not read the page's errors: ${error.message})`,
    ]);
    return [...(this.inner.errors ?? []), ...seen];
  }

  async close() {
    await this.inner.close();
  }
}

class Browser {
  constructor(name, inner) {
    this.name = name;
    this.inner = inner;
    this.version = inner.version;
  }

  /** Opens `url` in a new page (WebKit: in its one window; close the previous page first). */
  async open(url, { timeout = EVALUATE_TIMEOUT_MS } = {}) {
    const page = new Page(this, await this.inner.open(url, { timeout }), url);
    try {
      await page.evaluate(COLLECT_ERRORS, null, { timeout: 30_000, what: 'the error listeners to be installed' });
    } catch (error) {
      await page.close().catch(() => {});
      throw error;
    }
    return page;
  }

  async close() {
    await this.inner.close();
  }
}

/** Starts `name` (one of BROWSER_NAMES) and answers the uniform browser. */
export async function openBrowser(name, options = {}) {
  switch (name) {
    case 'firefox':
      // PLAYGROUND_FIREFOX_PROTOCOL=bidi drives it through puppeteer-core instead.
      return new Browser(name, await (process.env.PLAYGROUND_FIREFOX_PROTOCOL === 'bidi' ? launchFirefox(options) : launchFirefoxClassic(options)));
    case 'webkit-sab':
      return new Browser(name, await launchWebKit({ ...options, sharedArrayBuffer: true }));
    case 'webkit':
      return new Browser(name, await launchWebKit({ ...options, sharedArrayBuffer: false }));
    default:
      throw new Error(`unknown browser ${JSON.stringify(name)}: choose from ${BROWSER_NAMES.join(', ')}`);
  }
}
