// Lesson 8, "Start-up and the entry point": a process-pool worker starts from nothing.
// It loads the playground's module and instantiates its own copy of the wasm core, so
// the module's top-level code runs again in every worker, as a child process imports
// your script. The engines restart the pool and time each worker; then, for a few run
// lengths, they run the same map sequentially and on a freshly started pool, so the page
// can show start-up apart from compute and how it fades as runs get longer.
import { h, clear } from '../lib/dom.js';
import { drawTimelineChart, engineColor, referenceLinePlugin, withAlpha } from '../lib/charts.js';
import { formatCount, formatMs, plural } from '../lib/reading.js';
import {
  EXTRA_COLORS,
  barColors,
  chartCanvas,
  chartKeeper,
  chartTexts,
  checkBox,
  checksumCell,
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
  slider,
  toCsv,
} from '../lib/shared-state-kit.js';

export const id = 'startup';
export const title = 'Start-up and the entry point';

const TASKS = 4;
const WORKLOAD = 'sum_of_squares';
/** Problem sizes: n per task, and whether the default run includes it. */
const SIZES = [
  { n: 1e6, on: true },
  { n: 1e7, on: true },
  { n: 1e8, on: true },
  { n: 3e8, on: true },
  { n: 1e9, on: false },
];
const DEFAULTS = { repetitions: 2 };

const PYTHON_SNIPPET = `import os, time
from concurrent.futures import ProcessPoolExecutor

# Runs in the parent, and again in every child
# that imports this file to find busy().
print("top level ran in process", os.getpid())

def busy(n):
    acc = 0
    for k in range(n):
        acc += k * k
    return acc

if __name__ == "__main__":  # children stop here
    for n in (10_000, 1_000_000, 10_000_000):
        began = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(busy, [n] * 4))
        print(n, time.perf_counter() - began)`;

// ---- readings: pure functions of the numbers -----------------------------------------

function factor(x) {
  if (!Number.isFinite(x)) return '—';
  return x >= 10 ? `${x.toFixed(0)}x` : x >= 0.1 ? `${x.toFixed(2)}x` : `${x.toPrecision(1)}x`;
}

function share(part, whole) {
  return `${Math.round((100 * part) / whole)}%`;
}

/** 1e6 → "1 million", 1e9 → "1 billion". */
function sizeText(n) {
  return n >= 1e9 && n % 1e9 === 0 ? `${n / 1e9} billion` : formatCount(n);
}

function sizeName(row) {
  return `${row.tasks} × ${sizeText(row.n)}`;
}

/**
 * One sentence about a pool restart: `startupMs` in total and each worker's
 * `{ worker, load_ms, ready_ms }`.
 */
export function describeStartup({ startupMs, workers }) {
  if (!workers.length) return 'No pool worker was started.';
  const loads = workers.map((w) => w.load_ms);
  const lo = Math.min(...loads);
  const hi = Math.max(...loads);
  const range = workers.length === 1 ? `${formatMs(lo)} ms` : lo === hi ? `${formatMs(lo)} ms each` : `${formatMs(lo)}–${formatMs(hi)} ms`;
  const times = workers.length === 1 ? 'once, in its one worker' : `${workers.length} times, once in each worker`;
  return `Starting ${plural(workers.length, 'pool worker')} took ${formatMs(startupMs)} ms before any task could run. Each worker loaded the module and instantiated its own copy of the wasm core (${range} of that), so the module's top-level code ran ${times}.`;
}

/**
 * Rows for the amortisation table: `sequential`, `first` (the first run after a restart)
 * and `warm` are results of `map`; `restart` of `restartPool`.
 */
export function amortisationRow({ n, tasks, sequential, restart, first, warm }) {
  const startup = restart.startup_ms;
  const firstMs = first.summary.median;
  const total = startup + firstMs;
  return {
    n,
    tasks,
    workers: warm.config.workers,
    sequential: sequential.summary,
    startup,
    first: firstMs,
    warm: warm.summary,
    total,
    speedupWith: sequential.summary.median / total,
    speedupWarm: sequential.summary.median / warm.summary.median,
    checksum: warm.checksum,
    verified: [first, warm].every((r) => r.verified === true && r.checksum === sequential.checksum) && sequential.verified === true,
    timeline: first.timeline,
  };
}

