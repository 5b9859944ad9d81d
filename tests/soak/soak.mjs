// The soak behind `cargo xtask soak`: SOAK_LOADS cold loads, each in a fresh browser
// context (no cache, no connections kept from the load before) or, with
// SOAK_BROWSER_PER_LOAD=1, in a freshly launched browser (whose first burst of
// connections is what starved the old hand-written server), alternating between the
// isolated and the plain server, each at a lesson picked at random. A load counts when
// the engines are ready and the lesson is mounted and idle within DEADLINE_MS.
import { chromium } from 'playwright-core';

const ISOLATED_URL = process.env.PLAYGROUND_URL;
const PLAIN_URL = process.env.PLAYGROUND_URL_PLAIN;
const LOADS = Number(process.env.SOAK_LOADS ?? 500);
const DEADLINE_MS = 10_000;
const SEED = Number(process.env.SOAK_SEED ?? Date.now() % 1_000_000);
const BROWSER_PER_LOAD = process.env.SOAK_BROWSER_PER_LOAD === '1';

if (!ISOLATED_URL || !PLAIN_URL) throw new Error('PLAYGROUND_URL and PLAYGROUND_URL_PLAIN name the two servers');

// A small seeded generator, so a failing sequence can be replayed with SOAK_SEED.
let state = SEED >>> 0 || 1;
const random = () => {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 2 ** 32;
};

const launch = () =>
  chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
let browser = await launch();

/** One cold load; answers its time in ms, or throws with what was still unanswered. */
async function load(url, lesson) {
  if (BROWSER_PER_LOAD) {
    await browser.close();
    browser = await launch();
  }
  const context = await browser.newContext();
  const pending = new Set();
  context.on('request', (request) => pending.add(request));
  context.on('requestfinished', (request) => pending.delete(request));
  context.on('requestfailed', (request) => pending.delete(request));
  const page = await context.newPage();
  const started = performance.now();
  try {
    await page.goto(`${url}#${lesson}`, { timeout: DEADLINE_MS, waitUntil: 'commit' });
    const left = Math.max(1, DEADLINE_MS - (performance.now() - started));
    await page.waitForSelector(`body[data-app="ready"] #lesson-${lesson} .lesson-body[data-state="idle"]`, { timeout: left });
    return performance.now() - started;
  } catch (error) {
    const waiting = [...pending].map((r) => new URL(r.url()).pathname).join(', ') || 'none';
    throw new Error(`${url}#${lesson} not ready within ${DEADLINE_MS / 1000} s (requests unanswered: ${waiting}): ${error.message.split('\n')[0]}`);
  } finally {
    await context.close();
  }
}

// The lesson ids, as the page lists them.
const first = await browser.newPage();
await first.goto(ISOLATED_URL);
const lessons = await first.$$eval('#lesson-nav a[data-lesson]', (links) => links.map((a) => a.dataset.lesson));
await first.close();
if (lessons.length === 0) throw new Error('the page lists no lessons');

const times = [];
const failures = [];
let slowest = { ms: 0, what: '' };
for (let i = 0; i < LOADS; i++) {
  const url = i % 2 === 0 ? ISOLATED_URL : PLAIN_URL;
  const lesson = lessons[Math.floor(random() * lessons.length)];
  try {
    const ms = await load(url, lesson);
    times.push(ms);
    if (ms > slowest.ms) slowest = { ms, what: `${i % 2 === 0 ? 'isolated' : 'plain'} #${lesson}` };
  } catch (error) {
    failures.push(error.message);
    console.log(`load ${i + 1}: ${error.message}`);
  }
  if ((i + 1) % 50 === 0) console.log(`${i + 1} of ${LOADS} loads, ${failures.length} failed`);
}
await browser.close();

times.sort((a, b) => a - b);
const median = times.length ? times[Math.floor(times.length / 2)] : NaN;
console.log(
  `soak (seed ${SEED}): ${times.length} of ${LOADS} loads ready within ${DEADLINE_MS / 1000} s; median ${median.toFixed(0)} ms, slowest ${slowest.ms.toFixed(0)} ms (${slowest.what})`,
);
console.log(`${times.length} passed, ${failures.length} failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
