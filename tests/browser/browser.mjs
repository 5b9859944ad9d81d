// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core, a
// fresh profile per launch, the two servers that `cargo xtask test` starts, and the steps
// every lesson's tests take through its panel (set a control, run, cancel, read the
// messages, the reading and the CSV). Not for assertions about one lesson's numbers:
// those stay in its own test file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

export const ISOLATED_URL = process.env.PLAYGROUND_URL ?? 'http://127.0.0.1:8000/';
export const PLAIN_URL = process.env.PLAYGROUND_URL_PLAIN ?? 'http://127.0.0.1:8001/';

/** Every engine, in the order the playground lists them. */
export const ENGINES = ['sequential', 'gil', 'threads', 'processes'];

/** The engine of each of `rows` (table rows, readings or report rows), in order. */
export const enginesOf = (rows) => rows.map((r) => r.engine);

/** Markup a refused setting must show as text: it would set `window.__injected` if it ran. */
export const MARKUP = '<img src=x onerror="window.__injected=1">';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  // playwright-core gives every launch a fresh, temporary profile.
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}

/**
 * Launches one browser before the test file's first test, then runs `ready` (Node 20 runs
 * a file's top-level `before` hooks at once, so set-up that needs the browser goes there),
 * and closes it after the last test; answers a getter for the browser.
 */
export function useBrowser(ready = async () => {}) {
  let browser;
  before(async () => {
    browser = await launch();
    await ready();
  });
  after(async () => {
    await browser?.close();
  });
  return () => browser;
}

/** Collects `page`'s console errors and page errors (with where they came from), so a test can assert there were none. */
export function watchProblems(page) {
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`${message.location()?.url ?? ''}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return problems;
}

/** Waits until the page or frame has `window.parallelPlayground` and its engines are ready. */
export async function playgroundReady(page) {
  await page.waitForFunction(() => window.parallelPlayground !== undefined);
  await page.evaluate(() => window.parallelPlayground.ready);
}

/** Opens the playground and waits until its engines are ready; answers `{ page, problems }`. */
export async function openPlayground(browser, url = ISOLATED_URL) {
  const page = await browser.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  await playgroundReady(page);
  return { page, problems };
}

/** Runs `config` through `window.parallelPlayground.run` in a page or frame, answering the result or the error. */
export function runInPage(page, config) {
  return page.evaluate(async (config) => {
    try {
      return { result: await window.parallelPlayground.run(config) };
    } catch (error) {
      return { error: { name: error.name, message: error.message, errors: error.errors ?? null } };
    }
  }, config);
}

/**
 * Opens the playground at lesson `lesson` and waits until its panel is mounted and idle.
 * Answers `{ page, problems }` like `openPlayground`.
 */
export async function openLesson(browser, lesson, url = ISOLATED_URL) {
  const opened = await openPlayground(browser, `${url}#${lesson}`);
  await opened.page.waitForSelector(`#lesson-${lesson} .lesson-body[data-state="idle"]`, { timeout: 60_000 });
  return opened;
}

/**
 * The steps a test file takes through lesson `lesson`'s panel, on a browser of its own.
 * Controls, buttons and outputs are found by the test ids the lesson kit gives them
 * (`<lesson>-<name>`, the same as their ids); `quick` holds the settings of a short run.
 */