/** The sentences that read the amortisation rows (sorted by size). */
export function describeAmortisation(rows) {
  const lines = [];
  if (!rows.length) return lines;
  const small = rows[0];
  const large = rows[rows.length - 1];
  const verdict = (r) => (r.speedupWith >= 1 ? `${factor(r.speedupWith)} as fast as sequential` : `${factor(r.speedupWith)} the speed of sequential`);
  lines.push(
    `At ${sizeName(small)}, start-up was ${share(small.startup, small.total)} of a fresh pool's time: it ran ${verdict(small)} (${formatMs(small.total)} ms against ${formatMs(small.sequential.median)} ms).`,
  );
  if (large !== small) {
    lines.push(
      `At ${sizeName(large)}, start-up was ${share(large.startup, large.total)}: the fresh pool ran ${verdict(large)}, and a warm pool, already started, ${factor(large.speedupWarm)}.`,
    );
  }
  const even = rows.find((r) => r.speedupWith >= 1);
  if (even) {
    lines.push(even === small ? 'Even the shortest run paid its start-up back.' : `A fresh pool first beat sequential at ${sizeName(even)}: from there on the start-up is paid back.`);
  } else {
    const warmWin = rows.find((r) => r.speedupWarm >= 1);
    lines.push(
      warmWin
        ? `No run here was long enough for a fresh pool to pay its start-up back, although a warm pool was faster from ${sizeName(warmWin)}: start-up, not the work, decided.`
        : 'No run here was long enough for the pool to win: try longer runs.',
    );
  }
  if (large.first > 1.5 * large.warm.median && large.warm.median > 1) {
    lines.push(
      `The first run in the fresh workers took ${(large.first / large.warm.median).toFixed(1)}x as long as later ones (${formatMs(large.first)} ms against ${formatMs(large.warm.median)} ms): the browser was still compiling their code, a start-up cost that shows up inside the first run.`,
    );
  }
  return lines;
}

// ---- the lesson ------------------------------------------------------------------------

export function intro(container) {
  return introBlock(container, {
    lead: 'A process pool does not hand its workers your running program. Each child starts empty and imports your script to find the function it must run, so everything at the top level of that script runs again in every child. That is why Python insists on the if __name__ == "__main__" guard: without it, each child would try to start a pool of its own.',
    body: [
      "The browser works the same way. Each pool worker here is a fresh Web Worker that loads the playground's module and instantiates its own copy of the WebAssembly core: the module's top-level code runs once per worker, before the first task can start.",
      'That start-up is paid once per pool, however much work follows. Below it is timed apart from the compute, for runs of growing length: for a short run it can cost more than the work; for a long one it fades into the total.',
    ],
    caption: 'The Python version: the top level runs in every child',
    code: PYTHON_SNIPPET,
  });
}

