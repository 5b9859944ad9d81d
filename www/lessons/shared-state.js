// Lesson 5, "Share results, not state". Two experiments, both run by the engines:
// process-pool workers append to "the shared list" (each only ever touches its own copy,
// so the page's list stays empty), and threads over one shared memory count into one
// counter three ways (a racy read-then-write, an atomic increment, and private counts
// returned and added up). The page only draws what comes back.
import { h, clear } from '../lib/dom.js';
import { engineColor, whiskerPlugin, referenceLinePlugin, withAlpha, wrapWords } from '../lib/charts.js';
import { formatCount, formatMs, plural } from '../lib/reading.js';
import {
  EXTRA_COLORS,
  barColors,
  chartCanvas,
  chartKeeper,
  chartTexts,
  checkBox,
  controlsForm,
  createController,
  dashedLegendItem,
  downloadCsv,
  introBlock,
  legendWith,
  numberOrText,
  onSchemeChange,
  prepareChart,
  resultsTable,
  selectField,
  slider,
  toCsv,
} from '../lib/shared-state-kit.js';

export const id = 'shared-state';
export const title = 'Share results, not state';

const INCREMENT_CHOICES = [1e5, 1e6, 1e7, 3e7, 5e7];
const DEFAULTS = { increments: 1e7, repetitions: 3 };

/** The three ways of counting, in the order they run; colours are Okabe–Ito. */
export const STRATEGIES = {
  racy_increment: {
    label: 'Racy read, then write',
    color: EXTRA_COLORS.purple,
    note: 'Each worker reads the counter, adds one and writes it back, as two separate steps. Another worker can write in between, and its update is overwritten: counter.value += 1 without a lock.',
  },
  atomic_increment: {
    label: 'Atomic increment',
    color: EXTRA_COLORS.blue,
    note: 'One indivisible add per item, like taking the lock of a multiprocessing.Value each time. Never wrong, but every worker queues for the same counter.',
  },
  return_and_combine: {
    label: 'Return and combine',
    color: '#009E73',
    note: 'Each worker counts on its own and returns its total; the totals are added once at the end. What the lesson recommends: nothing is shared while the work runs.',
  },
};
const STRATEGY_ORDER = Object.keys(STRATEGIES);

const PYTHON_SNIPPET = `from concurrent.futures import ProcessPoolExecutor

collected = []               # the parent's list

def fill(items):
    for i in range(items):
        collected.append(i)  # this worker's own copy
    return items             # all the parent receives

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        counts = list(pool.map(fill, [1000, 1000]))
    print(len(collected))    # 0: the appends hit copies
    print(sum(counts))       # 2000: the returns add up`;

// ---- readings: pure functions of the numbers -----------------------------------------

