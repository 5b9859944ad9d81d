// Lesson 1, "Same interface, different engine": one `map` of a CPU-bound function,
// run on the four engines with the same settings, timed and compared. The page only
// draws; every run happens in the engines' workers through the bridge.
import { h, append, clear, download } from '../lib/dom.js';
import { ENGINE_ORDER, drawSpeedupChart, drawTimeChart, drawTimelineChart } from '../lib/charts.js';
import { describeSpeedup, formatCount, formatMs, idealSpeedup, plural, resultRows, rowsToCsv } from '../lib/reading.js';

export const id = 'engines';
export const title = 'Same interface, different engine';

const WORKLOAD = 'sum_of_squares';
const N_CHOICES = [1e6, 1e7, 3e7, 1e8, 3e8];
const DEFAULTS = { tasks: 4, n: 1e8, repetitions: 5, warmup: 1 };

const PYTHON_SNIPPET = `import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import ProcessPoolExecutor

def busy(seed):
    """Pure CPU work: nothing to wait for."""
    acc = 0
    for k in range(10_000_000):
        acc += k * k
    return acc

def seconds_for(Executor):
    began = time.perf_counter()
    with Executor(max_workers=4) as pool:
        list(pool.map(busy, range(4)))
    return time.perf_counter() - began

if __name__ == "__main__":
    # The calls differ by one word; only one scales.
    print("threads:  ", seconds_for(ThreadPoolExecutor))
    print("processes:", seconds_for(ProcessPoolExecutor))`;

/** The engines' names before the bridge has answered (the bridge's own labels are used after). */
const ENGINE_LABELS = { sequential: 'Sequential', gil: 'Threads with a GIL', threads: 'Threads (shared memory)', processes: 'Process pool' };

/** How each engine maps onto what a Python programmer knows. */
const ENGINE_NOTES = {
  sequential: 'One worker runs every task in turn: a plain for loop, and the yardstick for the others.',
  gil: 'Several threads, but a thread must hold one shared lock to compute, just as Python threads must hold the GIL. They take turns, so CPU-bound work gets no faster.',
  threads: 'Threads over one shared memory and no global lock, so they really run at the same time on different cores: the speedup Python gets from processes.',
  processes: 'Separate wasm instances, each with its own memory, fed by copied messages — the way a ProcessPoolExecutor pickles arguments to its worker processes. Starting the pool costs time once.',
};

/**
 * The lesson's reading part, which needs no engine: shown while the engines start.
 * `mount` adds it itself if it is not there yet.
 */
export function intro(container) {
  const node = h(
    'div',
    { class: 'intro' },
    h(
      'div',
      { class: 'prose' },
      h('p', {
        class: 'lead',
        text: 'In Python, switching CPU-heavy work from a thread pool to a process pool is often a one-word change, yet one version crawls and the other uses every core. Here the same map — a sum of squares per task — runs on four engines, so you can watch that difference happen.',
      }),
      h(
        'dl',
        { class: 'engine-list' },
        ENGINE_ORDER.map((engineId) => ({ id: engineId, label: ENGINE_LABELS[engineId] })).map((e) => [
          h('dt', {}, h('span', { class: 'swatch', dataset: { engine: e.id }, attrs: { 'aria-hidden': 'true' } }), e.label),
          h('dd', { text: ENGINE_NOTES[e.id] ?? '' }),
        ]),
      ),
      h('p', {
        text: 'Every engine computes the same answers in the same order; each run is checked against the sequential result before its time is shown.',
      }),
    ),
    h(
      'figure',
      { class: 'snippet' },
      h('figcaption', { text: 'The Python version: swap the executor, keep everything else' }),
      h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: PYTHON_SNIPPET })),
    ),
  );
  container.append(node);
  return node;
}

/**
 * Builds the lesson inside `container`. `caps` are the bridge's capabilities and
 * `bridge` its scriptable surface (`run`, `cancel`).
 */
