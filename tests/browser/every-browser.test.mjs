// The playground beyond Chromium: the same checks in Firefox (firefox-esr over WebDriver
// BiDi), in WebKitGTK with SharedArrayBuffer on ('webkit-sab': what Safari does on a
// cross-origin isolated page) and in WebKitGTK as shipped ('webkit': SharedArrayBuffer is
// missing even on an isolated page, so the page has to fall back to its plain build).
// For each browser, on the cross-origin isolated and on the plain URL: the page starts,
// the engines it offers return the sequential checksum, the ones it refuses say why,
// the Python pool runs a map, Cancel stops a long run and a wasm panic is recovered from.
//
//   PLAYGROUND_BROWSERS=firefox,webkit-sab,webkit   (the default: all three)
//   PLAYGROUND_URL=http://127.0.0.1:8000/ PLAYGROUND_URL_PLAIN=http://127.0.0.1:8001/
//   node --test tests/browser/every-browser.test.mjs
//
// No test asserts a timing; every wait is on a state, with a deadline that names it.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, BROWSER_NAMES } from './drivers/index.mjs';

const URLS = {
  isolated: process.env.PLAYGROUND_URL ?? 'http://127.0.0.1:8000/',
  plain: process.env.PLAYGROUND_URL_PLAIN ?? 'http://127.0.0.1:8001/',
};

const BROWSERS = (process.env.PLAYGROUND_BROWSERS ?? BROWSER_NAMES.join(','))
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);
for (const name of BROWSERS) {
  if (!BROWSER_NAMES.includes(name)) throw new Error(`PLAYGROUND_BROWSERS: unknown browser ${JSON.stringify(name)}; choose from ${BROWSER_NAMES.join(', ')}`);
}

const ENGINES = ['sequential', 'gil', 'threads', 'processes'];
const SMALL = { workload: 'sum_of_squares', n: 200_000, tasks: 8, chunksize: 2, workers: 2, repetitions: 1, warmup: 0 };
// Several seconds a repetition on this machine, five of them: only a working Cancel ends
// it early. (The sequential reference is computed first, before any 'timed' progress.)
const LONG = { engine: 'sequential', workload: 'sum_of_squares', n: 500_000_000, tasks: 8, workers: 2, repetitions: 5, warmup: 0 };

const PYTHON_MAP = `
from concurrent.futures import ProcessPoolExecutor

def square(x):
    return x * x

if __name__ == '__main__':
    with ProcessPoolExecutor() as pool:
        print(list(pool.map(square, range(10))))
`;
const PYTHON_WORKERS = 2;

// A test that goes past this is stuck; the page calls inside have their own deadlines.
const TEST_TIMEOUT_MS = 10 * 60_000;

/**
 * What each browser should offer on each URL. On the plain URL nothing has shared
 * memory. On the isolated URL Firefox and WebKit with SharedArrayBuffer run the threaded
 * build; WebKit without it is cross-origin isolated yet cannot share memory between
 * workers, so the page must fall back to the plain build and say why on the page.
 */
function expectations(browser, kind) {
  if (kind === 'plain') return { isolated: false, build: 'plain', available: ['sequential', 'processes'], threadsOffNotice: false };
  if (browser === 'webkit') return { isolated: true, build: 'plain', available: ['sequential', 'processes'], threadsOffNotice: true };
  return { isolated: true, build: 'threaded', available: ENGINES, threadsOffNotice: false };
}

/** Waits until the playground in `page` has started or has said it could not. */
async function startPlayground(page, url) {
  await page.waitFor(() => window.parallelPlayground !== undefined || document.body.dataset.app === 'failed', null, {
    timeout: 120_000,
    what: `window.parallelPlayground to appear on ${url} (or body[data-app] to become 'failed')`,
  });
  const state = await page.evaluate(
    async () => {
      const pp = window.parallelPlayground;
      if (!pp) return { error: 'window.parallelPlayground never appeared' };
      try {
        await pp.ready;
      } catch (error) {
        return { error: `window.parallelPlayground.ready rejected: ${error?.name}: ${error?.message}` };
      }
      try {
        return { caps: await pp.capabilities() };
      } catch (error) {
        return { error: `capabilities() rejected: ${error?.name}: ${error?.message}` };
      }
    },
    null,
    { timeout: 180_000, what: `window.parallelPlayground.ready and capabilities() on ${url}` },
  );
  // The shell marks the body once it has shown the capabilities (or the failure).
  const app = await page.waitFor(() => (document.body.dataset.app !== 'starting' ? document.body.dataset.app : null), null, {
    timeout: 60_000,
    what: `body[data-app] on ${url} to leave 'starting'`,
  });
  return { app, ...state };
}

