// Embedding in course material: an example course page on its own origin embeds a lesson
// by raw iframe and by <parallel-playground>; the static deploy (`cargo xtask dist`) works
// from a sub-path with its _headers, and without any headers through the service worker.
// Every scenario also checks that no request leaves the origins it is allowed to use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useBrowser, watchProblems, playgroundReady, runInPage, ENGINES } from './browser.mjs';

// Started by `cargo xtask test` (see xtask/src/test.rs).
const COURSE_URL = process.env.PLAYGROUND_COURSE_URL ?? 'http://127.0.0.1:8302/';
const DIST_URL = process.env.PLAYGROUND_DIST_URL ?? 'http://127.0.0.1:8303/course/playground/';
const NOHEADERS_URL = process.env.PLAYGROUND_DIST_NOHEADERS_URL ?? 'http://127.0.0.1:8304/course/playground/';

const LESSON = 'engines';
// Small enough to finish in a second or two on two cores.
const PRESETS = { lesson: LESSON, autorun: '1', engine: 'sequential,threads,processes', workers: '2', tasks: '4', n: '1000000', repetitions: '1', warmup: '0' };
const SMALL_RUN = { workload: 'sum_of_squares', workers: 2, tasks: 4, n: 1_000_000, repetitions: 1, warmup: 0 };

const browser = useBrowser();

/**
 * A fresh context (no service worker carried over) that records every request, and which
 * ones are still unanswered (named when a wait times out), with a page whose problems are
 * collected.
 */
async function freshContext() {
  const context = await browser().newContext();
  const requests = [];
  pending = new Set();
  context.on('request', (request) => {
    requests.push(request.url());
    pending.add(request);
  });
  context.on('requestfinished', (request) => pending.delete(request));
  context.on('requestfailed', (request) => pending.delete(request));
  const page = await context.newPage();
  return { context, requests, page, problems: watchProblems(page) };
}

let pending = new Set();
const unanswered = () => [...pending].map((r) => r.url()).join(', ') || 'none';

/** Requests whose URL is not under one of `allowed` (origins or path prefixes) nor blob:/data:. */
function strayRequests(requests, allowed) {
  return requests.filter((url) => !url.startsWith('blob:') && !url.startsWith('data:') && !allowed.some((prefix) => url.startsWith(prefix)));
}

const originOf = (url) => `${new URL(url).origin}/`;

