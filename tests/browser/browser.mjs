// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core,
// a fresh profile per launch, and the two servers that `cargo xtask test` starts.
import { chromium } from 'playwright-core';

export const ISOLATED_URL = process.env.PLAYGROUND_URL ?? 'http://127.0.0.1:8000/';
export const PLAIN_URL = process.env.PLAYGROUND_URL_PLAIN ?? 'http://127.0.0.1:8001/';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launch() {
  // playwright-core gives every launch a fresh, temporary profile.
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: FLAGS });
}

/**
 * Opens the playground and waits until its engines are ready. Collects console errors
 * and page errors so tests can assert there were none.
 */
export async function openPlayground(browser, url = ISOLATED_URL) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  await page.goto(url);
  await page.waitForFunction(() => window.parallelPlayground !== undefined);
  await page.evaluate(() => window.parallelPlayground.ready);
  return { page, problems };
}

/** Runs `config` through `window.parallelPlayground.run`, answering the result or the error. */
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