export function mount(container, { caps, bridge }) {
  const defaultWorkers = Math.max(1, Math.min(caps.maxWorkers, Math.max(2, Math.min(caps.cores, 4))));
  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, defaultWorkers });
  const control = createController(container, ui.controls, bridge);
  const charts = chartKeeper(ui.chartError);
  const state = { restart: null, rows: [], timelinePinned: false };

  function settings() {
    return {
      workers: Number(ui.workers.input.value),
      repetitions: Number(ui.repetitions.input.value),
      sizes: ui.sizeBoxes.filter((b) => b.input.checked).map((b) => b.input.value),
    };
  }

  function showSettings() {
    ui.workers.show();
    ui.repetitions.show();
    const s = settings();
    ui.workersNote.hidden = s.workers <= caps.cores;
    ui.workersNote.textContent = s.workers > caps.cores ? `more workers than cores (${caps.cores}): each still has to start, but they cannot all compute at once` : '';
    control.block(s.sizes.length ? '' : 'Choose at least one run length.');
    if (s.sizes.length && !control.running && ui.controls.progressText.textContent === 'Choose at least one run length.') ui.controls.progressText.textContent = 'Ready.';
  }
  ui.controls.form.addEventListener('input', showSettings);
  ui.controls.form.addEventListener('change', showSettings);
  showSettings();

  async function runAll() {
    const s = settings();
    if (!s.sizes.length) return;
    state.restart = null;
    state.rows = [];
    state.timelinePinned = false;
    render();
    const steps = s.sizes.length * 4;
    await control.run(async () => {
      for (const [index, nText] of s.sizes.entries()) {
        const name = `${TASKS} × ${sizeText(Number(nText))}`;
        const step = (k, fraction = 0) => (index * 4 + k + fraction) / steps;
        const map = (config, k, label) =>
          bridge.run(
            { workload: WORKLOAD, tasks: TASKS, n: numberOrText(nText), workers: s.workers, ...config },
            {
              onProgress: control.progressFrom((p) => [
                step(k, p.phase === 'timed' ? p.done / p.total : 0),
                p.phase === 'reference' ? `${name}: computing the sequential checksum` : `${name}: ${label}${p.phase === 'timed' && p.total > 1 ? ` ${p.done + 1}/${p.total}` : ''}`,
              ]),
            },
          );

        control.setProgress(step(0), `${name}: sequential runs`);
        const sequential = await map({ engine: 'sequential', warmup: 0, repetitions: s.repetitions }, 0, 'sequential run');
        control.warn(sequential.warnings);

        control.setProgress(step(1), `${name}: restarting the pool (${plural(s.workers, 'worker')})`);
        const restart = await bridge.call('restartPool', { workers: s.workers }, { onProgress: control.progressFrom(() => [step(1), `${name}: starting ${plural(s.workers, 'pool worker')}`]) });
        control.warn(restart.warnings);
        if (!state.restart) state.restart = restart;

        control.setProgress(step(2), `${name}: the fresh pool's first run`);
        const first = await map({ engine: 'processes', warmup: 0, repetitions: 1 }, 2, "the fresh pool's first run");
        control.setProgress(step(3), `${name}: the warm pool`);
        const warm = await map({ engine: 'processes', warmup: 0, repetitions: s.repetitions }, 3, 'warm pool run');
        control.warn(warm.warnings);

        state.rows.push(amortisationRow({ n: Number(nText), tasks: TASKS, sequential, restart, first, warm }));
        render();
      }
      const lines = describeAmortisation(state.rows);
      return `Done. ${lines.slice(0, 2).join(' ')}`;
    });
  }

  ui.controls.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runAll();
  });
  ui.csv.addEventListener('click', () => {
    if (state.rows.length || state.restart) downloadCsv('startup', csvText());
  });
  ui.timelineSize.addEventListener('change', () => {
    state.timelinePinned = true;
    drawTimeline();
  });

  // ---- results -------------------------------------------------------------------------
  function render() {
    const any = Boolean(state.restart || state.rows.length);
    ui.results.hidden = !any;
    ui.empty.hidden = any;
    ui.csv.disabled = !any;
    clear(ui.reading);
    if (state.restart) ui.reading.append(h('li', { dataset: { part: 'startup' }, text: describeStartup({ startupMs: state.restart.startup_ms, workers: state.restart.workers }) }));
    for (const line of describeAmortisation(state.rows)) ui.reading.append(h('li', { text: line }));
    ui.chartError.hidden = true;

    if (state.restart) {
      const r = state.restart;
      ui.startupCard.hidden = false;
      ui.startupCard.dataset.startup = String(r.startup_ms);
      ui.startupTable.fill(
        r.workers.map((w) => ({
          dataset: { worker: String(w.worker), load: String(w.load_ms), ready: String(w.ready_ms) },
          cells: [{ head: true, text: `Worker ${w.worker}` }, formatMs(w.load_ms), formatMs(w.ready_ms)],
        })),
      );
      ui.startupNote.textContent = `The whole pool was ready after ${formatMs(r.startup_ms)} ms (the first restart of this run). "Own module" is the time from the worker's top-level code starting to its wasm core being ready; "Ready after" counts from the restart, so it also holds creating the worker and fetching its script.`;
      ui.startupBox.style.height = `${150 + r.workers.length * 34}px`;
      charts.draw('startup', () => drawStartupChart(ui.startupCanvas, r));
      ui.startupCanvas.setAttribute('aria-label', `Pool start-up per worker: ${r.workers.map((w) => `worker ${w.worker} ready after ${formatMs(w.ready_ms)} ms, ${formatMs(w.load_ms)} ms of it loading its own module`).join('; ')}.`);
    } else {
      ui.startupCard.hidden = true;
      charts.destroy('startup');
    }

    ui.amortCard.hidden = !state.rows.length;
    ui.timelineBox.hidden = !state.rows.length;
    if (state.rows.length) {
      ui.amortTable.fill(
        state.rows.map((r) => ({
          dataset: {
            n: String(r.n),
            sequential: String(r.sequential.median),
            startup: String(r.startup),
            first: String(r.first),
            total: String(r.total),
            warm: String(r.warm.median),
            speedupWith: String(r.speedupWith),
            speedupWarm: String(r.speedupWarm),
            verified: String(r.verified),
          },
          cells: [
            { head: true, text: sizeName(r) },
            { node: h('span', {}, formatMs(r.sequential.median), h('br'), h('span', { class: 'hint', text: `${formatMs(r.sequential.min)}–${formatMs(r.sequential.max)}` })) },
            formatMs(r.startup),
            formatMs(r.first),
            { node: h('span', {}, formatMs(r.warm.median), h('br'), h('span', { class: 'hint', text: `${formatMs(r.warm.min)}–${formatMs(r.warm.max)}` })) },
            { node: h('span', {}, factor(r.speedupWith), h('br'), h('span', { class: 'hint', text: `warm ${factor(r.speedupWarm)}` })) },
            checksumCell(r.checksum, r.verified),
          ],
        })),
      );
      const reps = state.rows[0].warm.count;
      ui.amortNote.textContent = `${plural(TASKS, 'task')} per run on ${plural(state.rows[0].workers, 'pool worker')} and ${plural(caps.cores, 'core')}. For each length: ${plural(reps, 'sequential run')}, a pool restart, the fresh pool's first run, then ${plural(reps, 'run')} on the now warm pool (medians, fastest–slowest below). Speedup = sequential ÷ (start-up + first run); "warm" = sequential ÷ warm median. Every result matched the sequential checksum.`;
      charts.draw('amort', () => drawAmortChart(ui.amortCanvas, state.rows));
      charts.draw('speedup', () => drawSpeedupChart(ui.speedupCanvas, state.rows));
      ui.amortCanvas.setAttribute('aria-label', `Time per run length: ${state.rows.map((r) => `${sizeName(r)}: sequential ${formatMs(r.sequential.median)} ms, pool start-up ${formatMs(r.startup)} ms plus first run ${formatMs(r.first)} ms`).join('; ')}.`);
      ui.speedupCanvas.setAttribute('aria-label', `Speedup over sequential: ${state.rows.map((r) => `${sizeName(r)}: ${factor(r.speedupWith)} with start-up, ${factor(r.speedupWarm)} warm`).join('; ')}.`);
      renderTimelineChoices();
    } else {
      charts.destroy('amort');
      charts.destroy('speedup');
      charts.destroy('timeline');
    }
  }

  function renderTimelineChoices() {
    const previous = ui.timelineSize.value;
    clear(ui.timelineSize);
    for (const r of state.rows) ui.timelineSize.append(h('option', { value: String(r.n), text: sizeName(r) }));
    const keep = state.timelinePinned && state.rows.some((r) => String(r.n) === previous);
    ui.timelineSize.value = keep ? previous : String(state.rows[state.rows.length - 1].n);
    drawTimeline();
  }

  function drawTimeline() {
    const row = state.rows.find((r) => String(r.n) === ui.timelineSize.value);
    if (!row) return;
    const workers = new Set(row.timeline.map((c) => c.worker)).size;
    ui.timelineBox.dataset.chunks = String(row.timeline.length);
    ui.timelineBox.dataset.workers = String(workers);
    ui.timelineCanvasBox.style.height = `${130 + Math.max(workers, 1) * 38}px`;
    charts.draw('timeline', () => drawTimelineChart(ui.timelineCanvas, row.timeline, { engine: 'processes', label: 'Process pool' }));
    ui.timelineCanvas.setAttribute('aria-label', `Timeline of the fresh pool's first run at ${sizeName(row)}: ${plural(row.timeline.length, 'chunk')} on ${plural(workers, 'worker')}, finished after ${formatMs(Math.max(...row.timeline.map((c) => c.end_ms)))} ms.`);
    ui.timelineNote.textContent = `The first map at ${sizeName(row)} on the freshly started pool, after its ${formatMs(row.startup)} ms start-up (not drawn: the clock starts when the map does). Grey bars are arguments and results being copied; coloured bars are chunks computing.`;
  }

  function csvText() {
    const lines = [];
    for (const w of state.restart?.workers ?? []) {
      lines.push(['worker_startup', `worker_${w.worker}`, '', '', '', state.restart.startup_ms, '', '', '', '', '', '', '', '', w.load_ms, w.ready_ms]);
    }
    for (const r of state.rows) {
      lines.push(['run_length', sizeName(r), r.tasks, r.n, r.workers, r.startup, r.sequential.median, r.sequential.min, r.sequential.max, r.first, r.warm.median, r.warm.min, r.warm.max, r.total, '', '', r.speedupWith, r.speedupWarm, r.verified, r.checksum]);
    }
    const header = ['part', 'what', 'tasks', 'n_per_task', 'workers', 'startup_ms', 'sequential_median_ms', 'sequential_min_ms', 'sequential_max_ms', 'first_run_ms', 'warm_median_ms', 'warm_min_ms', 'warm_max_ms', 'startup_plus_first_ms', 'load_ms', 'ready_ms', 'speedup_with_startup', 'speedup_warm', 'verified', 'checksum', 'cores'];
    return toCsv(header, lines.map((l) => [...l, ...Array(header.length - 1 - l.length).fill(''), caps.cores]));
  }

  onSchemeChange(() => render());
  container.dataset.state = 'idle';
  return { runAll, cancel: control.cancel };
}