/** What the page shows when it could not start, for failure messages. */
async function startupReport(page) {
  if (!page) return '';
  const shown = await page
    .evaluate(
      () => ({
        app: document.body.dataset.app,
        startupError: document.querySelector('[data-testid="startup-error"]')?.textContent?.trim() ?? '',
        messages: document.querySelector('[data-testid="messages"]')?.textContent?.trim() ?? '',
      }),
      null,
      { timeout: 30_000, what: 'the page state for the failure message' },
    )
    .catch((error) => ({ unreadable: error.message }));
  return ` (page: ${JSON.stringify(shown)}; errors seen: ${JSON.stringify(await page.problems())})`;
}

/**
 * page.evaluate for calls that may hang: the page function keeps what it has seen so far
 * in `window.__probe`, and a failure (a deadline, most likely) says what that was.
 */
async function probed(page, fn, arg, options) {
  try {
    return await page.evaluate(fn, arg, options);
  } catch (error) {
    const probe = await page.evaluate(() => window.__probe ?? null, null, { timeout: 30_000, what: 'window.__probe' }).catch((e) => `unreadable: ${e.message}`);
    error.message += `\nlast state seen in the page: ${JSON.stringify(probe)}`;
    // Free the engines (and end a Python pool) for the tests that follow; this one has
    // failed already.
    await page
      .evaluate(
        () => {
          window.__pythonSession?.close();
          return window.parallelPlayground?.cancel();
        },
        null,
        { timeout: 60_000, what: 'cancel() after a failed call' },
      )
      .catch(() => {});
    throw error;
  }
}

/** Runs one map through window.parallelPlayground.run, answering { result } or { error }. */
function runMap(page, config) {
  return probed(
    page,
    async (config) => {
      const probe = (window.__probe = { call: `run ${config.engine}`, phases: [] });
      try {
        const r = await window.parallelPlayground.run(config, { onProgress: ({ phase }) => probe.phases.push(phase) });
        return { result: { checksum: r.checksum, expected: r.expected, verified: r.verified, engine: r.config.engine } };
      } catch (error) {
        return { error: { name: error?.name, message: error?.message } };
      }
    },
    config,
    { what: `parallelPlayground.run(${JSON.stringify(config)})` },
  );
}