export function lessonHarness(lesson, { quick = {} } = {}) {
  const browser = useBrowser();
  const body = `#lesson-${lesson} .lesson-body`;
  const $ = (name) => `[data-testid="${lesson}-${name}"]`;
  const harness = {
    browser,
    /** Opens the lesson on the isolated page, or on `url`. */
    open: (url = ISOLATED_URL) => openLesson(browser(), lesson, url),
    /** A test that runs `steps(page)` on the lesson freshly opened (at `url` if given) and then asserts the page logged no errors. */
    test: (title, url, steps) =>
      test(title, async () => {
        if (steps === undefined) [url, steps] = [ISOLATED_URL, url];
        const { page, problems } = await harness.open(url);
        await steps(page);
        assert.deepEqual(problems, []);
        await page.close();
      }),
    /** Sets a range or select control the way a learner would, firing input and change; answers the value it took. */
    set: (page, name, value) =>
      page.$eval(
        $(name),
        (control, value) => {
          control.value = String(value);
          control.dispatchEvent(new Event('input', { bubbles: true }));
          control.dispatchEvent(new Event('change', { bubbles: true }));
          return control.value;
        },
        value,
      ),
    /** Sets several controls, `{ name: value }`, in order. */
    async setAll(page, values) {
      for (const [name, value] of Object.entries(values)) await harness.set(page, name, value);
    },
    /** Sets the settings of a short run, with `more` changed. */
    small: (page, more = {}) => harness.setAll(page, { ...quick, ...more }),
    /** Moves log slider `name` to the step that shows `shown`, once the lesson offers it (its choices may follow the core's plan). */
    async pick(page, name, shown) {
      const found = page.waitForFunction(
        ([slider, shows, wanted]) => {
          const input = document.querySelector(slider);
          const output = document.querySelector(shows);
          for (let i = Number(input.min); i <= Number(input.max); i++) {
            input.value = String(i);
            input.dispatchEvent(new Event('input', { bubbles: true }));
            if (output.value === wanted) return true;
          }
          return false;
        },
        [$(name), $(`${name}-value`), shown],
        { timeout: 10_000 },
      );
      await assert.doesNotReject(found, `${name} offers ${shown}`);
    },
    /** Waits until output `name`'s text is `text` (it may follow the core's plan). */
    waitForText: (page, name, text) => page.waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent === text, [$(name), text], { timeout: 10_000 }),
    /** Adds an option with `value` to select `name` and chooses it: input no control offers. */
    force: (page, name, value) =>
      page.$eval(
        $(name),
        (select, value) => {
          select.append(new Option(value, value));
          select.value = value;
          select.dispatchEvent(new Event('change', { bubbles: true }));
        },
        value,
      ),
    /**
     * Presses `button` (Run unless told) and waits until that run ends, asserting it ended
     * `expected`. A run starts only once any preview is in, so the wait is for the state to
     * change after the press, not for a state the panel may still show from the last run.
     */
    async run(page, expected = 'done', button = 'run', timeout = 60_000) {
      const ended = await page.evaluateHandle(
        ([selector, timeout]) => {
          const node = document.querySelector(selector);
          const ends = ['done', 'error', 'cancelled'];
          return {
            state: new Promise((resolve) => {
              setTimeout(() => resolve(`still ${node.dataset.state} after ${timeout} ms`), timeout);
              new MutationObserver(() => ends.includes(node.dataset.state) && resolve(node.dataset.state)).observe(node, { attributeFilter: ['data-state'] });
            }),
          };
        },
        [body, timeout],
      );
      await page.click($(button));
      const outcome = await ended.evaluate((e) => e.state);
      assert.equal(outcome, expected, `ended ${outcome}: ${JSON.stringify(await harness.messages(page))}`);
      return outcome;
    },
    /** Presses Run for a long run and waits until it is running. */
    async start(page) {
      await page.click($('run'));
      await page.waitForSelector(`${body}[data-state="running"]`);
    },
    /** Presses Cancel on a running run and checks that it stopped and says so. */
    async cancel(page) {
      assert.equal(await page.$eval($('cancel'), (b) => b.disabled), false);
      await page.click($('cancel'));
      await page.waitForSelector(`${body}[data-state="cancelled"]`, { timeout: 10_000 });
      assert.ok((await harness.messages(page)).some((m) => m.kind === 'info' && m.text === 'Cancelled.'));
      assert.equal(await page.$eval($('progress-text'), (e) => e.textContent), 'Cancelled.');
      assert.equal(await page.$eval($('run'), (b) => b.disabled), false, 'Run is usable again');
    },
    /**
     * The rows of table `name` (#<lesson>-<name>-table) as plain data: each row's data-*
     * (numbers and booleans parsed), its text, its `cells`' texts by column (`head` for the
     * row's head), whether its check is `verified`, and its `checksum`.
     */
    rows: (page, name = 'results') =>
      page.$$eval(`${$(`${name}-table`)} tbody tr`, (trs) =>
        trs.map((tr) => {
          const parse = (v) => (v === 'true' || v === 'false' ? v === 'true' : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v);
          const data = Object.fromEntries(Object.entries(tr.dataset).map(([key, value]) => [key, parse(value)]));
          const cells = Object.fromEntries([...tr.children].map((cell) => [cell.dataset.label ?? 'head', cell.textContent]));
          return { ...data, text: tr.textContent, cells, verified: tr.querySelector('td.verified') !== null, checksum: tr.querySelector('code')?.textContent ?? '' };
        }),
      ),
    /** The messages shown, in order, each with its kind. */
    messages: (page) => page.$$eval(`${$('messages')} p`, (ps) => ps.map((p) => ({ kind: p.dataset.kind, text: p.textContent }))),
    /** The messages as the learner reads them. */
    messageText: (page) => page.locator($('messages')).innerText(),
    /** The reading: the core's findings in words, each with its kind and engine. */
    reading: (page) => page.$$eval(`${$('reading')} li`, (lis) => lis.map((li) => ({ kind: li.dataset.kind, engine: li.dataset.engine, text: li.textContent }))),
    /** Downloads the CSV and answers its file name and its lines. */
    async csv(page) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.click($('download-csv'))]);
      return { name: download.suggestedFilename(), lines: (await readFile(await download.path(), 'utf8')).trim().split('\r\n') };
    },
    /** Runs with a setting the driver refuses and checks that its message, `pattern`, quotes the markup as text. */
    async refused(page, pattern) {
      await harness.run(page, 'error');
      const shown = await harness.messages(page);
      assert.ok(
        shown.some((m) => m.kind === 'error' && pattern.test(m.text)),
        JSON.stringify(shown),
      );
      assert.equal(await page.$$eval(`#lesson-${lesson} img`, (imgs) => imgs.length), 0);
      assert.equal(await page.evaluate(() => window.__injected), undefined);
      assert.equal(await page.$eval($('run'), (b) => b.disabled), false, 'Run is usable again');
    },
    /** Checks that `engines` are switched off with the reason on a page that is not isolated. */
    async offWithoutIsolation(page, engines = ['gil', 'threads']) {
      for (const engine of engines) {
        assert.equal(await page.$eval($(`engine-${engine}`), (b) => b.disabled && !b.checked), true, engine);
        assert.match(await page.$eval($(`engine-${engine}-reason`), (e) => e.textContent), /^unavailable: .*cross-origin isolated/);
      }
    },
    /** On a page that is not isolated: checks the thread engines are off, then makes a short run (`more` changed). */
    async runWithoutIsolation(page, more) {
      await harness.offWithoutIsolation(page);
      await harness.small(page, more);
      await harness.run(page);
    },
    /** Cancels the run going on, then makes a short run (`more` changed): a Cancel leaves the lesson usable. */
    async cancelAndRunAgain(page, more) {
      await harness.cancel(page);
      await harness.small(page, more);
      await harness.run(page);
    },
  };
  return harness;
}
