// Lesson 3, "Overhead is real: chunk your work", driven through its panel in Chromium:
// the sweep runs, every measurement's chunk count is ceil(tasks / chunksize) in the
// table, the CSV and the timeline and its chart, results match the sequential checksum,
// the per-chunk fit is shown, the readings are the core's findings, bad input gets a
// message (as text), Cancel works, and the non-isolated page keeps the process pool. The
// slider's choices and the sweep's sizes come from the core's chunk plan, which arrives
// after a change, so the tests wait for it. What the findings say is tested in Rust
// (src/findings/chunks.rs). No test asserts a timing.
import assert from 'node:assert/strict';
import { PLAIN_URL, MARKUP, lessonHarness } from './browser.mjs';

const lesson = lessonHarness('chunking');

/** Moves the chunk-size slider to `chunksize`, once the core's plan offers it. */
const setChunkSize = (page, chunksize) => lesson.pick(page, 'chunksize', chunksize.toLocaleString('en-US'));

lesson.test('a sweep runs from the panel and every chunk count is ceil(tasks / chunksize)', async (page) => {
  await lesson.set(page, 'tasks', 2000);
  await lesson.set(page, 'repetitions', 2);
  await lesson.set(page, 'warmup', 0);
  await lesson.set(page, 'workers', 2);
  await setChunkSize(page, 20);
  await lesson.waitForText(page, 'chunksize-hint', '2,000 inputs ÷ 20 per chunk = 100 chunks; its timeline is shown after the run');
  await lesson.waitForText(page, 'run', 'Sweep 9 chunk sizes');
  assert.equal(await page.textContent('#chunking-run-hint'), 'Chunk sizes measured: 1, 3, 10, 20, 30, 100, 300, 1,000, 2,000.');
  await lesson.run(page);

  // Sweep for 2000 inputs on 2 workers with 20 chosen: the ×3 ladder below 1000, one chunk
  // per worker (1000), a single chunk (2000) and the chosen 20.
  const sizes = [1, 3, 10, 20, 30, 100, 300, 1000, 2000];
  const rows = await lesson.rows(page);
  assert.equal(rows[0].engine, 'sequential');
  assert.equal(rows[0].chunks, 1);
  for (const engine of ['threads', 'processes']) {
    const mine = rows.filter((r) => r.engine === engine);
    assert.deepEqual(
      mine.map((r) => r.chunksize),
      sizes,
      engine,
    );
    for (const r of mine) assert.equal(r.chunks, Math.ceil(2000 / r.chunksize), `${engine} chunk size ${r.chunksize}`);
  }
  assert.equal(rows.length, 1 + 2 * sizes.length);
  assert.ok(
    rows.every((r) => r.verified && r.checksum === rows[0].checksum),
    'every run matched the sequential checksum',
  );

  // The timeline opens on the chosen size on the process pool, with one bar per chunk
  // and a grey messaging bar out and back for each.
  const timeline = async () =>
    page.evaluate(() => {
      const box = document.querySelector('[data-testid=chunking-timeline]');
      const chart = globalThis.Chart.getChart(document.querySelector('[data-testid=chunking-chart-timeline]'));
      return {
        ...box.dataset,
        bars: chart.data.datasets[0].data.length,
        grey: chart.data.datasets[1]?.data.length ?? 0,
        note: document.querySelector('[data-testid=chunking-timeline-note]').textContent,
      };
    });
  let t = await timeline();
  assert.equal(t.engine, 'processes');
  assert.equal(Number(t.chunksize), 20);
  assert.equal(Number(t.chunks), 100);
  assert.equal(t.bars, 100);
  assert.equal(t.grey, 200);
  assert.match(t.note, /100 chunks \(2,000 ÷ 20, rounded up\) on 2 workers/);
  await page.selectOption('[data-testid=chunking-timeline-size]', '300');
  t = await timeline();
  assert.equal(Number(t.chunks), 7);
  assert.equal(t.bars, 7);
  await page.selectOption('[data-testid=chunking-timeline-engine]', 'threads');
  await page.selectOption('[data-testid=chunking-timeline-size]', '3');
  t = await timeline();
  assert.equal(t.engine, 'threads');
  assert.equal(Number(t.chunks), 667);
  assert.equal(t.bars, 667);
  assert.equal(t.grey, 0);

  // The per-chunk fit: a price per engine, fitted through the sizes that gave both workers a chunk.
  const fit = await page.$$eval('#chunking-fit-table-body tr', (trs) => trs.map((tr) => [tr.dataset.engine, ...[...tr.querySelectorAll('td')].map((td) => td.textContent)]));
  assert.deepEqual(
    fit.map(([engine]) => engine),
    ['threads', 'processes'],
  );
  for (const [engine, price, , , , fitted] of fit) {
    assert.ok(Number.isFinite(Number.parseFloat(price)), `${engine} has a fitted price: ${price}`);
    assert.equal(fitted, '8', `${engine}: every size but the single chunk`);
  }
  // The readings are the core's findings, in its order: each engine's sweep, the work per
  // input, each engine's price per chunk, and what the chosen size's timelines show.
  const readings = await lesson.reading(page);
  assert.deepEqual(
    readings.map((r) => `${r.kind}:${r.engine ?? ''}`),
    ['chunk_sweep:threads', 'chunk_sweep:processes', 'input_cost:', 'chunk_cost:threads', 'chunk_cost:processes', 'chunk_timeline:threads', 'chunk_timeline:processes'],
  );
  assert.match(readings[0].text, /^Threads \(shared memory\): /);
  assert.match(readings[1].text, /^Process pool: /);
  assert.match(readings[2].text, /2,000 inputs: about [\d.]+ µs of work per input/);
  assert.match(readings[6].text, /^Process pool, chunk size 20: 100 chunks \(2,000 ÷ 20, rounded up\) on 2 workers\./);
  assert.match(await page.textContent('#chunking-messages'), /Done\. Threads \(shared memory\): /);
  const charts = await page.evaluate(() =>
    ['sweep', 'fit'].map((name) => globalThis.Chart.getChart(document.querySelector(`[data-testid=chunking-chart-${name}]`))?.data.datasets.length ?? 0),
  );
  assert.equal(charts[0], 3, 'sweep chart: two engines and the sequential line');
  assert.equal(charts[1], 5, 'fit chart: two engines, their lines, and the sequential line');

  // The CSV has every row of the table, each as wide as its header.
  const { name, lines: csv } = await lesson.csv(page);
  assert.match(name, /^parallel-playground-chunking-\d{4}-\d\d-\d\dT\d{6}\.csv$/);
  assert.equal(csv[0], 'engine,label,workload,tasks,workers,cores,chunksize,chunks,repetitions,median_ms,min_ms,max_ms,speedup,verified,checksum,fitted_us_per_chunk');
  assert.equal(csv.length, 1 + rows.length);
  assert.deepEqual(
    csv.slice(1).map((line) => line.split(',').slice(0, 8)),
    rows.map((r) => [
      r.engine,
      r.engine === 'sequential' ? 'Sequential loop' : r.engine === 'threads' ? 'Threads (shared memory)' : 'Process pool',
      'is_prime',
      '2000',
      r.engine === 'sequential' ? '1' : '2',
      csv[1].split(',')[5],
      String(r.chunksize),
      String(r.chunks),
    ]),
  );
  assert.ok(
    csv.slice(1).every((line) => line.split(',').length === 16 && line.includes(`,true,${rows[0].checksum},`)),
    csv.join('\n'),
  );

  // "Only this chunk size" adds one point per engine and keeps the sweep.
  await page.check('[data-testid=chunking-mode-single]');
  await setChunkSize(page, 50);
  assert.equal(await page.textContent('[data-testid=chunking-run]'), 'Run chunk size 50');
  await lesson.run(page);
  const more = await lesson.rows(page);
  assert.equal(more.length, rows.length + 2);
  assert.ok(more.every((r) => r.verified && r.checksum === rows[0].checksum));
  assert.deepEqual(
    more.filter((r) => r.chunksize === 50).map((r) => [r.engine, r.chunks]),
    [
      ['threads', 40],
      ['processes', 40],
    ],
  );
  t = await timeline();
  assert.equal(Number(t.chunksize), 50);
  assert.equal(Number(t.chunks), 40);
});