export function mount(container, { caps, bridge }) {
  const engines = ENGINE_ORDER.map((engineId) => caps.engines.find((e) => e.id === engineId)).filter(Boolean);
  const labelOf = (engineId) => engines.find((e) => e.id === engineId)?.label ?? engineId;
  const defaultWorkers = clamp(Math.min(caps.cores, 4), Math.min(2, caps.maxWorkers), caps.maxWorkers);

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, engines, defaultWorkers });
  const state = { running: false, cancelling: false, results: [], timelinePinned: false, charts: {} };

  // ---- settings ----------------------------------------------------------------
  function settings() {
    return {
      workers: Number(ui.workers.value),
      tasks: Number(ui.tasks.value),
      n: Number(ui.n.value),
      repetitions: Number(ui.repetitions.value),
      warmup: Number(ui.warmup.value),
    };
  }

  function chosenEngines() {
    return engines.filter((e) => e.id === 'sequential' || (e.available && ui.engineBoxes[e.id].checked)).map((e) => e.id);
  }

  function showValues() {
    const s = settings();
    ui.workersOut.value = String(s.workers);
    ui.tasksOut.value = String(s.tasks);
    ui.repetitionsOut.value = String(s.repetitions);
    ui.warmupOut.value = String(s.warmup);
    const crowded = s.workers > caps.cores;
    ui.workersNote.hidden = !crowded;
    ui.workersNote.textContent = crowded ? `more workers than cores (${caps.cores}): extra workers can only take turns` : '';
    const count = chosenEngines().length;
    ui.run.textContent = count === 1 ? 'Run sequential only' : `Run on ${count} engines`;
  }
  ui.form.addEventListener('input', showValues);
  ui.form.addEventListener('change', showValues);
  showValues();

  // ---- messages and progress ---------------------------------------------------
  function say(text, kind = 'info') {
    ui.messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
  }

  function setProgress(fraction, text) {
    ui.progress.value = Math.max(0, Math.min(1, fraction));
    ui.progressText.textContent = text;
  }

  function setRunning(running) {
    const hadFocus = document.activeElement;
    state.running = running;
    ui.settings.forEach((fieldset) => {
      fieldset.disabled = running;
    });
    ui.run.disabled = running;
    ui.cancel.disabled = !running;
    ui.progressBox.hidden = false;
    if (running && hadFocus === ui.run) ui.cancel.focus();
    if (!running && (hadFocus === ui.cancel || hadFocus === document.body)) ui.run.focus();
  }

  // ---- running ---------------------------------------------------------------
  async function runAll() {
    if (state.running) return;
    const s = settings();
    const order = chosenEngines();
    state.results = [];
    state.timelinePinned = false;
    clear(ui.messages);
    render();
    container.dataset.state = 'running';
    setRunning(true);
    say(`Running ${plural(order.length, 'engine')}: ${order.map(labelOf).join(', ')}.`);
    const warnings = new Set();
    let outcome = 'done';
    for (const [index, engine] of order.entries()) {
      const label = labelOf(engine);
      const share = (fraction) => (index + fraction) / order.length;
      setProgress(share(0), `${label}: starting`);
      const config = { engine, workload: WORKLOAD, workers: s.workers, tasks: s.tasks, n: s.n, chunksize: 1, repetitions: s.repetitions, warmup: s.warmup };
      try {
        const result = await bridge.run(config, {
          onProgress: (p) => {
            if (!state.running || state.cancelling) return;
            setProgress(share(progressFraction(p, s)), `${label}: ${describePhase(p, s)}`);
          },
        });
        for (const warning of result.warnings ?? []) {
          if (!warnings.has(warning)) say(`${label}: ${warning}`, 'warning');
          warnings.add(warning);
        }
        state.results.push({ engine, label, result });
        setProgress(share(1), `${label}: done`);
        render();
      } catch (error) {
        outcome = reportError(error, label);
        if (outcome !== 'failed') break;
      }
    }
    state.cancelling = false;
    container.dataset.state = outcome === 'failed' ? 'done' : outcome;
    if (outcome === 'done' || outcome === 'failed') {
      setProgress(1, `Finished: ${plural(state.results.length, 'engine')} measured.`);
      const rows = resultRows(state.results);
      const last = [...rows].reverse().find((r) => r.engine !== 'sequential');
      if (last) say(`Done. ${reading(last)}`, 'success');
      else if (rows.length) say('Done. Sequential only: choose another engine to compare with.', 'success');
    } else {
      setProgress(ui.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    setRunning(false);
  }

  /** Shows `error` and answers whether the run stops ('cancelled', 'error') or goes on ('failed'). */
  function reportError(error, label) {
    if (error?.name === 'CancelledError') {
      say('Cancelled.', 'info');
      return 'cancelled';
    }
    if (error?.name === 'ConfigError') {
      const problems = error.errors?.length ? error.errors : [error.message];
      for (const problem of problems) say(`Settings refused: ${problem}`, 'error');
      return 'error';
    }
    if (error?.name === 'BusyError') {
      say(error.message, 'error');
      return 'error';
    }
    say(`${label} failed: ${error?.message ?? String(error)}`, 'error');
    return 'failed';
  }

  async function cancelRun() {
    if (!state.running || state.cancelling) return;
    state.cancelling = true;
    ui.cancel.disabled = true;
    setProgress(ui.progress.value, 'Cancelling…');
    try {
      await bridge.cancel();
    } catch (error) {
      say(`The engines did not restart after cancelling: ${error?.message ?? String(error)}`, 'error');
    }
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runAll();
  });
  ui.cancel.addEventListener('click', cancelRun);
  ui.csv.addEventListener('click', () => {
    const rows = resultRows(state.results);
    if (rows.length) download(`parallel-playground-engines-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, rowsToCsv(rows, caps.cores));
  });
  ui.timelineEngine.addEventListener('change', () => {
    state.timelinePinned = true;
    drawTimeline();
  });

  // ---- results ----------------------------------------------------------------
  function reading(row) {
    return describeSpeedup({ engine: row.engine, label: row.label, workers: row.workers, cores: caps.cores, speedup: row.speedup, tasks: row.tasks });
  }

  function render() {
    const rows = resultRows(state.results);
    ui.results.hidden = rows.length === 0;
    ui.results.dataset.engines = String(rows.length);
    ui.empty.hidden = rows.length > 0;
    ui.csv.disabled = rows.length === 0;
    renderReadings(rows);
    renderTable(rows);
    renderTimelineChoices();
    drawCharts(rows);
  }

  function renderReadings(rows) {
    clear(ui.reading);
    for (const row of rows.filter((r) => r.engine !== 'sequential')) {
      ui.reading.append(h('li', { dataset: { engine: row.engine }, text: reading(row) }));
    }
    if (rows.length === 1) ui.reading.append(h('li', { text: 'Only the baseline ran: tick another engine to compare.' }));
  }

  function renderTable(rows) {
    clear(ui.tableBody);
    for (const r of rows) {
      const verified = r.verified
        ? h('td', { class: 'verified', attrs: { role: 'cell' }, dataset: { label: 'Checksum' } }, h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }), h('span', { class: 'visually-hidden', text: 'verified, checksum ' }), h('code', { text: r.checksum }))
        : h('td', { class: 'unverified', attrs: { role: 'cell' }, dataset: { label: 'Checksum' }, text: `✗ ${r.checksum}` });
      const cell = (label, text) => h('td', { class: 'num', attrs: { role: 'cell' }, dataset: { label }, text });
      ui.tableBody.append(
        h(
          'tr',
          { dataset: { engine: r.engine }, attrs: { role: 'row' } },
          h('th', { attrs: { scope: 'row', role: 'rowheader' } }, h('span', { class: 'swatch', dataset: { engine: r.engine }, attrs: { 'aria-hidden': 'true' } }), r.label),
          cell('Workers', String(r.workers)),
          cell('Median (ms)', formatMs(r.median)),
          cell('Min–max (ms)', `${formatMs(r.min)}–${formatMs(r.max)}`),
          cell('Speedup', Number.isFinite(r.speedup) ? `${r.speedup.toFixed(2)}x` : '—'),
          verified,
        ),
      );
    }
    const pool = rows.find((r) => r.engine === 'processes');
    const setup = rows[0];
    const notes = [];
    if (setup) notes.push(`${plural(setup.tasks, 'task')} of n = ${formatCount(setup.n)} each, ${plural(setup.repetitions, 'timed run')} per engine on ${plural(caps.cores, 'core')}.`);
    if (pool && Number.isFinite(pool.startup) && pool.startup > 0) {
      notes.push(`Starting the pool's ${plural(pool.workers, 'worker')} took ${formatMs(pool.startup)} ms before the first run — paid once, like Python starting its worker processes, and left out of the timings.`);
    } else if (pool) {
      notes.push('The process pool was already running, so no start-up cost was paid this time.');
    }
    ui.tableNote.textContent = notes.join(' ');
  }

  function renderTimelineChoices() {
    const withTimeline = state.results.filter((r) => r.result.timeline?.length);
    const previous = ui.timelineEngine.value;
    clear(ui.timelineEngine);
    for (const r of withTimeline) ui.timelineEngine.append(h('option', { value: r.engine, text: r.label }));
    const lastParallel = [...withTimeline].reverse().find((r) => r.engine !== 'sequential') ?? withTimeline[0];
    const keep = state.timelinePinned && withTimeline.some((r) => r.engine === previous);
    if (lastParallel) ui.timelineEngine.value = keep ? previous : lastParallel.engine;
    ui.timelineBox.hidden = withTimeline.length === 0;
  }

  function destroy(name) {
    state.charts[name]?.destroy();
    delete state.charts[name];
  }

  function drawCharts(rows) {
    destroy('time');
    destroy('speedup');
    if (!rows.length) {
      destroy('timeline');
      return;
    }
    const perRow = ui.timeBox.clientWidth < 480 ? 56 : 44; // narrow charts wrap engine names
    ui.timeBox.style.height = `${Math.max(220, 130 + rows.length * perRow)}px`;
    ui.speedupBox.style.height = `${Math.max(220, 150 + rows.length * perRow)}px`;
    try {
      state.charts.time = drawTimeChart(ui.timeCanvas, rows);
      const workersUsed = rows.find((r) => r.engine !== 'sequential')?.workers ?? 1;
      state.charts.speedup = drawSpeedupChart(ui.speedupCanvas, rows, idealSpeedup(workersUsed, caps.cores));
      ui.timeCanvas.setAttribute('aria-label', `Median time per engine: ${rows.map((r) => `${r.label} ${formatMs(r.median)} ms`).join('; ')}.`);
      ui.speedupCanvas.setAttribute('aria-label', `Speedup over sequential: ${rows.map((r) => `${r.label} ${Number.isFinite(r.speedup) ? r.speedup.toFixed(2) : 'unknown'}x`).join('; ')}.`);
      ui.chartError.hidden = true;
    } catch (error) {
      ui.chartError.hidden = false;
      ui.chartError.textContent = `Charts unavailable: ${error.message}. The table still has every number.`;
    }
    drawTimeline();
  }

  function drawTimeline() {
    destroy('timeline');
    const chosen = state.results.find((r) => r.engine === ui.timelineEngine.value);
    if (!chosen) return;
    const { timeline } = chosen.result;
    const workers = new Set(timeline.map((c) => c.worker)).size;
    ui.timelineBox.dataset.engine = chosen.engine;
    ui.timelineBox.dataset.workers = String(workers);
    ui.timelineCanvasBox.style.height = `${130 + workers * 38}px`;
    ui.timelineNote.textContent =
      chosen.engine === 'gil'
        ? 'With a GIL the bars overlap although only one worker computes at any moment: each bar runs from when its worker picked the chunk up to when it finished, waiting for the lock included (hover a bar for the wait).'
        : chosen.engine === 'processes'
          ? 'Each bar is a chunk computed inside one pool worker; the gaps before and between bars are messages being copied there and back (hover for the times).'
          : chosen.engine === 'sequential'
            ? 'One worker, one chunk after another: the baseline.'
            : 'Each bar is a chunk; bars that overlap in time really ran at the same time on different cores.';
    try {
      state.charts.timeline = drawTimelineChart(ui.timelineCanvas, timeline, { engine: chosen.engine, label: chosen.label });
      ui.timelineCanvas.setAttribute('aria-label', `Timeline of the last timed run of ${chosen.label}: ${plural(timeline.length, 'chunk')} on ${plural(workers, 'worker')}, finished after ${formatMs(Math.max(...timeline.map((c) => c.end_ms)))} ms.`);
    } catch {
      // drawCharts already explained why charts are missing.
    }
  }

  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', () => drawCharts(resultRows(state.results)));

  container.dataset.state = 'idle';
  return { runAll, cancel: cancelRun };
}

function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** How far through one engine's call a progress report is, from 0 to 1. */
function progressFraction(p, s) {
  const total = s.warmup + s.repetitions;
  if (p.phase === 'warmup') return p.done / total;
  if (p.phase === 'timed') return (s.warmup + p.done) / total;
  return 0;
}

function describePhase(p, s) {
  switch (p.phase) {
    case 'startup':
      return `starting ${plural(s.workers, 'pool worker')}`;
    case 'reference':
      return 'computing the reference checksum';
    case 'warmup':
      return `warm-up run ${p.done + 1}/${p.total}`;
    case 'timed':
      return `timed run ${p.done + 1}/${p.total}`;
    default:
      return 'working';
  }
}

// ---- building the panel --------------------------------------------------------

function slider({ id, label, min, max, value, hint }) {
  const input = h('input', { id, type: 'range', min: String(min), max: String(max), step: '1', value: String(value), attrs: { 'data-testid': id } });
  const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` }, text: String(value) });
  const hintNode = hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const field = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label }), output), input, hintNode);
  return { field, input, output };
}

function buildPanel(container, { caps, engines, defaultWorkers }) {
  const ui = {};


  // Engines.
  ui.engineBoxes = {};
  const engineFieldset = h('fieldset', { class: 'engines-choice', id: 'engines-engines' }, h('legend', { text: 'Engines' }));
  for (const e of engines) {
    const boxId = `engines-engine-${e.id}`;
    const box = h('input', { type: 'checkbox', id: boxId, name: 'engine', value: e.id, attrs: { 'data-testid': boxId } });
    if (e.id === 'sequential') {
      box.checked = true;
      box.disabled = true;
    } else {
      box.checked = e.available;
      box.disabled = !e.available;
    }
    const note =
      e.id === 'sequential'
        ? h('span', { class: 'hint', id: `${boxId}-reason`, text: 'always runs: the baseline' })
        : !e.available
          ? h('span', { class: 'hint reason', id: `${boxId}-reason`, text: `unavailable: ${e.reason || 'not supported here'}` })
          : null;
    if (note) box.setAttribute('aria-describedby', note.id);
    ui.engineBoxes[e.id] = box;
    engineFieldset.append(
      h('div', { class: `check${e.available ? '' : ' unavailable'}`, dataset: { engine: e.id } }, box, h('label', { htmlFor: boxId }, h('span', { class: 'swatch', dataset: { engine: e.id }, attrs: { 'aria-hidden': 'true' } }), e.label), note),
    );
  }

  // Sizes.
  const workers = slider({ id: 'engines-workers', label: 'Workers', min: 1, max: caps.maxWorkers, value: defaultWorkers, hint: `threads or pool workers; this device reports ${plural(caps.cores, 'core')}` });
  ui.workersNote = h('span', { class: 'hint warn', id: 'engines-workers-note', attrs: { 'data-testid': 'engines-workers-note', role: 'note' }, hidden: true });
  workers.field.append(ui.workersNote);
  const tasks = slider({ id: 'engines-tasks', label: 'Tasks', min: 1, max: 64, value: DEFAULTS.tasks, hint: 'inputs the map runs over, one chunk each' });
  const nSelect = h(
    'select',
    { id: 'engines-n', attrs: { 'data-testid': 'engines-n', 'aria-describedby': 'engines-n-hint' } },
    N_CHOICES.map((n) => h('option', { value: String(n), text: formatCount(n), selected: n === DEFAULTS.n })),
  );
  const nField = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head' }, h('label', { htmlFor: 'engines-n', text: 'Problem size n per task' })),
    nSelect,
    h('span', { class: 'hint', id: 'engines-n-hint', text: 'each task adds up k × k for about n values of k' }),
  );
  const repetitions = slider({ id: 'engines-repetitions', label: 'Repetitions', min: 1, max: 15, value: DEFAULTS.repetitions, hint: 'timed runs; the chart shows their median' });
  const warmup = slider({ id: 'engines-warmup', label: 'Warm-up runs', min: 0, max: 3, value: DEFAULTS.warmup, hint: 'untimed runs first, so start-up costs do not skew the timings' });
  const sizes = h('fieldset', { class: 'sizes', id: 'engines-sizes' }, h('legend', { text: 'Settings' }), workers.field, tasks.field, nField, repetitions.field, warmup.field);

  ui.run = h('button', { type: 'submit', id: 'engines-run', class: 'primary', attrs: { 'data-testid': 'engines-run' }, text: 'Run' });
  ui.cancel = h('button', { type: 'button', id: 'engines-cancel', disabled: true, attrs: { 'data-testid': 'engines-cancel' }, text: 'Cancel' });
  ui.progress = h('progress', { id: 'engines-progress', max: 1, value: 0, attrs: { 'data-testid': 'engines-progress', 'aria-labelledby': 'engines-progress-text' } });
  ui.progressText = h('span', { id: 'engines-progress-text', class: 'progress-text', attrs: { 'data-testid': 'engines-progress-text' }, text: 'Ready.' });
  ui.progressBox = h('div', { class: 'progress-box', id: 'engines-progress-box' }, ui.progress, ui.progressText);
  const actions = h('div', { class: 'actions' }, ui.run, ui.cancel, ui.progressBox);

  ui.form = h('form', { id: 'engines-form', class: 'controls card', attrs: { 'aria-label': 'Run settings', novalidate: true } }, engineFieldset, sizes, actions);
  ui.settings = [engineFieldset, sizes];
  ui.messages = h('div', { id: 'engines-messages', class: 'messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'engines-messages' } });

  // Results.
  ui.empty = h('p', { id: 'engines-empty', class: 'empty', text: 'Press Run: the timings, speedups and a timeline of who ran what will appear here.' });
  ui.reading = h('ul', { id: 'engines-reading', class: 'reading', attrs: { 'data-testid': 'engines-reading', 'aria-label': 'What the numbers say' } });

  ui.timeCanvas = h('canvas', { id: 'engines-chart-time', attrs: { role: 'img', 'data-testid': 'engines-chart-time', 'aria-label': 'Median time per engine' } });
  ui.speedupCanvas = h('canvas', { id: 'engines-chart-speedup', attrs: { role: 'img', 'data-testid': 'engines-chart-speedup', 'aria-label': 'Speedup over sequential' } });
  ui.timeBox = h('div', { class: 'chart-box' }, ui.timeCanvas);
  ui.speedupBox = h('div', { class: 'chart-box' }, ui.speedupCanvas);
  ui.chartError = h('p', { class: 'message message-error', id: 'engines-chart-error', hidden: true });

  ui.tableBody = h('tbody', { id: 'engines-results-body', attrs: { role: 'rowgroup' } });
  const table = h(
    'table',
    // Explicit roles keep the table a table for screen readers when narrow screens restyle it as cards.
    { id: 'engines-results-table', class: 'results-table', attrs: { role: 'table', 'data-testid': 'engines-results-table' } },
    h('caption', { text: 'Results of the last run' }),
    h(
      'thead',
      { attrs: { role: 'rowgroup' } },
      h(
        'tr',
        { attrs: { role: 'row' } },
        ['Engine', 'Workers', 'Median (ms)', 'Min–max (ms)', 'Speedup', 'Checksum'].map((name, i) => h('th', { attrs: { scope: 'col', role: 'columnheader' }, class: i > 0 && i < 5 ? 'num' : '', text: name })),
      ),
    ),
    ui.tableBody,
  );
  ui.tableNote = h('p', { class: 'hint table-note', id: 'engines-table-note' });
  ui.csv = h('button', { type: 'button', id: 'engines-download-csv', disabled: true, attrs: { 'data-testid': 'engines-download-csv' }, text: 'Download CSV' });

  ui.timelineEngine = h('select', { id: 'engines-timeline-engine', attrs: { 'data-testid': 'engines-timeline-engine' } });
  ui.timelineCanvas = h('canvas', { id: 'engines-chart-timeline', attrs: { role: 'img', 'data-testid': 'engines-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'engines-timeline-note' });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'engines-timeline', attrs: { 'aria-labelledby': 'engines-timeline-heading' }, hidden: true },
    h(
      'div',
      { class: 'timeline-head' },
      h('h3', { id: 'engines-timeline-heading', text: 'Per-worker timeline of the last timed run' }),
      h('div', { class: 'inline-field' }, h('label', { htmlFor: 'engines-timeline-engine', text: 'Engine' }), ui.timelineEngine),
    ),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'engines-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'engines-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading),
    h(
      'div',
      { class: 'results-grid' },
      h('div', { class: 'card charts' }, ui.chartError, ui.timeBox, ui.speedupBox),
      h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, table), ui.tableNote, h('div', { class: 'actions' }, ui.csv)),
    ),
    ui.timelineBox,
  );

  append(
    container,
    h('h3', { class: 'section-title', text: 'Try it' }),
    ui.form,
    ui.messages,
    ui.empty,
    ui.results,
  );

  Object.assign(ui, {
    workers: workers.input,
    workersOut: workers.output,
    tasks: tasks.input,
    tasksOut: tasks.output,
    n: nSelect,
    repetitions: repetitions.input,
    repetitionsOut: repetitions.output,
    warmup: warmup.input,
    warmupOut: warmup.output,
  });
  return ui;
}

export default { id, title, intro, mount };