// ---- charts ------------------------------------------------------------------------------

function drawStartupChart(canvas, restart) {
  const { Chart, t } = prepareChart();
  const labels = restart.workers.map((w) => `worker ${w.worker}`);
  const pool = engineColor('processes');
  const texts = chartTexts(canvas, t, {
    title: { wide: 'Pool start-up: every worker loads its own module', narrow: ['Pool start-up: every worker', 'loads its own module'] },
    x: 'time since the restart began (ms)',
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        {
          label: 'starting the worker, fetching its script',
          data: restart.workers.map((w) => [0, Math.max(0, w.ready_ms - w.load_ms)]),
          backgroundColor: withAlpha(t.text, 0.22),
          borderWidth: 0,
          grouped: false,
          barPercentage: 0.6,
        },
        {
          label: 'its own wasm core: load + instantiate',
          data: restart.workers.map((w) => [Math.max(0, w.ready_ms - w.load_ms), w.ready_ms]),
          ...barColors(pool),
          grouped: false,
          barPercentage: 0.6,
        },
      ],
    },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: { x: { min: 0, suggestedMax: restart.startup_ms, title: texts.x }, y: { ticks: { color: t.text } } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatMs(item.raw[1] - item.raw[0])} ms` } },
      },
    },
  });
}

function drawAmortChart(canvas, rows) {
  const { Chart, t } = prepareChart();
  const labels = rows.map(sizeName);
  const texts = chartTexts(canvas, t, {
    title: { wide: 'Start-up and compute, for runs of growing length', narrow: ['Start-up and compute,', 'for runs of growing length'] },
    x: { wide: 'run length (tasks × n per task)', narrow: 'tasks × n' },
    y: { wide: 'time (ms)', narrow: 'time (ms)' },
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'sequential (median)', data: rows.map((r) => r.sequential.median), ...barColors(engineColor('sequential')), stack: 'sequential' },
        { label: 'pool start-up', data: rows.map((r) => r.startup), backgroundColor: withAlpha(t.text, 0.3), borderColor: t.text, borderWidth: 1, stack: 'pool' },
        { label: "fresh pool's first run", data: rows.map((r) => r.first), ...barColors(engineColor('processes')), stack: 'pool' },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: { x: { stacked: true, title: texts.x, ticks: { color: t.text } }, y: { stacked: true, beginAtZero: true, title: texts.y } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${formatMs(item.raw)} ms` } },
      },
    },
  });
}

