// Presets in the URL: they set the controls, bad ones are reported as text (never
// injected as HTML), "Copy link" reproduces the state, and theme/embed take effect.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBrowser, openPlayground, ISOLATED_URL } from './browser.mjs';

const browser = useBrowser();

const withParams = (params) => `${ISOLATED_URL}?${new URLSearchParams(params)}`;

async function openMounted(url) {
  const opened = await openPlayground(browser(), url);
  await opened.page.waitForSelector('#lesson-engines .lesson-body[data-state]');
  return opened;
}

const controls = (page) =>
  page.evaluate(() => ({
    workers: document.querySelector('#engines-workers').value,
    tasks: document.querySelector('#engines-tasks').value,
    n: document.querySelector('#engines-n').value,
    repetitions: document.querySelector('#engines-repetitions').value,
    gil: document.querySelector('#engines-engine-gil').checked,
    threads: document.querySelector('#engines-engine-threads').checked,
    processes: document.querySelector('#engines-engine-processes').checked,
  }));

const messages = (page) => page.$$eval('#messages p', (ps) => ps.map((p) => p.textContent));

test('URL presets set the lesson controls, clamped with a message', async () => {
  const { page, problems } = await openMounted(withParams({ lesson: 'engines', workers: '3', tasks: '6', n: '30000000', repetitions: '2', engine: 'threads,processes' }));
  assert.deepEqual(await controls(page), { workers: '3', tasks: '6', n: '30000000', repetitions: '2', gil: false, threads: true, processes: true });
  await page.close();

  const clamped = await openMounted(withParams({ workers: '500', tasks: '-4' }));
  const c = await controls(clamped.page);
  assert.equal(c.workers, await clamped.page.evaluate(() => String(window.parallelPlayground.maxWorkers)));
  assert.equal(c.tasks, '1');
  const text = (await messages(clamped.page)).join('\n');
  assert.match(text, /workers=500 is outside/);
  assert.match(text, /tasks=-4 is outside/);
  assert.deepEqual(problems, []);
  await clamped.page.close();
});

test('every parameter carrying markup is reported as text and never injected', async () => {
  const payload = '<img src=x onerror="window.__injected=1">';
  const keys = ['lesson', 'embed', 'autorun', 'theme', 'engine', 'workload', 'workers', 'tasks', 'n', 'chunksize', 'payload', 'serial', 'repetitions', 'warmup', payload];
  const params = Object.fromEntries(keys.map((k) => [k, payload]));
  const { page } = await openMounted(withParams(params));
  let dialogs = 0;
  page.on('dialog', (dialog) => {
    dialogs += 1;
    dialog.dismiss();
  });
  // Every parameter's message is in once the preset has been applied to the mounted lesson.
  await page.waitForFunction(
    (count) => [...document.querySelectorAll('[data-testid=messages] p')].filter((p) => p.textContent.includes('<img src=x')).length >= count,
    keys.length,
    { timeout: 30_000 },
  );
  const text = await messages(page);
  // One message per parameter, each quoting the value as plain text.
  assert.equal(text.filter((t) => t.includes('<img src=x')).length, keys.length, text.join('\n'));
  assert.equal(await page.evaluate(() => document.querySelectorAll('img').length), 0);
  assert.equal(await page.evaluate(() => window.__injected), undefined);
  assert.equal(dialogs, 0);
  // The page still works with its defaults.
  assert.equal(await page.evaluate(() => document.querySelector('#lesson-engines').hidden), false);
  await page.close();
});

test('Copy link reproduces the current lesson and settings', async () => {
  const { page } = await openMounted(ISOLATED_URL);
  await page.locator('#engines-workers').fill('3');
  await page.locator('#engines-engine-gil').uncheck();
  await page.selectOption('#engines-n', '30000000');
  await page.click('#copy-link');
  const link = await page.inputValue('#copy-link-output');
  const url = new URL(link);
  assert.equal(url.origin + url.pathname, new URL(ISOLATED_URL).href);
  assert.equal(url.searchParams.get('lesson'), 'engines');
  assert.equal(url.searchParams.get('workers'), '3');
  await page.close();

  const again = await openMounted(link);
  const c = await controls(again.page);
  assert.equal(c.workers, '3');
  assert.equal(c.n, '30000000');
  assert.equal(c.gil, false);
  assert.deepEqual(await messages(again.page), []);
  await again.page.close();
});

test('theme and embed parameters change the page', async () => {
  const dark = await openMounted(withParams({ theme: 'dark' }));
  assert.equal(await dark.page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await dark.page.close();
  const light = await openMounted(withParams({ theme: 'light' }));
  assert.notEqual(await light.page.evaluate(() => getComputedStyle(document.body).backgroundColor), background);
  await light.page.close();

  const { page } = await openMounted(withParams({ embed: '1', lesson: 'engines' }));
  assert.equal(await page.isVisible('.lesson-nav'), false);
  assert.equal(await page.isVisible('.site-header'), false);
  assert.equal(await page.isVisible('#lesson-engines'), true);
  const full = new URL(await page.getAttribute('#open-full', 'href'));
  assert.equal(full.searchParams.has('embed'), false);
  assert.equal(full.searchParams.get('lesson'), 'engines');
  await page.close();
});

test('autorun starts the lesson with the preset settings', async () => {
  const { page } = await openMounted(withParams({ autorun: '1', engine: 'threads', n: '1000000', tasks: '2', repetitions: '1', warmup: '0' }));
  await page.waitForSelector('#lesson-engines .lesson-body[data-state=done]', { timeout: 60_000 });
  assert.equal(await page.locator('#engines-results-table-body tr').count(), 2);
  await page.close();
});