async function waitFor(check, { timeout = 30_000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A navigation in progress; try again.
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (requests still unanswered: ${unanswered()})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The course page; its iframes are waited for one by one, so not its load event. */
async function gotoCourse(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
}

function courseUrl(extra = {}, playground = DIST_URL) {
  return `${COURSE_URL}course.html?${new URLSearchParams({ playground, ...PRESETS, ...extra })}`;
}

/** The playground frame inside `selector` (an iframe), once its engines are ready. */
async function playgroundFrame(page, selector, site = DIST_URL) {
  const handle = await page.waitForSelector(selector, { state: 'attached' });
  // The iframes load lazily: bring each into view.
  await handle.scrollIntoViewIfNeeded();
  let frame = null;
  await waitFor(
    async () => {
      frame = await handle.contentFrame();
      return frame !== null && frame.url().startsWith(site);
    },
    { what: `${selector} to load the playground` },
  );
  await frame
    .waitForFunction(() => window.parallelPlayground !== undefined, null, { timeout: 60_000 })
    .catch((error) => {
      throw new Error(`${selector}: the playground did not start (requests still unanswered: ${unanswered()}): ${error.message}`);
    });
  await frame.evaluate(() => window.parallelPlayground.ready);
  return { frame, handle };
}

/** Runs the small job on `engine` in a page or frame and checks it matched the sequential checksum. */
async function runVerified(frame, engine) {
  const { result, error } = await runInPage(frame, { ...SMALL_RUN, engine });
  assert.ok(result, `${engine}: ${JSON.stringify(error)}`);
  assert.equal(result.verified, true);
  return result;
}

/**
 * What every embedded lesson must do inside a course page that is not isolated. With the
 * deploy's headers, Document-Isolation-Policy isolates the frame on its own (Chromium), so
 * the thread engines run there too; without them the frame falls back to its plain build
 * and says why.
 */
async function checkEmbeddedLesson(frame, { isolated, site = DIST_URL }) {
  assert.equal(await frame.evaluate(() => self.crossOriginIsolated), isolated);
  const caps = await frame.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, isolated);
  assert.equal(caps.build, isolated ? 'threaded' : 'plain');
  const engines = Object.fromEntries(caps.engines.map((e) => [e.id, e]));
  assert.equal(engines.sequential.available, true);
  assert.equal(engines.processes.available, true);
  assert.equal(engines.threads.available, isolated);
  if (!isolated) assert.ok(engines.threads.reason, 'threads say why they are off');

  // autorun=1 ran the preset engines and the lesson shows their results.
  await frame.waitForSelector(`#lesson-${LESSON} .lesson-body[data-state=done]`, { timeout: 60_000 });
  assert.equal(await frame.locator(`#${LESSON}-results-table-body tr`).count(), isolated ? 3 : 2);
  assert.equal(await frame.isVisible(`#${LESSON}-results`), true);
  assert.equal(await frame.isDisabled(`#${LESSON}-engine-threads`), !isolated);

  // Every available engine runs for real through the scriptable surface, and matches the
  // sequential checksum.
  const sequential = await runInPage(frame, { ...SMALL_RUN, engine: 'sequential' });
  assert.ok(sequential.result, JSON.stringify(sequential.error));
  for (const engine of isolated ? ['threads', 'processes'] : ['processes']) {
    const result = await runVerified(frame, engine);
    assert.equal(result.checksum, sequential.result.checksum, engine);
    assert.equal(new Set(result.timeline.map((c) => c.worker)).size <= 2, true);
  }

  // The way out to the isolated full page.
  const full = frame.locator('#open-full');
  assert.equal(await full.isVisible(), true);
  assert.equal(await full.getAttribute('target'), '_blank');
  const href = new URL(await full.getAttribute('href'));
  assert.equal(href.searchParams.has('embed'), false);
  assert.equal(href.searchParams.get('lesson'), LESSON);
  assert.equal(href.origin + href.pathname, new URL('index.html', site).href);
}

test('embed.js is one small script with no dependencies', async () => {
  const source = await readFile(new URL('../../www/embed.js', import.meta.url), 'utf8');
  assert.ok(Buffer.byteLength(source) < 4096, `embed.js is ${Buffer.byteLength(source)} bytes`);
  assert.doesNotMatch(source, /^\s*import\s|\bimport\(|\brequire\(|innerHTML|insertAdjacentHTML|document\.write/m);
});

test('a raw iframe on a course page that is not isolated runs threads all the same', async () => {
  const { context, requests, page, problems } = await freshContext();
  await gotoCourse(page, courseUrl());
  const { frame, handle } = await playgroundFrame(page, '#raw-frame');
  assert.equal(await handle.getAttribute('allow'), 'cross-origin-isolated');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  await checkEmbeddedLesson(frame, { isolated: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(strayRequests(requests, [COURSE_URL, DIST_URL]), []);
  await context.close();
});

test('an iframe from a host that sends no headers falls back to the plain build and says why', async () => {
  const { context, requests, page, problems } = await freshContext();
  await gotoCourse(page, courseUrl({}, NOHEADERS_URL));
  const { frame } = await playgroundFrame(page, '#raw-frame', NOHEADERS_URL);
  await checkEmbeddedLesson(frame, { isolated: false, site: NOHEADERS_URL });
  assert.match(await frame.textContent('[data-testid=messages]'), /not cross-origin isolated/);
  assert.deepEqual(problems, []);
  assert.deepEqual(strayRequests(requests, [COURSE_URL, NOHEADERS_URL]), []);
  await context.close();
});

test('<parallel-playground> builds the iframe, runs threads in it and says when it is ready', async () => {
  const { context, requests, page, problems } = await freshContext();
  // The element's events bubble to the course page's window.
  await page.addInitScript(() => {
    if (window.top !== window) return;
    window.__embedEvents = [];
    for (const type of ['parallelplayground:ready', 'parallelplayground:error']) {
      addEventListener(type, (event) => window.__embedEvents.push({ type, target: event.target.id, detail: event.detail }));
    }
  });
  await gotoCourse(page, courseUrl());
  const { frame, handle } = await playgroundFrame(page, '#element-embed iframe');
  const attributes = await handle.evaluate((iframe) => ({
    allow: iframe.getAttribute('allow'),
    loading: iframe.getAttribute('loading'),
    title: iframe.getAttribute('title'),
    src: iframe.src,
    width: iframe.getBoundingClientRect().width,
    slot: iframe.parentElement.getBoundingClientRect().width,
  }));
  assert.equal(attributes.allow, 'cross-origin-isolated');
  assert.equal(attributes.loading, 'lazy');
  assert.equal(attributes.title, `Parallel playground: ${LESSON}`);
  assert.equal(attributes.width, attributes.slot, 'the iframe fills the element');
  const src = new URL(attributes.src);
  assert.equal(src.origin + src.pathname, new URL('index.html', DIST_URL).href, 'index.html next to embed.js');
  assert.equal(src.searchParams.get('embed'), '1');
  for (const [name, value] of Object.entries(PRESETS)) assert.equal(src.searchParams.get(name), value, name);
  assert.deepEqual(
    [...src.searchParams.keys()].filter((k) => k === 'id'),
    [],
    'own attributes stay on the element',
  );
  const ready = await page.evaluate(() => document.getElementById('element-embed').ready);
  assert.equal(ready.isolated, true);
  assert.equal(ready.build, 'threaded');
  assert.deepEqual(
    ready.engines.map((e) => [e.id, e.available]),
    ENGINES.map((id) => [id, true]),
  );
  const events = await page.evaluate(() => window.__embedEvents);
  assert.deepEqual(
    events.map((e) => [e.type, e.target]),
    [['parallelplayground:ready', 'element-embed']],
  );
  assert.equal(events[0].detail.build, 'threaded');
  await checkEmbeddedLesson(frame, { isolated: true });
  assert.deepEqual(problems, []);
  assert.deepEqual(strayRequests(requests, [COURSE_URL, DIST_URL]), []);
  await context.close();
});

test('attributes reach the page as URL parameters, never as markup', async () => {
  const { context, page } = await freshContext();
  await gotoCourse(page, courseUrl({ autorun: '0' }));
  await page.waitForSelector('#element-embed iframe', { state: 'attached' });
  const payload = '"><img src=x onerror="window.__injected=1">';
  const built = await page.evaluate(
    ({ payload, lesson }) => {
      const element = document.createElement('parallel-playground');
      element.id = 'probe';
      element.setAttribute('lesson', lesson);
      element.setAttribute('workers', payload);
      element.setAttribute('class', 'wide');
      element.setAttribute('data-note', 'x');
      element.setAttribute('aria-label', 'y');
      element.setAttribute('height', '300');
      document.body.append(element);
      const iframe = element.querySelector('iframe');
      return { src: iframe.src, height: iframe.style.height, images: document.querySelectorAll('img').length, injected: window.__injected ?? null };
    },
    { payload, lesson: LESSON },
  );
  const url = new URL(built.src);
  assert.equal(url.searchParams.get('workers'), payload);
  assert.equal(url.searchParams.get('lesson'), LESSON);
  for (const own of ['class', 'data-note', 'aria-label', 'height', 'id']) assert.equal(url.searchParams.has(own), false, own);
  assert.equal(built.height, '300px');
  assert.equal(built.images, 0);
  assert.equal(built.injected, null);

  // Changing an attribute reloads the frame with the new setting.
  await page.evaluate(() => {
    const element = document.getElementById('probe');
    element.setAttribute('workers', '3');
  });
  await page.waitForFunction(() => new URL(document.querySelector('#probe iframe').src).searchParams.get('workers') === '3', null, { timeout: 10_000 });
  await context.close();
});

test('the course page sizes both iframes from the height messages', async () => {
  const { context, page } = await freshContext();
  // Record every resize message the course page receives, with the frame it came from.
  await page.addInitScript(() => {
    if (window.top !== window) return;
    window.__resizes = [];
    addEventListener('message', (event) => {
      if (event.data?.type !== 'parallel-playground:resize') return;
      const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === event.source);
      window.__resizes.push({ frame: frame?.id || frame?.parentElement?.id || null, origin: event.origin, data: event.data });
    });
  });
  await gotoCourse(page, courseUrl());
  const frames = { 'raw-frame': '#raw-frame', 'element-embed': '#element-embed iframe' };
  for (const selector of Object.values(frames)) await playgroundFrame(page, selector);
  for (const [id, selector] of Object.entries(frames)) {
    // The autorun's results make the page taller; the frame follows the last report.
    await page.waitForSelector(`${selector}`, { state: 'attached' });
    await waitFor(
      () =>
        page.evaluate(
          ({ id, selector }) => {
            const reports = window.__resizes.filter((r) => r.frame === id);
            const last = reports.at(-1);
            return last !== undefined && Math.round(document.querySelector(selector).getBoundingClientRect().height) === last.data.height;
          },
          { id, selector },
        ),
      { what: `${id} to take its reported height` },
    );
  }
  const reports = await page.evaluate(() => window.__resizes);
  for (const id of Object.keys(frames)) {
    const mine = reports.filter((r) => r.frame === id);
    assert.ok(mine.length >= 1, `${id} reported its height`);
    for (const { origin, data } of mine) {
      assert.equal(origin, new URL(DIST_URL).origin);
      assert.deepEqual(Object.keys(data).sort(), ['height', 'lesson', 'type']);
      assert.ok(Number.isInteger(data.height) && data.height > 0, JSON.stringify(data));
      assert.equal(data.lesson, LESSON);
    }
  }
  await context.close();
});

test('dist/ served from a sub-path with its _headers is cross-origin isolated and runs threads', async () => {
  const { context, requests, page, problems } = await freshContext();
  const response = await page.goto(DIST_URL);
  const headers = response.headers();
  assert.equal(headers['cross-origin-opener-policy'], 'same-origin');
  assert.equal(headers['cross-origin-embedder-policy'], 'require-corp');
  const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(headers['content-security-policy'], meta.replace(/\s+/g, ' ').trim());

  await playgroundReady(page);
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), true);
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, true);
  assert.equal(caps.build, 'threaded');
  await runVerified(page, 'threads');

  // Isolated by its headers, the page has no use for the service worker.
  assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  assert.deepEqual(problems, []);
  // Every request stays below the sub-path: nothing is root-absolute.
  assert.deepEqual(strayRequests(requests, [DIST_URL]), []);
  assert.ok(requests.some((url) => url.endsWith('/pkg/threaded/parallel_playground_bg.wasm')));
  await context.close();
});

test('dist/ without any headers becomes cross-origin isolated after the service worker reloads it', async () => {
  const { context, requests, page, problems } = await freshContext();
  let loads = 0;
  page.on('framenavigated', (frame) => {
    if (frame !== page.mainFrame()) return;
    loads += 1;
    // Only the page after the reload must be free of errors.
    problems.length = 0;
  });
  const response = await page.goto(NOHEADERS_URL);
  assert.equal(response.headers()['cross-origin-opener-policy'], undefined, 'the server sends no isolation headers');
  await waitFor(() => page.evaluate(() => self.crossOriginIsolated === true && navigator.serviceWorker.controller !== null), {
    what: 'the service worker to isolate the page',
  });
  assert.ok(loads >= 2, `the page reloaded (${loads} loads)`);
  await playgroundReady(page);
  const caps = await page.evaluate(() => window.parallelPlayground.capabilities());
  assert.equal(caps.isolated, true);
  assert.equal(caps.build, 'threaded');
  await runVerified(page, 'threads');
  assert.deepEqual(problems, []);
  assert.deepEqual(strayRequests(requests, [NOHEADERS_URL]), []);
  await context.close();
});

test('an embedded page without headers never registers the service worker', async () => {
  const { context, requests, page, problems } = await freshContext();
  let loads = 0;
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) loads += 1;
  });
  await page.goto(`${NOHEADERS_URL}?${new URLSearchParams({ embed: '1', lesson: LESSON })}`);
  await playgroundReady(page);
  // A whole run first: a service worker that had been registered would have reloaded the
  // page by the time a process pool has started and answered.
  await runVerified(page, 'processes');
  assert.equal(loads, 1, 'no reload');
  assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
  assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
  assert.deepEqual(problems, []);
  assert.deepEqual(strayRequests(requests, [NOHEADERS_URL]), []);
  await context.close();
});