for (const name of BROWSERS) {
  describe(name, { timeout: 4 * TEST_TIMEOUT_MS }, () => {
    let browser;

    before(async () => {
      browser = await openBrowser(name);
    });

    after(async () => {
      await browser?.close();
    });

    for (const kind of ['isolated', 'plain']) {
      const url = URLS[kind];
      const expected = expectations(name, kind);

      describe(`${kind} page`, () => {
        let page = null;
        let started = null; // { app, caps } or { app, error }
        let startFailure = null;
        let reference = null; // the sequential checksum of SMALL

        // A page that does not start fails every test below with the reason, at once.
        before(async () => {
          try {
            page = await browser.open(url);
            started = await startPlayground(page, url);
          } catch (error) {
            startFailure = error;
          }
        });

        after(async () => {
          await page?.close();
        });

        /** The started page, or a failure that says why it is not there. */
        async function playground() {
          if (startFailure) throw new Error(`${name}: ${url} did not load or start: ${startFailure.message}${await startupReport(page)}`);
          if (started.error) throw new Error(`${name}: the playground on ${url} did not start: ${started.error}${await startupReport(page)}`);
          return { page, ...started };
        }

        async function sequentialReference(page) {
          if (reference) return reference;
          const { result, error } = await runMap(page, { ...SMALL, engine: 'sequential' });
          assert.ok(result, `sequential: ${JSON.stringify(error)}`);
          reference = result.checksum;
          return reference;
        }

        test(`starts and answers capabilities() (${url})`, { timeout: TEST_TIMEOUT_MS }, async () => {
          const { page, caps, app } = await playground();
          assert.equal(app, 'ready', `body[data-app] is ${app}${await startupReport(page)}`);
          const pageIsolated = await page.evaluate(() => globalThis.crossOriginIsolated === true, null, { what: 'crossOriginIsolated' });
          assert.equal(pageIsolated, expected.isolated, `crossOriginIsolated on ${url}`);
          assert.equal(caps.isolated, expected.isolated, `capabilities().isolated on ${url}`);
          assert.ok(caps.cores >= 1, `cores: ${caps.cores}`);
          assert.deepEqual(
            caps.engines.map((e) => e.id),
            ENGINES,
          );
        });

        test(`offers the engines this browser supports, and says why about the others`, { timeout: TEST_TIMEOUT_MS }, async () => {
          const { page, caps } = await playground();
          assert.equal(caps.build, expected.build, `build on ${url}: ${JSON.stringify(caps)}`);
          const available = caps.engines.filter((e) => e.available).map((e) => e.id);
          assert.deepEqual(available, expected.available, JSON.stringify(caps.engines));
          for (const engine of caps.engines.filter((e) => !e.available)) {
            assert.equal(typeof engine.reason, 'string', `${engine.id}: reason`);
            assert.ok(engine.reason.trim().length > 0, `${engine.id} is unavailable with no reason`);
          }
          if (expected.threadsOffNotice) {
            // The page itself, not only the API, tells the learner the threads are off.
            const messages = await page.evaluate(() => document.querySelector('[data-testid="messages"]')?.textContent ?? null, null, {
              what: 'the text of [data-testid="messages"]',
            });
            assert.match(messages ?? '', /thread/i, `[data-testid="messages"] should say the thread engines are off: ${JSON.stringify(messages)}`);
          }
        });

        test(`every available engine returns the sequential checksum`, { timeout: TEST_TIMEOUT_MS }, async () => {
          const { page, caps } = await playground();
          const expectedChecksum = await sequentialReference(page);
          for (const engine of caps.engines.filter((e) => e.available).map((e) => e.id)) {
            const { result, error } = await runMap(page, { ...SMALL, engine });
            assert.ok(result, `${engine}: ${JSON.stringify(error)}`);
            assert.equal(result.checksum, expectedChecksum, engine);
            assert.equal(result.expected, expectedChecksum, engine);
            assert.equal(result.verified, true, engine);
          }
        });

        test(`the Python pool runs a map`, { timeout: TEST_TIMEOUT_MS }, async (t) => {
          const { page } = await playground();
          const outcome = await probed(
            page,
            async ({ code, workers }) => {
              const probe = (window.__probe = { call: 'python', statuses: [], output: [] });
              const { PythonSession } = await import(new URL('python/client/session.js', location.href).href);
              const session = new PythonSession({
                onStatus: (status) => probe.statuses.push(status),
                onOutput: ({ worker, text }) => probe.output.push(`${worker}: ${text}`),
              });
              window.__pythonSession = session;
              const means = {
                jspi: typeof WebAssembly.Suspending === 'function',
                sharedMemory: typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true,
              };
              try {
                let info;
                try {
                  info = await session.start(workers);
                } catch (error) {
                  return { means, startError: `${error?.name}: ${error?.message}` };
                }
                const run = await session.run(code);
                return {
                  means,
                  info: { mode: info.mode, workers: info.workers.length, snapshot: info.snapshot },
                  run: { ok: run.ok, error: run.error, mode: run.mode, main: run.output.filter((l) => l.worker === 'main').map((l) => l.text) },
                };
              } finally {
                session.close(); // its interpreters would keep using the two cores
              }
            },
            { code: PYTHON_MAP, workers: PYTHON_WORKERS },
            { timeout: 300_000, what: `PythonSession.start(${PYTHON_WORKERS}) and a ProcessPoolExecutor map on ${url}` },
          );
          assert.equal(outcome.startError, undefined, `start() failed: ${outcome.startError}`);
          t.diagnostic(
            `${name} ${kind}: start() mode ${outcome.info.mode}, snapshot ${outcome.info.snapshot}; run mode ${outcome.run.mode}; JSPI ${outcome.means.jspi}, shared memory ${outcome.means.sharedMemory}`,
          );
          assert.equal(outcome.info.workers, PYTHON_WORKERS);
          // Where threads share memory, the parent blocks on it too.
          if (expected.build === 'threaded') assert.equal(outcome.info.mode, 'sab');
          if (!outcome.means.jspi && outcome.info.mode === 'none') {
            // Python's pool blocks the parent through JSPI or shared memory; a page in a
            // browser with neither that works (WebKit without JSC_useSharedArrayBuffer, even
            // on an isolated page) cannot run it, and must say so readably.
            assert.equal(outcome.run.error?.type, 'NoBlockingError', JSON.stringify(outcome.run.error));
            assert.ok(outcome.run.error.message.length > 0);
            t.diagnostic(`${name} ${kind}: no way to block here, so the map was refused: ${outcome.run.error.message}`);
            return;
          }
          assert.equal(outcome.run.ok, true, `${outcome.run.error?.type}: ${outcome.run.error?.message}\n${outcome.run.error?.traceback ?? ''}`);
          assert.deepEqual(outcome.run.main, ['[0, 1, 4, 9, 16, 25, 36, 49, 64, 81]']);
        });

        test(`Cancel stops a long run and the next run works`, { timeout: TEST_TIMEOUT_MS }, async () => {
          const { page } = await playground();
          const expectedChecksum = await sequentialReference(page);
          const outcome = await probed(
            page,
            async (config) => {
              const pp = window.parallelPlayground;
              const phases = [];
              window.__probe = { call: 'cancel', phases };
              let markRunning;
              const running = new Promise((resolve) => {
                markRunning = resolve;
              });
              const settled = pp
                .run(config, {
                  onProgress: ({ phase }) => {
                    phases.push(phase);
                    if (phase === 'timed' || phase === 'warmup') markRunning();
                  },
                })
                .then(
                  () => ({ outcome: 'finished' }),
                  (error) => ({ outcome: 'rejected', name: error?.name, message: error?.message }),
                );
              // Cancel only once the engine is really in the timed runs.
              const first = await Promise.race([running.then(() => 'running'), settled.then(() => 'settled')]);
              if (first === 'settled') return { ...(await settled), phases, cancelled: false };
              await pp.cancel();
              return { ...(await settled), phases, cancelled: true };
            },
            LONG,
            { timeout: 300_000, what: `a long sequential run to reach its timed phase, then cancel() to end it` },
          );
          assert.equal(outcome.cancelled, true, `the run settled before it was seen running: ${JSON.stringify(outcome)}`);
          assert.equal(outcome.outcome, 'rejected', `the long run was not stopped: ${JSON.stringify(outcome)}`);
          assert.equal(outcome.name, 'CancelledError', JSON.stringify(outcome));
          const next = await runMap(page, { ...SMALL, engine: 'sequential' });
          assert.ok(next.result, `after cancel: ${JSON.stringify(next.error)}`);
          assert.equal(next.result.checksum, expectedChecksum);
          assert.equal(next.result.verified, true);
        });

        test(`a wasm panic is reported and the engines recover`, { timeout: TEST_TIMEOUT_MS }, async () => {
          const { page, caps } = await playground();
          const expectedChecksum = await sequentialReference(page);
          const panic = await probed(
            page,
            () =>
              (window.__probe = { call: 'panicForTesting(), then the engines restarting' }) &&
              window.parallelPlayground.panicForTesting().then(
                () => ({ outcome: 'resolved' }),
                (error) => ({ outcome: 'rejected', name: error?.name, message: error?.message }),
              ),
            null,
            { what: 'panicForTesting() to reject' },
          );
          assert.equal(panic.outcome, 'rejected', JSON.stringify(panic));
          assert.equal(panic.name, 'EnginePanic', JSON.stringify(panic));
          assert.equal(typeof panic.message, 'string');
          assert.match(panic.message, /panic/i);
          // The most demanding engine this page has must work again.
          const engine = ['threads', 'processes', 'sequential'].find((id) => caps.engines.some((e) => e.id === id && e.available));
          const after = await runMap(page, { ...SMALL, engine });
          assert.ok(after.result, `${engine} after the panic: ${JSON.stringify(after.error)}`);
          assert.equal(after.result.checksum, expectedChecksum, engine);
          assert.equal(after.result.verified, true);
        });
      });
    }
  });
}