function drawSpeedupChart(canvas, rows) {
  const { Chart, t } = prepareChart();
  const labels = rows.map(sizeName);
  const top = Math.max(1.2, ...rows.map((r) => r.speedupWarm), ...rows.map((r) => r.speedupWith));
  const texts = chartTexts(canvas, t, {
    title: { wide: 'Speedup over sequential, with and without start-up', narrow: ['Speedup over sequential,', 'with and without start-up'] },
    x: { wide: 'run length (tasks × n per task)', narrow: 'tasks × n' },
    y: { wide: 'speedup (×, above 1 the pool wins)', narrow: 'speedup (×)' },
  });
  const pool = engineColor('processes');
  return new Chart(canvas, {
    type: 'line',
    data: {
      labels,
      datasets: [
        { label: 'fresh pool: start-up + first run', data: rows.map((r) => r.speedupWith), borderColor: pool, backgroundColor: pool, pointRadius: 5, borderWidth: 2.5 },
        { label: 'warm pool: start-up already paid', data: rows.map((r) => r.speedupWarm), borderColor: EXTRA_COLORS.blue, backgroundColor: EXTRA_COLORS.blue, pointRadius: 5, pointStyle: 'rectRot', borderWidth: 2, borderDash: [6, 3] },
      ],
    },
    plugins: [referenceLinePlugin],
    options: {
      maintainAspectRatio: false,
      scales: { x: { offset: true, title: texts.x, ticks: { color: t.text } }, y: { beginAtZero: true, suggestedMax: Math.ceil(top * 1.1 * 2) / 2, title: texts.y } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        referenceLine: { value: 1, label: 'break-even 1x', color: t.text },
        legend: legendWith(Chart, [dashedLegendItem('break-even: as fast as sequential', t.text)]),
        tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${factor(item.raw)}` } },
      },
    },
  });
}

// ---- building the panel ------------------------------------------------------------------

function buildPanel(container, { caps, defaultWorkers }) {
  const ui = {};
  ui.workers = slider({ id: 'startup-workers', label: 'Pool workers', min: 1, max: caps.maxWorkers, value: defaultWorkers, hint: `each one starts from nothing; this device reports ${plural(caps.cores, 'core')}` });
  ui.workersNote = h('span', { class: 'hint warn', id: 'startup-workers-note', attrs: { 'data-testid': 'startup-workers-note', role: 'note' }, hidden: true });
  ui.workers.field.append(ui.workersNote);
  ui.repetitions = slider({ id: 'startup-repetitions', label: 'Repetitions', min: 1, max: 10, value: DEFAULTS.repetitions, hint: 'sequential runs and warm pool runs per length' });
  const settingsSet = h('fieldset', { class: 'sizes', id: 'startup-settings' }, h('legend', { text: 'Settings' }), ui.workers.field, ui.repetitions.field);

  ui.sizeBoxes = SIZES.map((size) =>
    checkBox({ id: `startup-size-${size.n}`, label: `${TASKS} × ${sizeText(size.n)}`, checked: size.on, value: String(size.n) }),
  );
  const sizesSet = h('fieldset', { class: 'engines-choice', id: 'startup-sizes' }, h('legend', { text: `Run lengths (${TASKS} tasks × n iterations each)` }), ui.sizeBoxes.map((b) => b.field));

  ui.controls = controlsForm({ prefix: 'startup', fieldsets: [sizesSet, settingsSet], runText: 'Run' });

  ui.empty = h('p', { id: 'startup-empty', class: 'empty', text: "Press Run: each pool worker's start-up, and how start-up and compute add up for runs of growing length, will appear here." });
  ui.reading = h('ul', { id: 'startup-reading', class: 'reading', attrs: { 'data-testid': 'startup-reading', 'aria-label': 'What the numbers say' } });
  ui.chartError = h('p', { class: 'message message-error', id: 'startup-chart-error', hidden: true });
  ui.csv = h('button', { type: 'button', id: 'startup-download-csv', disabled: true, attrs: { 'data-testid': 'startup-download-csv' }, text: 'Download CSV' });

  const startup = chartCanvas('startup-chart-workers', 'Start-up per pool worker', 220);
  ui.startupCanvas = startup.canvas;
  ui.startupBox = startup.box;
  ui.startupTable = resultsTable({
    id: 'startup-workers-table',
    caption: 'Start-up per worker',
    columns: [{ label: 'Worker' }, { label: 'Own module (ms)', num: true }, { label: 'Ready after (ms)', num: true }],
  });
  ui.startupNote = h('p', { class: 'hint table-note', id: 'startup-workers-note-text' });
  ui.startupCard = h(
    'section',
    { class: 'card', id: 'startup-pool', attrs: { 'aria-labelledby': 'startup-pool-heading', 'data-testid': 'startup-pool' }, hidden: true },
    h('h3', { id: 'startup-pool-heading', text: 'Starting the pool: the entry point runs in every worker' }),
    h('div', { class: 'results-grid' }, h('div', { class: 'charts' }, startup.box), h('div', {}, h('div', { class: 'table-scroll' }, ui.startupTable.table), ui.startupNote)),
  );

  const amort = chartCanvas('startup-chart-amortisation', 'Start-up and compute per run length', 320);
  const speedup = chartCanvas('startup-chart-speedup', 'Speedup with and without start-up', 300);
  ui.amortCanvas = amort.canvas;
  ui.speedupCanvas = speedup.canvas;
  ui.amortTable = resultsTable({
    id: 'startup-results-table',
    caption: 'Start-up against compute',
    columns: [{ label: 'Run' }, { label: 'Sequential (ms)', num: true }, { label: 'Start-up (ms)', num: true }, { label: 'First run (ms)', num: true }, { label: 'Warm (ms)', num: true }, { label: 'Speedup', num: true }, { label: 'Checksum' }],
  });
  ui.amortNote = h('p', { class: 'hint table-note', id: 'startup-results-note' });
  ui.amortCard = h(
    'div',
    { class: 'results', id: 'startup-amortisation', attrs: { 'data-testid': 'startup-amortisation' }, hidden: true },
    h('div', { class: 'results-grid' }, h('div', { class: 'card charts' }, amort.box), h('div', { class: 'card charts' }, speedup.box)),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, ui.amortTable.table), ui.amortNote),
  );

  ui.timelineSize = h('select', { id: 'startup-timeline-size', attrs: { 'data-testid': 'startup-timeline-size' } });
  ui.timelineCanvas = h('canvas', { id: 'startup-chart-timeline', attrs: { role: 'img', 'data-testid': 'startup-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'startup-timeline-note' });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'startup-timeline', attrs: { 'aria-labelledby': 'startup-timeline-heading', 'data-testid': 'startup-timeline' }, hidden: true },
    h(
      'div',
      { class: 'timeline-head' },
      h('h3', { id: 'startup-timeline-heading', text: "Per-worker timeline of the fresh pool's first run" }),
      h('div', { class: 'inline-field' }, h('label', { htmlFor: 'startup-timeline-size', text: 'Run' }), ui.timelineSize),
    ),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'startup-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'startup-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading, h('div', { class: 'actions table-note' }, ui.csv)),
    ui.chartError,
    ui.startupCard,
    ui.amortCard,
    ui.timelineBox,
  );

  container.append(h('h3', { class: 'section-title', text: 'Try it' }), ui.controls.form, ui.controls.messages, ui.empty, ui.results);
  return ui;
}

export default { id, title, intro, mount };