/** The run whose lost count is the median (the lower middle one for an even count). */
export function medianRun(runs) {
  const sorted = [...runs].sort((a, b) => a.lost - b.lost);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Table rows from a `count` result: one per strategy, in the lesson's order. */
export function countRows(result) {
  return STRATEGY_ORDER.map((strategy) => result.strategies.find((s) => s.strategy === strategy))
    .filter(Boolean)
    .map((s) => {
      const lost = s.runs.map((r) => r.lost);
      const shown = medianRun(s.runs);
      return {
        strategy: s.strategy,
        label: STRATEGIES[s.strategy]?.label ?? s.strategy,
        expected: s.expected,
        runs: s.runs,
        counted: shown.counted,
        lost: shown.lost,
        lostMin: Math.min(...lost),
        lostMax: Math.max(...lost),
        median: s.summary.median,
        min: s.summary.min,
        max: s.summary.max,
        exact: s.runs.every((r) => r.lost === 0 && r.counted === r.expected),
      };
    });
}

function percent(part, whole) {
  const share = (100 * part) / whole;
  return share >= 10 ? `${share.toFixed(0)}%` : share >= 0.1 ? `${share.toFixed(1)}%` : `${share.toPrecision(1)}%`;
}

function times(a, b) {
  return `${(a / b).toFixed(1)}x`;
}

/** One sentence about the process pool's shared list. */
export function describeSharedList({ parentLength, workerLengths, appendedPerWorker }) {
  const workers = workerLengths.length;
  const same = workerLengths.every((n) => n === appendedPerWorker);
  const copies = same
    ? `${workers === 1 ? 'the worker' : `each of the ${workers} workers`} appended ${formatCount(appendedPerWorker)} items to its own copy`
    : `the workers' copies ended with ${workerLengths.map(formatCount).join(', ')} items`;
  if (parentLength === 0) {
    return `The page's list is still empty (0 items), although ${copies}: every append changed a copy, and nothing came back.`;
  }
  return `The page's list holds ${formatCount(parentLength)} items while ${copies} — that should not happen with copies; please report it.`;
}

/**
 * One sentence per strategy. `rows` come from `countRows`; `workers` is how many counted.
 * The sentence reads the losses and the times, comparing with the fastest exact strategy.
 */
export function describeStrategy(row, rows, workers) {
  const expected = formatCount(row.expected);
  const runs = plural(row.runs.length, 'run');
  if (row.strategy === 'racy_increment') {
    if (row.lostMax === 0) {
      if (workers === 1) return `${row.label}: nothing lost in ${runs} — one worker has nobody to race with; try 2 or more.`;
      return `${row.label}: nothing lost in ${runs} this time — the workers hardly ran at the same moment; raise the increments so they overlap longer.`;
    }
    const spread = row.lostMin === row.lostMax ? '' : `; the loss changed from run to run (${formatCount(row.lostMin)} to ${formatCount(row.lostMax)})`;
    return `${row.label}: ended at ${formatCount(row.counted)} instead of ${expected} in its median run — ${formatCount(row.lost)} updates (${percent(row.lost, row.expected)}) overwritten by another worker${spread}.`;
  }
  if (!row.exact) {
    return `${row.label}: lost ${formatCount(row.lostMax)} updates — a correct strategy should never lose one; please report this.`;
  }
  const exactRows = rows.filter((r) => r.exact && r.strategy !== 'racy_increment');
  const fastest = exactRows.reduce((best, r) => (r.median < best.median ? r : best), row);
  if (row.strategy === 'atomic_increment') {
    const combine = rows.find((r) => r.strategy === 'return_and_combine' && r.exact);
    if (combine && row.median > combine.median * 1.15) {
      return `${row.label}: exactly ${expected} in every run, but ${times(row.median, combine.median)} as slow as returning and combining (${formatMs(row.median)} ms against ${formatMs(combine.median)} ms): every add waits its turn at one shared counter.`;
    }
    const why = workers === 1 ? 'with one worker nobody competes for the counter' : 'the workers seldom touched the counter at the same moment';
    return `${row.label}: exactly ${expected} in every run, in ${formatMs(row.median)} ms — about as fast as combining here, because ${why}.`;
  }
  const lead = fastest === row ? 'the fastest exact way' : 'exact';
  return `${row.label}: exactly ${expected} in every run, ${lead} (${formatMs(row.median)} ms): each worker counted privately and the totals were added once at the end.`;
}

/** The one-line summary shown when a run finishes. */
export function summarizeCounts(rows, workers) {
  const racy = rows.find((r) => r.strategy === 'racy_increment');
  const atomic = rows.find((r) => r.strategy === 'atomic_increment');
  const combine = rows.find((r) => r.strategy === 'return_and_combine');
  const parts = [];
  if (racy) {
    parts.push(racy.lostMax > 0 ? `the racy counter lost ${percent(racy.lost, racy.expected)} of its updates` : `the racy counter lost nothing this time${workers === 1 ? ' (one worker cannot race)' : ''}`);
  }
  if (atomic && combine && atomic.exact && combine.exact) {
    parts.push(
      atomic.median > combine.median * 1.15
        ? `atomic increments were exact but ${times(atomic.median, combine.median)} as slow as returning and combining, which was exact too`
        : 'atomic increments and returning-and-combining were both exact and about as fast',
    );
  } else if (rows.some((r) => r.strategy !== 'racy_increment' && !r.exact)) {
    parts.push('a correct strategy lost updates, which should never happen');
  }
  if (!parts.length) return '';
  const text = parts.join('; ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

// ---- the lesson ------------------------------------------------------------------------

/** The reading part, which needs no engine: shown while the engines start. */
export function intro(container) {
  const strategies = h(
    'dl',
    { class: 'engine-list' },
    STRATEGY_ORDER.map((key) => {
      const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
      swatch.style.backgroundColor = STRATEGIES[key].color;
      return [h('dt', {}, swatch, STRATEGIES[key].label), h('dd', { text: STRATEGIES[key].note })];
    }),
  );
  return introBlock(container, {
    lead: 'A process-pool worker receives a copy of whatever it is given, so changes it makes to "shared" data stay in that copy. Threads do share memory, but many of them updating one counter is either wrong or slow. The fix is the same in both worlds: let each worker return its result and combine the results at the end.',
    body: [
      'First, pool workers each append to the page\'s list. Then threads count into one total in three ways:',
      strategies,
      'When processes really must share a counter, Python offers multiprocessing.Value and Manager objects; they behave like the second strategy — correct, and slower than returning results.',
    ],
    caption: 'The Python version: the appends vanish, the returns arrive',
    code: PYTHON_SNIPPET,
  });
}

export function mount(container, { caps, bridge }) {
  const threads = caps.engines.find((e) => e.id === 'threads');
  const canCount = Boolean(threads?.available);
  const defaultWorkers = Math.max(1, Math.min(caps.maxWorkers, Math.max(2, Math.min(caps.cores, 4))));

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, canCount, reason: threads?.reason || 'needs a cross-origin isolated page', defaultWorkers });
  const control = createController(container, ui.controls, bridge);
  const charts = chartKeeper(ui.chartError);
  const state = { list: null, count: null, workers: defaultWorkers };

  // ---- settings ----------------------------------------------------------------------
  function settings() {
    return {
      workers: Number(ui.workers.input.value),
      // Sent as chosen: the engines check it and refuse what is not a number.
      increments: numberOrText(ui.increments.input.value),
      repetitions: Number(ui.repetitions.input.value),
      pool: ui.partPool.input.checked,
      count: canCount && ui.partCount.input.checked,
    };
  }

  function showSettings() {
    const s = settings();
    ui.workers.show();
    ui.repetitions.show();
    const per = Number(s.increments);
    ui.expectedHint.textContent = Number.isFinite(per)
      ? `each worker adds this many; a correct count ends at ${formatCount(s.workers)} × ${formatCount(per)} = ${formatCount(s.workers * per)}`
      : 'each worker adds this many';
    ui.workersNote.hidden = s.workers <= caps.cores;
    ui.workersNote.textContent = s.workers > caps.cores ? `more workers than cores (${caps.cores}): they take turns, and racing needs them to run at the same moment` : '';
    const parts = [s.pool, s.count].filter(Boolean).length;
    ui.controls.run.textContent = parts === 2 ? 'Run both experiments' : s.pool ? 'Run the process-pool list' : s.count ? 'Run the shared counter' : 'Run';
    control.block(parts === 0 ? 'Choose at least one experiment.' : '');
    if (parts > 0 && !control.running && ui.controls.progressText.textContent === 'Choose at least one experiment.') ui.controls.progressText.textContent = 'Ready.';
  }
  ui.controls.form.addEventListener('input', showSettings);
  ui.controls.form.addEventListener('change', showSettings);
  showSettings();

  // ---- running -------------------------------------------------------------------------
  async function runAll() {
    const s = settings();
    if (!s.pool && !s.count) return;
    state.list = null;
    state.count = null;
    state.workers = s.workers;
    render();
    await control.run(async () => {
      const poolShare = s.count ? (s.pool ? 0.15 : 0) : 1;
      if (s.pool) {
        control.setProgress(0, `Process pool: ${plural(s.workers, 'worker')} appending to their lists`);
        const list = await bridge.call('sharedList', { workers: s.workers });
        control.warn(list.warnings, 'Process pool');
        state.list = list;
        render();
        control.setProgress(poolShare, 'Process pool: done');
      }
      if (s.count) {
        const result = await bridge.call(
          'count',
          { workers: s.workers, increments: s.increments, repetitions: s.repetitions },
          {
            onProgress: control.progressFrom((p) => [
              poolShare + (1 - poolShare) * (p.done / p.total),
              `Shared counter: ${STRATEGIES[p.strategy]?.label ?? p.strategy}, run ${(p.done % s.repetitions) + 1}/${s.repetitions}`,
            ]),
          },
        );
        control.warn(result.warnings, 'Shared counter');
        state.count = result;
        render();
      }
      const lines = [];
      if (state.list) lines.push(state.list.parentLength === 0 ? "The page's list stayed empty." : "The page's list changed, which it should not.");
      if (state.count) lines.push(summarizeCounts(countRows(state.count), state.count.workers));
      return `Done. ${lines.join(' ')}`;
    });
  }

  ui.controls.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runAll();
  });
  ui.csv.addEventListener('click', () => {
    const text = csvText();
    if (text) downloadCsv('shared-state', text);
  });

  // ---- results -------------------------------------------------------------------------
  function render() {
    const rows = state.count ? countRows(state.count) : [];
    const any = Boolean(state.list || state.count);
    ui.results.hidden = !any;
    ui.empty.hidden = any;
    ui.csv.disabled = !any;
    ui.listCard.hidden = !state.list;
    ui.countGrid.hidden = !state.count;

    clear(ui.reading);
    if (state.list) ui.reading.append(h('li', { dataset: { part: 'pool' }, text: describeSharedList(state.list) }));
    for (const row of rows) ui.reading.append(h('li', { dataset: { strategy: row.strategy }, text: describeStrategy(row, rows, state.count.workers) }));

    if (state.list) renderList(state.list);
    if (state.count) renderCounts(rows, state.count);
    drawCharts(rows);
  }

  function renderList(list) {
    ui.listTable.fill([
      { dataset: { list: 'page', items: String(list.parentLength) }, cells: [{ head: true, text: "The page's list" }, formatCount(list.parentLength)] },
      ...list.workerLengths.map((n, w) => ({ dataset: { list: `worker-${w}`, items: String(n) }, cells: [{ head: true, text: `Worker ${w}'s copy` }, formatCount(n)] })),
    ]);
    ui.listNote.textContent = `Each worker was sent the page's empty list and appended ${formatCount(list.appendedPerWorker)} numbers to it. What arrived was a structured clone — the browser's pickle — so each change happened in a copy that never travelled back.`;
  }

  function renderCounts(rows, result) {
    ui.countTable.fill(
      rows.map((r) => ({
        dataset: {
          strategy: r.strategy,
          expected: String(r.expected),
          counted: r.runs.map((run) => run.counted).join(','),
          lost: r.runs.map((run) => run.lost).join(','),
          exact: String(r.exact),
        },
        cells: [
          { head: true, node: [strategySwatch(r.strategy), r.label] },
          {
            class: r.exact ? 'verified' : 'unverified',
            node: h('span', {}, h('span', { attrs: { 'aria-hidden': 'true' }, text: r.exact ? '✓ ' : '✗ ' }), h('span', { class: 'visually-hidden', text: r.exact ? 'exact: ' : 'short: ' }), formatCount(r.counted)),
          },
          { node: h('span', {}, r.runs.flatMap((run, i) => [i ? h('br') : null, formatCount(run.lost)])) },
          formatMs(r.median),
          `${formatMs(r.min)}–${formatMs(r.max)}`,
        ],
      })),
    );
    ui.countNote.textContent = `${plural(result.workers, 'worker')} × ${formatCount(result.increments)} increments each: a correct count is ${formatCount(rows[0]?.expected ?? 0)}. ✓ marks a count that was exact in every run; "Counted" is the run with the median loss, and every run's loss is listed (and in the CSV). Times are for the whole count, ${plural(rows[0]?.runs.length ?? 0, 'timed run')} per strategy, on ${plural(caps.cores, 'core')}.`;
  }

  function drawCharts(rows) {
    ui.chartError.hidden = true;
    if (state.list) charts.draw('list', () => drawListChart(ui.listCanvas, state.list));
    else charts.destroy('list');
    if (rows.length) {
      charts.draw('count', () => drawCountChart(ui.countCanvas, rows));
      charts.draw('time', () => drawStrategyTimeChart(ui.timeCanvas, rows));
      ui.countCanvas.setAttribute('aria-label', `Final count per strategy against ${formatCount(rows[0].expected)} expected: ${rows.map((r) => `${r.label} ${formatCount(r.counted)}, lost ${formatCount(r.lost)}`).join('; ')}.`);
      ui.timeCanvas.setAttribute('aria-label', `Median time per strategy: ${rows.map((r) => `${r.label} ${formatMs(r.median)} ms`).join('; ')}.`);
    } else {
      charts.destroy('count');
      charts.destroy('time');
    }
  }

  function csvText() {
    const lines = [];
    if (state.list) {
      lines.push(['pool', 'page_list', '', state.list.workerLengths.length, '', '', '', '', '', state.list.parentLength]);
      state.list.workerLengths.forEach((n, w) => lines.push(['pool', `worker_${w}_copy`, '', state.list.workerLengths.length, '', '', '', '', '', n]));
    }
    if (state.count) {
      for (const s of state.count.strategies) {
        s.runs.forEach((r, i) => lines.push(['shared_memory', s.strategy, i + 1, state.count.workers, state.count.increments, r.expected, r.counted, r.lost, r.ms, '']));
      }
    }
    if (!lines.length) return '';
    const header = ['experiment', 'what', 'run', 'workers', 'increments_per_worker', 'expected', 'counted', 'lost', 'ms', 'items', 'cores'];
    return toCsv(header, lines.map((line) => [...line, caps.cores]));
  }

  onSchemeChange(() => render());
  container.dataset.state = 'idle';
  return { runAll, cancel: control.cancel };
}