lesson.test('lowering the inputs lowers a chunk size that no longer fits, with a note', async (page) => {
  await lesson.set(page, 'tasks', 10000);
  await setChunkSize(page, 10000);
  assert.equal(await page.isHidden('[data-testid=chunking-chunksize-note]'), true);
  await lesson.set(page, 'tasks', 1000);
  await lesson.waitForText(page, 'chunksize-value', '1,000');
  assert.equal(await page.textContent('[data-testid=chunking-chunksize-note]'), 'Chunk size lowered from 10,000 to 1,000: a chunk cannot hold more than all 1,000 inputs.');
  await lesson.waitForText(page, 'chunksize-hint', '1,000 inputs ÷ 1,000 per chunk = 1 chunk; its timeline is shown after the run');
  // Moving the slider itself clears the note.
  await setChunkSize(page, 500);
  assert.equal(await page.isHidden('[data-testid=chunking-chunksize-note]'), true);
  // A range input cannot be pushed past its ends.
  await lesson.set(page, 'tasks', 5_000_000);
  assert.equal(await page.textContent('[data-testid=chunking-tasks-value]'), '20,000');
});

lesson.test('a refused setting is reported as text, never as markup', async (page) => {
  await lesson.force(page, 'workload', MARKUP);
  await lesson.refused(page, /Settings refused: workload must be one of .*, not "<img src=x onerror=/);
});

lesson.test('Cancel stops a long sweep and the lesson runs again afterwards', async (page) => {
  await lesson.set(page, 'tasks', 20000);
  await lesson.set(page, 'repetitions', 9);
  await lesson.start(page);
  await lesson.cancel(page);

  await lesson.set(page, 'tasks', 1000);
  await lesson.set(page, 'repetitions', 1);
  await page.check('[data-testid=chunking-mode-single]');
  await setChunkSize(page, 100);
  await lesson.run(page);
  const rows = await lesson.rows(page);
  assert.deepEqual(
    rows.map((r) => [r.engine, r.chunks]),
    [
      ['sequential', 1],
      ['threads', 10],
      ['processes', 10],
    ],
  );
});

lesson.test('without isolation the threads engine is off with its reason and the pool still sweeps', PLAIN_URL, async (page) => {
  assert.equal(await page.isDisabled('[data-testid=chunking-engine-threads]'), true);
  assert.match(await page.textContent('#chunking-engine-threads-reason'), /cross-origin isolated/);
  await lesson.set(page, 'tasks', 1000);
  await lesson.set(page, 'repetitions', 1);
  await lesson.set(page, 'warmup', 0);
  await lesson.run(page);
  const rows = await lesson.rows(page);
  assert.deepEqual([...new Set(rows.map((r) => r.engine))], ['sequential', 'processes']);
  for (const r of rows.slice(1)) assert.equal(r.chunks, Math.ceil(1000 / r.chunksize));
  assert.ok(rows.every((r) => r.verified));
});
