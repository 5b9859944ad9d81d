// Lesson 7, "Measure, don't assume", through its UI: every run is kept and drawn, the
// first run and the warm-ups are marked, the warm-up toggle changes the medians
// consistently, cores and pool start-up are shown, the explanation is the core's findings
// in words, bad input gets a message, Cancel works, and a non-isolated page keeps the
// process pool. No test asserts a timing or a speedup; what the findings say about given
// numbers is tested in Rust (src/findings/compare.rs).
import assert from 'node:assert/strict';
import { PLAIN_URL, MARKUP, ENGINES, enginesOf, lessonHarness } from './browser.mjs';

const lesson = lessonHarness('measure', { quick: { workers: 2, tasks: 4, n: 1e6, repetitions: 3, warmup: 1 } });

const summaryRows = (page) => lesson.rows(page, 'engines');
const runRows = async (page) => (await lesson.rows(page, 'runs')).map((r) => ({ ...r, kind: r.cells.Kind }));

/** How many runs the strip chart draws for each engine, read from its description. */
async function pointsPerEngine(page) {
  const label = await page.$eval('#measure-chart-runs', (e) => e.getAttribute('aria-label'));
  return [...label.matchAll(/: ([^;]*); median/g)].map((m) => m[1].split(', ').length);
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

lesson.test('every run is kept, marked and summarised consistently, with or without warm-ups', async (page) => {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await lesson.small(page);
  assert.equal(await page.$eval('#measure-cold', (b) => b.checked), true);
  await lesson.run(page);

  const summary = await summaryRows(page);
  assert.deepEqual(enginesOf(summary), ENGINES);
  assert.ok(
    summary.every((r) => r.verified && r.runs === 4 && r.counted === 3),
    JSON.stringify(summary),
  );
  assert.equal(new Set(summary.map((r) => r.checksum)).size, 1);

  // Every run is a row and a point; the first is marked cold, the warm-up flagged.
  const runs = await runRows(page);
  assert.equal(runs.length, 16);
  assert.equal(await page.$eval('#measure-runs-table-fold summary', (e) => e.textContent), 'Every run (16)');
  assert.deepEqual(await pointsPerEngine(page), [4, 4, 4, 4]);
  for (const engine of ENGINES) {
    const mine = runs.filter((r) => r.engine === engine);
    assert.deepEqual(
      mine.map((r) => r.run),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      mine.map((r) => r.warmup),
      [true, false, false, false],
    );
    assert.equal(mine[0].kind, 'first (cold), warm-up');
    assert.ok(mine.slice(1).every((r) => r.kind === 'timed'));
    // The median shown is the median of the timed runs shown.
    const row = summary.find((r) => r.engine === engine);
    assert.ok(Math.abs(row.median - median(mine.filter((r) => !r.warmup).map((r) => r.ms))) < 1e-9, engine);
  }

  // Counting warm-ups changes every median to the median of all runs.
  await page.check('#measure-with_warmup');
  assert.equal(await page.$eval('#measure-results', (e) => e.dataset.includeWarmup), 'true');
  const withWarmups = await summaryRows(page);
  for (const row of withWarmups) {
    assert.equal(row.counted, 4);
    const all = runs.filter((r) => r.engine === row.engine).map((r) => r.ms);
    assert.ok(Math.abs(row.median - median(all)) < 1e-9, row.engine);
  }
  assert.match(await page.$eval('#measure-engines-table thead th:nth-child(4)', (e) => e.textContent), /all runs/);
  assert.match(await page.$eval('#measure-chart-runs', (e) => e.getAttribute('aria-label')), /^Every run as a point\. Sequential: /);
  await page.uncheck('#measure-with_warmup');
  assert.match(await page.$eval('#measure-engines-table thead th:nth-child(4)', (e) => e.textContent), /timed runs/);
  assert.deepEqual(
    (await summaryRows(page)).map((r) => r.counted),
    [3, 3, 3, 3],
  );

  // Cores, the ideal, the fresh pool's start-up, and the explanation: the core's findings in words.
  assert.equal(await page.$eval('[data-testid="measure-cores"]', (e) => e.dataset.cores), String(cores));
  assert.equal(await page.$eval('[data-testid="measure-ideal"] dd', (e) => e.textContent), `${Math.min(2, cores)}x`);
  assert.ok(Number(await page.$eval('[data-testid="measure-startup"]', (e) => e.dataset.ms)) > 0);
  const reading = await lesson.reading(page);
  const kinds = reading.map((r) => r.kind);
  assert.equal(kinds[0], 'headline');
  assert.match(await page.$eval('[data-testid="measure-best"] dd', (e) => e.textContent), /^\d+\.\d\dx$/, 'the figure is the headline finding');
  for (const kind of ['core_ceiling', 'pool_startup', 'spread', 'gil_turns']) assert.ok(kinds.includes(kind), `${kind} in ${kinds}`);
  assert.ok(kinds.includes('cold_start') || kinds.includes('no_cold_start'), `a cold start or its absence in ${kinds}`);
  assert.ok(reading.every((r) => r.text.length > 0));
  assert.equal(reading.find((r) => r.kind === 'gil_turns').engine, 'gil');
  assert.match(reading.find((r) => r.kind === 'core_ceiling').text, new RegExp(`reports ${cores} core`));
  const shown = await lesson.messages(page);
  assert.equal(shown.at(-1).text, `Done. ${reading[0].text}`);
  assert.equal(await page.$eval('#measure-progress-text', (e) => e.textContent), 'Finished: 16 runs on 4 engines, all kept.');

  // The timeline is the process pool's last run: one chunk per task.
  const timeline = await page.$eval('#measure-timeline', (e) => ({ hidden: e.hidden, ...e.dataset }));
  assert.equal(timeline.hidden, false);
  assert.equal(timeline.engine, 'processes');
  assert.equal(timeline.chunks, '4');

  const csv = (await lesson.csv(page)).lines;
  assert.equal(csv.length, 1 + 16);
  assert.ok(csv[0].startsWith('engine,label,run,ms,warmup,first'));
  assert.equal(csv.filter((line) => line.includes(',true,true,')).length, 4, 'one first run, a warm-up, per engine');
});

lesson.test('no warm-up makes the cold first run a timed run; bad settings are refused as text', async (page) => {
  assert.equal(await lesson.set(page, 'repetitions', 1000), '30');
  assert.equal(await lesson.set(page, 'workers', -3), '1');
  for (const engine of ['gil', 'threads', 'processes']) await page.uncheck(`#measure-engine-${engine}`);
  assert.equal(await page.$eval('#measure-cold', (b) => b.disabled), true, 'no pool, nothing to start cold');
  await lesson.small(page, { workers: 1, tasks: 2, repetitions: 2, warmup: 0 });
  assert.match(await page.$eval('#measure-warmup-hint', (e) => e.textContent), /cold first run is a timed run/);
  await lesson.run(page);
  const runs = await runRows(page);
  assert.deepEqual(
    runs.map((r) => r.kind),
    ['first (cold), timed', 'timed'],
  );
  assert.equal((await summaryRows(page))[0].counted, 2, 'with no warm-up the cold run counts');
  assert.match(await page.$eval('#measure-reading li[data-kind="no_parallel_engine"]', (e) => e.textContent), /^Only Sequential ran/);

  await lesson.force(page, 'n', MARKUP);
  await lesson.refused(page, /^Settings refused: n must be a number.*<img/);
});

lesson.test('Cancel stops a long measurement and the next one runs', async (page) => {
  await lesson.small(page, { workers: 2, tasks: 64, n: 1e8, repetitions: 30, warmup: 1 });
  await lesson.start(page);
  // One progress bar over every run of every engine, saying where it is.
  await page.waitForFunction(() =>
    /^Sequential: (computing the reference checksum|(warm-up|timed) run \d+\/\d+)$/.test(document.querySelector('#measure-progress-text').textContent),
  );
  await lesson.cancelAndRunAgain(page);
  assert.equal((await runRows(page)).length, 16);
});

lesson.test('without isolation the thread engines are off with the reason and the pool is measured', PLAIN_URL, async (page) => {
  await lesson.runWithoutIsolation(page);
  const summary = await summaryRows(page);
  assert.deepEqual(enginesOf(summary), ['sequential', 'processes']);
  assert.ok(summary.every((r) => r.verified));
  assert.equal((await runRows(page)).length, 8);
  assert.deepEqual(await pointsPerEngine(page), [4, 4]);
  assert.ok(Number(await page.$eval('[data-testid="measure-startup"]', (e) => e.dataset.ms)) > 0);
});