function strategySwatch(strategy) {
  const swatch = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  swatch.style.backgroundColor = STRATEGIES[strategy]?.color ?? '#999999';
  return swatch;
}

// ---- charts ------------------------------------------------------------------------------

function drawListChart(canvas, list) {
  const { Chart, t } = prepareChart();
  const labels = ["The page's list", ...list.workerLengths.map((_, w) => `Worker ${w}'s copy`)];
  const values = [list.parentLength, ...list.workerLengths];
  const texts = chartTexts(canvas, t, {
    title: { wide: 'Items in each list after the workers appended', narrow: ['Items in each list', 'after the workers appended'] },
    x: 'items in the list',
  });
  const page = engineColor('sequential');
  const pool = engineColor('processes');
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: "the page's list", data: values.map((v, i) => (i === 0 ? v : null)), ...barColors(page), grouped: false, barPercentage: 0.7 },
        { label: "pool workers' copies", data: values.map((v, i) => (i === 0 ? null : v)), ...barColors(pool), grouped: false, barPercentage: 0.7 },
      ],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, suggestedMax: Math.max(10, ...values) * 1.05, title: texts.x }, y: { ticks: { color: t.text } } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.label}: ${formatCount(item.raw)} items` } },
      },
    },
  });
}

function strategyTicks(t) {
  return {
    color: t.text,
    autoSkip: false,
    callback(value) {
      const label = this.getLabelForValue(value);
      return this.chart.width < 480 ? wrapWords(label, 12) : label;
    },
  };
}

function drawCountChart(canvas, rows) {
  const { Chart, t } = prepareChart();
  const expected = rows[0].expected;
  const lostColor = t.muted;
  const texts = chartTexts(canvas, t, {
    title: { wide: 'What the counter ended at', narrow: 'What the counter ended at' },
    x: { wide: 'final count (median run of each strategy)', narrow: 'final count (median run)' },
  });
  const datasets = rows.map((r) => ({
    label: r.label,
    data: [{ x: r.counted, y: r.label }],
    ...barColors(STRATEGIES[r.strategy].color),
    row: r,
    stack: 'count',
    barPercentage: 0.7,
  }));
  datasets.push({
    label: 'updates lost',
    data: rows.map((r) => ({ x: r.lost, y: r.label })),
    backgroundColor: withAlpha(lostColor, 0.25),
    borderColor: lostColor,
    borderWidth: 1,
    borderDash: [3, 3],
    stack: 'count',
    barPercentage: 0.7,
  });
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: rows.map((r) => r.label), datasets },
    plugins: [referenceLinePlugin],
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: {
        x: { stacked: true, beginAtZero: true, suggestedMax: expected * 1.08, title: texts.x, ticks: { callback: (v) => compactCount(v) } },
        y: { stacked: true, ticks: strategyTicks(t) },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        referenceLine: { value: expected, label: `expected ${compactCount(expected)}`, color: t.text },
        legend: legendWith(Chart, [dashedLegendItem(`expected: ${formatCount(expected)}`, t.text)]),
        tooltip: {
          callbacks: {
            label(item) {
              if (item.dataset.label === 'updates lost') return `lost: ${formatCount(item.raw.x)} of ${formatCount(expected)}`;
              return `counted: ${formatCount(item.raw.x)} of ${formatCount(expected)}`;
            },
          },
        },
      },
    },
  });
}

function drawStrategyTimeChart(canvas, rows) {
  const { Chart, t } = prepareChart();
  const texts = chartTexts(canvas, t, {
    title: { wide: 'How long each way of counting took', narrow: ['How long each way', 'of counting took'] },
    x: { wide: ['time for the whole count (ms)', 'bar: median · whisker: fastest to slowest run'], narrow: ['time (ms)', 'bar: median, whisker: min–max'] },
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: rows.map((r) => ({
        label: r.label,
        data: [{ x: r.median, y: r.label }],
        ranges: [[r.min, r.max]],
        ...barColors(STRATEGIES[r.strategy].color),
        grouped: false,
        barPercentage: 0.7,
        row: r,
      })),
    },
    plugins: [whiskerPlugin],
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { beginAtZero: true, suggestedMax: Math.max(...rows.map((r) => r.max)) * 1.05, title: texts.x }, y: { ticks: strategyTicks(t) } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        whiskers: { color: t.text },
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: {
          callbacks: {
            label(item) {
              const r = item.dataset.row;
              return `${r.label}: median ${formatMs(r.median)} ms (min ${formatMs(r.min)}, max ${formatMs(r.max)}, ${plural(r.runs.length, 'run')})`;
            },
          },
        },
      },
    },
  });
}

/** 20000000 → "20M", 1500 → "1.5k": for axis ticks only. */
function compactCount(value) {
  const v = Number(value);
  if (Math.abs(v) >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (Math.abs(v) >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return String(v);
}

// ---- building the panel ------------------------------------------------------------------

function buildPanel(container, { caps, canCount, reason, defaultWorkers }) {
  const ui = {};
  ui.partPool = checkBox({
    id: 'shared-state-part-pool',
    label: 'Process pool: a shared list',
    checked: true,
    swatch: { engine: 'processes' },
  });
  ui.partCount = checkBox({
    id: 'shared-state-part-count',
    label: 'Shared memory: one counter',
    checked: canCount,
    reason: canCount ? '' : reason,
    swatch: { engine: 'threads' },
  });
  const parts = h('fieldset', { class: 'engines-choice', id: 'shared-state-parts' }, h('legend', { text: 'Experiments' }), ui.partPool.field, ui.partCount.field);

  ui.workers = slider({ id: 'shared-state-workers', label: 'Workers', min: 1, max: caps.maxWorkers, value: defaultWorkers, hint: `pool workers or threads; this device reports ${plural(caps.cores, 'core')}` });
  ui.workersNote = h('span', { class: 'hint warn', id: 'shared-state-workers-note', attrs: { 'data-testid': 'shared-state-workers-note', role: 'note' }, hidden: true });
  ui.workers.field.append(ui.workersNote);
  ui.increments = selectField({
    id: 'shared-state-increments',
    label: 'Increments per worker',
    options: INCREMENT_CHOICES.map((n) => ({ value: n, text: formatCount(n) })),
    value: DEFAULTS.increments,
    hint: 'each worker adds this many',
  });
  ui.expectedHint = ui.increments.field.querySelector('.hint');
  ui.repetitions = slider({ id: 'shared-state-repetitions', label: 'Repetitions', min: 1, max: 10, value: DEFAULTS.repetitions, hint: 'timed counts per strategy; all are kept' });
  const sizes = h('fieldset', { class: 'sizes', id: 'shared-state-sizes' }, h('legend', { text: 'Settings' }), ui.workers.field, ui.increments.field, ui.repetitions.field);

  ui.controls = controlsForm({ prefix: 'shared-state', fieldsets: [parts, sizes], runText: 'Run both experiments' });

  ui.empty = h('p', { id: 'shared-state-empty', class: 'empty', text: "Press Run: the lists' lengths, the final counts and the time of each way of counting will appear here." });
  ui.reading = h('ul', { id: 'shared-state-reading', class: 'reading', attrs: { 'data-testid': 'shared-state-reading', 'aria-label': 'What the numbers say' } });
  ui.chartError = h('p', { class: 'message message-error', id: 'shared-state-chart-error', hidden: true });

  // The process pool's list.
  const list = chartCanvas('shared-state-chart-list', 'Items in the page\'s list and in each worker\'s copy', 220);
  ui.listCanvas = list.canvas;
  const listTable = resultsTable({ id: 'shared-state-list-table', caption: 'Lists after the workers appended', columns: [{ label: 'List' }, { label: 'Items', num: true }] });
  ui.listTable = listTable;
  ui.listNote = h('p', { class: 'hint table-note', id: 'shared-state-list-note' });
  ui.listCard = h(
    'section',
    { class: 'card', id: 'shared-state-pool', attrs: { 'aria-labelledby': 'shared-state-pool-heading', 'data-testid': 'shared-state-pool' }, hidden: true },
    h('h3', { id: 'shared-state-pool-heading', text: 'In the process pool: appending to "the shared list"' }),
    h('div', { class: 'results-grid' }, h('div', { class: 'charts' }, list.box), h('div', {}, h('div', { class: 'table-scroll' }, listTable.table), ui.listNote)),
  );

  // Counting in shared memory.
  const count = chartCanvas('shared-state-chart-count', 'Final count per strategy', 300);
  const time = chartCanvas('shared-state-chart-time', 'Median time per strategy', 300);
  ui.countCanvas = count.canvas;
  ui.timeCanvas = time.canvas;
  ui.countTable = resultsTable({
    id: 'shared-state-count-table',
    caption: 'Counting into one counter',
    columns: [{ label: 'Strategy' }, { label: 'Counted', num: true }, { label: 'Lost per run', num: true }, { label: 'Median (ms)', num: true }, { label: 'Min–max (ms)', num: true }],
  });
  ui.countNote = h('p', { class: 'hint table-note', id: 'shared-state-count-note' });
  ui.csv = h('button', { type: 'button', id: 'shared-state-download-csv', disabled: true, attrs: { 'data-testid': 'shared-state-download-csv' }, text: 'Download CSV' });
  ui.countGrid = h(
    'div',
    { class: 'results-grid', id: 'shared-state-count', attrs: { 'data-testid': 'shared-state-count' }, hidden: true },
    h('div', { class: 'card charts' }, count.box, time.box),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, ui.countTable.table), ui.countNote),
  );

  ui.results = h(
    'section',
    { id: 'shared-state-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'shared-state-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading, h('div', { class: 'actions table-note' }, ui.csv)),
    ui.chartError,
    ui.listCard,
    ui.countGrid,
  );

  container.append(h('h3', { class: 'section-title', text: 'Try it' }), ui.controls.form, ui.controls.messages, ui.empty, ui.results);
  return ui;
}

export default { id, title, intro, mount };
