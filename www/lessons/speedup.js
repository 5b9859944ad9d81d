// Lesson 2, "Speedup versus workers": the busy loop run with 1, 2, … K workers on every
// engine, each point timed against the sequential baseline, drawn against the ideal
// min(k, cores) and against Amdahl's curve fitted to the points. Every run and every fit
// happens in the engines' workers through the bridge; the page only draws and reads.
import { h, append, clear, download } from '../lib/dom.js';
import { ENGINE_ORDER, drawTimelineChart } from '../lib/charts.js';
import { formatCount, formatFactor, formatMs, idealSpeedup, plural } from '../lib/reading.js';
import { SHORT, drawSweepChart } from '../lib/speedup-charts.js';
import { amdahlOnCores, formatPercent, formatSpeedup, readSweep, speedupBetween, toCsv } from '../lib/speedup-reading.js';
import {
  checksumCell,
  clamp,
  describeError,
  describePhase,
  engineChoice,
  engineHeader,
  ensureStylesheet,
  messageArea,
  numeric,
  numCell,
  progressFraction,
  resultsTable,
  runControls,
  say as sayIn,
  selectField,
  slider,
  stamp,
} from '../lib/speedup-ui.js';

export const id = 'speedup';
export const title = 'Speedup versus workers';

const WORKLOAD = 'sum_of_squares';
const N_CHOICES = [1e6, 5e6, 1e7, 2e7, 5e7, 1e8];

const PYTHON_SNIPPET = `import os
import time
from concurrent.futures import ProcessPoolExecutor

def busy(seed):
    acc = 0
    for k in range(5_000_000):
        acc += k * k
    return acc

def seconds(workers, tasks):
    began = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        list(pool.map(busy, range(tasks)))
    return time.perf_counter() - began  # start-up included

if __name__ == "__main__":
    cores = os.cpu_count()
    largest = cores + 2          # go past the cores on purpose
    tasks = 2 * largest          # every worker gets work
    began = time.perf_counter()
    for t in range(tasks):
        busy(t)
    baseline = time.perf_counter() - began
    for k in range(1, largest + 1):
        speedup = baseline / seconds(k, tasks)
        print(f"{k} workers: {speedup:.2f}x "
              f"(ideal {min(k, cores)}x)")`;

const ENGINE_LABELS = { sequential: 'Sequential', gil: 'Threads with a GIL', threads: 'Threads (shared memory)', processes: 'Process pool' };

/** The reading part, shown while the engines start. */
export function intro(container) {
  ensureStylesheet(new URL('./speedup.css', import.meta.url));
  const node = h(
    'div',
    { class: 'intro' },
    h(
      'div',
      { class: 'prose' },
      h('p', {
        class: 'lead',
        text: 'If one worker takes a minute, do four take fifteen seconds? Only while there is a free core for each of them. Here the same busy loop runs with one worker, then two, then more — past the number of cores this device has — and every step is timed against a plain loop.',
      }),
      h('p', {
        text: 'Three lines to compare: what you measured, the ideal (k times faster, but never more than the core count), and the curve of Amdahl’s law fitted to your points — a model in which some fraction of the work can never run in parallel. The fitted fraction says how far from perfect this run was.',
      }),
      h(
        'ul',
        {},
        h('li', { text: `${ENGINE_LABELS.threads} and the ${ENGINE_LABELS.processes.toLowerCase()} should climb until k reaches the core count, then go flat: extra workers just take turns.` }),
        h('li', { text: `${ENGINE_LABELS.gil} should stay at about 1x for every k: one lock, one worker computing.` }),
      ),
    ),
    h(
      'figure',
      { class: 'snippet' },
      h('figcaption', { text: 'The same sweep in Python, one pool size at a time' }),
      h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: PYTHON_SNIPPET })),
    ),
  );
  container.append(node);
  return node;
}

/** Builds the lesson in `container` with the bridge's `caps` and scriptable `bridge`. */
export function mount(container, { caps, bridge }) {
  ensureStylesheet(new URL('./speedup.css', import.meta.url));
  const engines = ENGINE_ORDER.map((engineId) => caps.engines.find((e) => e.id === engineId)).filter(Boolean);
  const labelOf = (engineId) => engines.find((e) => e.id === engineId)?.label ?? ENGINE_LABELS[engineId] ?? engineId;
  const cores = Math.max(1, caps.cores);
  const limits = { largestMin: Math.min(2, caps.maxWorkers), largestMax: caps.maxWorkers, tasksMax: Math.max(64, 4 * caps.maxWorkers) };
  const defaults = {
    largest: clamp(cores + 2, limits.largestMin, limits.largestMax),
    n: cores <= 4 ? 2e7 : 5e6,
    repetitions: 3,
    warmup: 1,
  };
  defaults.tasks = 2 * defaults.largest;

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, engines, limits, defaults });
  const state = { running: false, cancelling: false, baseline: null, sweeps: new Map(), fits: new Map(), settings: null, timelinePinned: false, charts: {} };
  const say = (text, kind) => sayIn(ui.messages, text, kind);

  // ---- settings ----------------------------------------------------------------
  function settings() {
    return {
      largest: numeric(ui.largest.value),
      tasks: numeric(ui.tasks.value),
      n: numeric(ui.n.value),
      repetitions: numeric(ui.repetitions.value),
      warmup: numeric(ui.warmup.value),
    };
  }

  function chosenEngines() {
    return engines.filter((e) => e.id === 'sequential' || (e.available && ui.engineBoxes[e.id].checked)).map((e) => e.id);
  }

  function showValues() {
    // Every worker must have work: at least two tasks per worker at the largest k.
    const largest = Number(ui.largest.value);
    ui.tasks.min = String(Math.min(limits.tasksMax, 2 * largest));
    const s = settings();
    ui.largestOut.value = String(s.largest);
    ui.tasksOut.value = String(s.tasks);
    ui.repetitionsOut.value = String(s.repetitions);
    ui.warmupOut.value = String(s.warmup);
    ui.tasksHint.textContent = `at least 2 per worker at k = ${s.largest}, so no worker is left without work (${(s.tasks / s.largest).toFixed(1).replace(/\.0$/, '')} per worker now)`;
    ui.largestNote.hidden = s.largest > cores;
    ui.largestNote.textContent = s.largest > cores ? '' : `stops within this device's ${plural(cores, 'core')}: go past ${cores} to see extra workers stop helping`;
    const parallel = chosenEngines().length - 1;
    const runs = (1 + parallel * s.largest) * (s.repetitions + s.warmup);
    ui.run.textContent = parallel ? `Run ${plural(1 + parallel * s.largest, 'point')}` : 'Run sequential only';
    ui.runHint.textContent = `${plural(runs, 'map')} of ${plural(s.tasks, 'task')} each, warm-ups included`;
  }
  ui.form.addEventListener('input', showValues);
  ui.form.addEventListener('change', showValues);
  showValues();

  // ---- progress ----------------------------------------------------------------
  function setProgress(fraction, text) {
    ui.progress.value = clamp(fraction, 0, 1);
    ui.progressText.textContent = text;
  }

  function setRunning(running) {
    const hadFocus = document.activeElement;
    state.running = running;
    for (const fieldset of ui.settings) fieldset.disabled = running;
    ui.run.disabled = running;
    ui.cancel.disabled = !running;
    if (running && hadFocus === ui.run) ui.cancel.focus();
    if (!running && (hadFocus === ui.cancel || hadFocus === document.body)) ui.run.focus();
  }

  // ---- running -----------------------------------------------------------------
  async function runAll() {
    if (state.running) return;
    const s = settings();
    const order = chosenEngines();
    const parallel = order.filter((e) => e !== 'sequential');
    Object.assign(state, { baseline: null, sweeps: new Map(), fits: new Map(), settings: s, timelinePinned: false });
    clear(ui.messages);
    render();
    container.dataset.state = 'running';
    setRunning(true);
    const steps = 1 + parallel.length * s.largest;
    let step = 0;
    say(`Sweeping 1 to ${s.largest} workers on ${plural(parallel.length, 'engine')} (${parallel.map(labelOf).join(', ') || 'none'}), against a sequential baseline: ${plural(steps, 'point')}.`);
    const warnings = new Set();
    let outcome = 'done';

    const measure = async (engine, workers) => {
      const label = labelOf(engine);
      const where = engine === 'sequential' ? `${label} baseline` : `${label}, ${plural(workers, 'worker')}`;
      const config = { engine, workload: WORKLOAD, workers, tasks: s.tasks, n: s.n, chunksize: 1, repetitions: s.repetitions, warmup: s.warmup };
      setProgress(step / steps, `${where}: starting`);
      const result = await bridge.run(config, {
        onProgress: (p) => {
          if (!state.running || state.cancelling) return;
          setProgress((step + progressFraction(p, s)) / steps, `${where}: ${describePhase(p, workers)}`);
        },
      });
      for (const warning of result.warnings ?? []) {
        if (!warnings.has(warning)) say(`${label}: ${warning}`, 'warning');
        warnings.add(warning);
      }
      step += 1;
      return result;
    };

    try {
      state.baseline = await measure('sequential', 1);
      render();
    } catch (error) {
      outcome = describeError(error, labelOf('sequential'), say);
      if (outcome === 'failed') outcome = 'error';
    }

    for (const engine of outcome === 'done' ? parallel : []) {
      const sweep = [];
      state.sweeps.set(engine, sweep);
      let stopped = false;
      for (let k = 1; k <= s.largest; k++) {
        try {
          const result = await measure(engine, k);
          sweep.push({ workers: result.config.workers, result });
          render();
        } catch (error) {
          const verdict = describeError(error, labelOf(engine), say);
          if (verdict !== 'failed') outcome = verdict;
          else step += s.largest - k + 1;
          stopped = true;
          break;
        }
      }
      if (outcome !== 'done') break;
      if (!stopped || sweep.length) await fitAmdahl(engine);
      render();
    }

    state.cancelling = false;
    container.dataset.state = outcome;
    if (outcome === 'done') {
      setProgress(1, `Finished: ${plural(1 + [...state.sweeps.values()].reduce((n, sw) => n + sw.length, 0), 'point')} measured.`);
      const lines = readings();
      const headline = lines.find((l) => l.engine === 'threads') ?? lines.find((l) => l.engine === 'processes') ?? lines[0];
      say(`Done. ${headline?.text ?? 'Sequential only: tick another engine to sweep it.'}`, 'success');
    } else {
      setProgress(ui.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    setRunning(false);
  }

  /** Fits Amdahl's serial fraction to the points within the core count (k ≥ 2). */
  async function fitAmdahl(engine) {
    const inside = points(engine).filter((p) => p.workers >= 2 && p.workers <= cores && Number.isFinite(p.speedup));
    if (!inside.length) {
      state.fits.set(engine, null);
      return;
    }
    try {
      const answer = await bridge.call('fit', { model: 'amdahl', xs: inside.map((p) => p.workers), ys: inside.map((p) => p.speedup) });
      state.fits.set(engine, Number.isFinite(answer?.serial_fraction) ? answer.serial_fraction : null);
    } catch (error) {
      state.fits.set(engine, null);
      if (error?.name === 'CancelledError') throw error;
      say(`The Amdahl fit for ${labelOf(engine)} failed: ${error?.message ?? String(error)}`, 'warning');
    }
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
    runAll().catch((error) => {
      // A cancelled fit lands here; anything else is a bug worth showing.
      const cancelled = error?.name === 'CancelledError';
      state.cancelling = false;
      container.dataset.state = cancelled ? 'cancelled' : 'error';
      say(cancelled ? 'Cancelled.' : `The sweep stopped: ${error?.message ?? String(error)}`, cancelled ? 'info' : 'error');
      setProgress(ui.progress.value, cancelled ? 'Cancelled.' : 'Stopped.');
      setRunning(false);
    });
  });
  ui.cancel.addEventListener('click', cancelRun);
  ui.csv.addEventListener('click', () => {
    const rows = tableRows();
    if (rows.length) download(`parallel-playground-speedup-${stamp()}.csv`, csvText(rows));
  });
  ui.timelineEngine.addEventListener('change', () => {
    state.timelinePinned = true;
    drawTimeline();
  });

  // ---- numbers -----------------------------------------------------------------
  function points(engine) {
    const baseline = state.baseline?.summary;
    if (!baseline) return [];
    if (engine === 'sequential') {
      const r = state.baseline;
      return [{ workers: 1, ...speedupBetween(baseline, baseline), speedup: 1, median: r.summary.median, min: r.summary.min, max: r.summary.max, result: r }];
    }
    return (state.sweeps.get(engine) ?? []).map(({ workers, result }) => ({
      workers,
      ...speedupBetween(baseline, result.summary),
      median: result.summary.median,
      min: result.summary.min,
      max: result.summary.max,
      result,
    }));
  }

  function series() {
    if (!state.baseline) return [];
    const list = [{ engine: 'sequential', label: labelOf('sequential'), points: points('sequential'), serialFraction: null }];
    for (const engine of state.sweeps.keys()) {
      list.push({ engine, label: labelOf(engine), points: points(engine), serialFraction: state.fits.get(engine) ?? null });
    }
    return list;
  }

  function readings() {
    const s = state.settings;
    if (!s || !state.baseline) return [];
    const sweeps = series().filter((x) => x.engine !== 'sequential' && x.points.length);
    if (!sweeps.length) return [{ engine: null, text: 'Only the sequential baseline ran: tick another engine to sweep it.' }];
    return readSweep({ cores, largest: s.largest, tasks: s.tasks, sweeps });
  }

  function tableRows() {
    const rows = [];
    for (const sx of series()) {
      for (const p of sx.points) {
        const r = p.result;
        rows.push({
          engine: sx.engine,
          label: sx.label,
          workers: p.workers,
          tasks: r.config.tasks,
          n: r.config.n,
          repetitions: r.summary.count,
          median: p.median,
          min: p.min,
          max: p.max,
          speedup: p.speedup,
          low: p.low,
          high: p.high,
          ideal: idealSpeedup(p.workers, cores),
          amdahl: Number.isFinite(sx.serialFraction) ? amdahlOnCores(sx.serialFraction, p.workers, cores) : null,
          serialFraction: sx.serialFraction,
          verified: r.verified === true && r.checksum === r.expected,
          checksum: r.checksum,
          startup: r.startup_ms ?? null,
        });
      }
    }
    return rows;
  }

  function csvText(rows) {
    const header = ['engine', 'label', 'workers', 'cores', 'tasks', 'n', 'repetitions', 'median_ms', 'min_ms', 'max_ms', 'speedup', 'speedup_low', 'speedup_high', 'ideal', 'amdahl_fit', 'serial_fraction', 'verified', 'checksum', 'pool_startup_ms'];
    return toCsv(
      header,
      rows.map((r) => [r.engine, r.label, r.workers, cores, r.tasks, r.n, r.repetitions, r.median, r.min, r.max, r.speedup, r.low, r.high, r.ideal, r.amdahl, r.serialFraction, r.verified, r.checksum, r.startup]),
    );
  }

  // ---- drawing -----------------------------------------------------------------
  function render() {
    const rows = tableRows();
    ui.results.hidden = rows.length === 0;
    ui.empty.hidden = rows.length > 0;
    ui.results.dataset.points = String(rows.length);
    ui.csv.disabled = rows.length === 0;
    renderReading();
    renderFigures();
    renderTable(rows);
    renderTimelineChoices();
    drawChart();
  }

  function renderReading() {
    clear(ui.reading);
    for (const line of readings()) ui.reading.append(h('li', { dataset: line.engine ? { engine: line.engine } : {}, text: line.text }));
  }

  function renderFigures() {
    clear(ui.figures);
    const s = state.settings;
    if (!s) return;
    const figure = (label, value, extra = {}) => h('div', extra, h('dt', { text: label }), h('dd', {}, value));
    append(
      ui.figures,
      figure('Cores detected', String(cores), { attrs: { 'data-testid': 'speedup-cores' } }),
      figure('Workers swept', `1 – ${s.largest}`),
      figure('Tasks × n per task', `${s.tasks} × ${formatCount(s.n)}`),
    );
    for (const engine of state.sweeps.keys()) {
      if (!state.fits.has(engine)) continue;
      const fitted = state.fits.get(engine);
      ui.figures.append(
        figure(
          `Fitted serial fraction, ${SHORT[engine] ?? labelOf(engine)}`,
          [h('span', { class: 'swatch', dataset: { engine }, attrs: { 'aria-hidden': 'true' } }), Number.isFinite(fitted) ? formatPercent(fitted) : 'no fit'],
          { attrs: { 'data-testid': `speedup-fit-${engine}` }, dataset: { engine, serialFraction: Number.isFinite(fitted) ? String(fitted) : '' } },
        ),
      );
    }
  }

  function renderTable(rows) {
    clear(ui.tableBody);
    for (const r of rows) {
      ui.tableBody.append(
        h(
          'tr',
          { dataset: { engine: r.engine, workers: String(r.workers), speedup: String(r.speedup) }, attrs: { role: 'row' } },
          engineHeader(r.engine, r.label),
          numCell('Workers', String(r.workers)),
          numCell('Median (ms)', formatMs(r.median)),
          numCell('Min–max (ms)', `${formatMs(r.min)}–${formatMs(r.max)}`),
          numCell('Speedup', r.engine === 'sequential' ? '1x' : `${formatSpeedup(r.speedup)}`),
          numCell('Ideal', formatFactor(r.ideal)),
          numCell('Amdahl fit', Number.isFinite(r.amdahl) && r.engine !== 'sequential' ? formatSpeedup(r.amdahl) : '—'),
          checksumCell(r.verified, r.checksum),
        ),
      );
    }
    const s = state.settings;
    const notes = [];
    if (s && rows.length) {
      notes.push(`${plural(s.tasks, 'task')} of n = ${formatCount(s.n)} each, ${plural(s.repetitions, 'timed run')} per point after ${plural(s.warmup, 'warm-up run')}, on ${plural(cores, 'core')}. Speedup is the sequential median over the point's median; the chart's whiskers span the slowest to the fastest pairing of runs.`);
      const startup = rows.filter((r) => r.engine === 'processes' && Number.isFinite(r.startup) && r.startup > 0).reduce((sum, r) => sum + r.startup, 0);
      if (startup > 0) notes.push(`Starting process-pool workers took ${formatMs(startup)} ms in all, as the pool grew; it is not in the timings.`);
    }
    ui.tableNote.textContent = notes.join(' ');
  }

  function timelineRuns() {
    const runs = [];
    for (const [engine, sweep] of state.sweeps) {
      const last = sweep.at(-1);
      if (last?.result.timeline?.length) runs.push({ engine, label: labelOf(engine), workers: last.workers, result: last.result });
    }
    if (state.baseline?.timeline?.length) runs.unshift({ engine: 'sequential', label: labelOf('sequential'), workers: 1, result: state.baseline });
    return runs;
  }

  function renderTimelineChoices() {
    const runs = timelineRuns();
    const previous = ui.timelineEngine.value;
    clear(ui.timelineEngine);
    for (const r of runs) ui.timelineEngine.append(h('option', { value: r.engine, text: r.engine === 'sequential' ? r.label : `${r.label}, ${plural(r.workers, 'worker')}` }));
    const last = runs.at(-1);
    const keep = state.timelinePinned && runs.some((r) => r.engine === previous);
    if (last) ui.timelineEngine.value = keep ? previous : last.engine;
    ui.timelineBox.hidden = runs.length === 0;
  }

  function destroy(name) {
    state.charts[name]?.destroy();
    delete state.charts[name];
  }

  function drawChart() {
    destroy('sweep');
    const list = series();
    if (!list.length) {
      destroy('timeline');
      return;
    }
    const largest = state.settings.largest;
    ui.chartBox.style.height = ui.chartBox.clientWidth < 480 ? '500px' : '430px';
    try {
      state.charts.sweep = drawSweepChart(ui.chartCanvas, { cores, largest, series: list });
      ui.chartCanvas.setAttribute(
        'aria-label',
        `Speedup against workers. ${list
          .filter((x) => x.engine !== 'sequential')
          .map((x) => `${x.label}: ${x.points.map((p) => `${p.workers} → ${formatSpeedup(p.speedup)}`).join(', ')}`)
          .join('. ')}. Ideal: min(k, ${cores}).`,
      );
      ui.chartError.hidden = true;
    } catch (error) {
      ui.chartError.hidden = false;
      ui.chartError.textContent = `Charts unavailable: ${error.message}. The table still has every number.`;
    }
    drawTimeline();
  }

  function drawTimeline() {
    destroy('timeline');
    const chosen = timelineRuns().find((r) => r.engine === ui.timelineEngine.value);
    if (!chosen) return;
    const { timeline } = chosen.result;
    const workers = new Set(timeline.map((c) => c.worker)).size;
    ui.timelineBox.dataset.engine = chosen.engine;
    ui.timelineBox.dataset.workers = String(workers);
    ui.timelineBox.dataset.chunks = String(timeline.length);
    ui.timelineCanvasBox.style.height = `${130 + workers * 34}px`;
    const crowded = chosen.workers > cores;
    ui.timelineNote.textContent =
      chosen.engine === 'sequential'
        ? 'The baseline: one worker, one task after another.'
        : chosen.engine === 'gil'
          ? `${plural(chosen.workers, 'worker')} take turns with one lock: the bars overlap, but only one of them is computing at any moment (hover a bar for its wait).`
          : crowded
            ? `${chosen.workers} workers on ${plural(cores, 'core')}: the bars run side by side but each one stretches, because the workers share cores and take turns. The whole run ends no sooner than with ${cores}.`
            : `${plural(chosen.workers, 'worker')} on ${plural(cores, 'core')}: bars that overlap in time really ran at the same time.`;
    if (chosen.engine === 'processes') ui.timelineNote.textContent += ' Grey bars are chunks being copied to a pool worker and back.';
    try {
      state.charts.timeline = drawTimelineChart(ui.timelineCanvas, timeline, { engine: chosen.engine, label: chosen.engine === 'sequential' ? chosen.label : `${chosen.label}, ${plural(chosen.workers, 'worker')}` });
      ui.timelineCanvas.setAttribute('aria-label', `Timeline of the last timed run of ${chosen.label} with ${plural(chosen.workers, 'worker')}: ${plural(timeline.length, 'chunk')} on ${plural(workers, 'worker')}, finished after ${formatMs(Math.max(...timeline.map((c) => c.end_ms)))} ms.`);
    } catch {
      // drawChart already said why charts are missing.
    }
  }

  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => drawChart());

  container.dataset.state = 'idle';
  return { runAll, cancel: cancelRun };
}

// ---- building the panel --------------------------------------------------------

function buildPanel(container, { caps, engines, limits, defaults }) {
  const ui = {};
  const choice = engineChoice({ prefix: 'speedup', engines });
  ui.engineBoxes = choice.boxes;

  const largest = slider({ id: 'speedup-workers', label: 'Largest worker count k', min: limits.largestMin, max: limits.largestMax, value: defaults.largest, hint: `the sweep runs k = 1, 2, … up to this; this device reports ${plural(caps.cores, 'core')}` });
  ui.largestNote = h('span', { class: 'hint warn', id: 'speedup-workers-note', attrs: { 'data-testid': 'speedup-workers-note', role: 'note' }, hidden: true });
  largest.field.append(ui.largestNote);
  const tasks = slider({ id: 'speedup-tasks', label: 'Tasks', min: 2 * defaults.largest, max: limits.tasksMax, value: defaults.tasks, hint: 'coarse tasks' });
  const n = selectField({
    id: 'speedup-n',
    label: 'Problem size n per task',
    choices: N_CHOICES.map((value) => ({ value, text: formatCount(value) })),
    value: defaults.n,
    hint: 'each task adds up k × k for about n values of k',
  });
  const repetitions = slider({ id: 'speedup-repetitions', label: 'Repetitions per point', min: 1, max: 10, value: defaults.repetitions, hint: 'timed runs; each point is their median' });
  const warmup = slider({ id: 'speedup-warmup', label: 'Warm-up runs per point', min: 0, max: 3, value: defaults.warmup, hint: 'untimed runs first, so a cold start does not bend the curve' });
  const sizes = h('fieldset', { class: 'sizes', id: 'speedup-sizes' }, h('legend', { text: 'Settings' }), largest.field, tasks.field, n.field, repetitions.field, warmup.field);

  const controls = runControls('speedup');
  ui.runHint = h('span', { class: 'hint', id: 'speedup-run-hint' });
  controls.run.setAttribute('aria-describedby', 'speedup-run-hint');
  ui.form = h('form', { id: 'speedup-form', class: 'controls card', attrs: { 'aria-label': 'Sweep settings', novalidate: true } }, choice.fieldset, sizes, controls.actions, ui.runHint);
  ui.settings = [choice.fieldset, sizes];
  ui.messages = messageArea('speedup');

  ui.empty = h('p', { id: 'speedup-empty', class: 'empty', text: 'Press Run: each engine is timed with 1, 2, … workers, and the speedups appear here as they come in.' });
  ui.figures = h('dl', { class: 'key-figures', id: 'speedup-figures', attrs: { 'data-testid': 'speedup-figures' } });
  ui.reading = h('ul', { id: 'speedup-reading', class: 'reading', attrs: { 'data-testid': 'speedup-reading', 'aria-label': 'What the numbers say' } });

  ui.chartCanvas = h('canvas', { id: 'speedup-chart', attrs: { role: 'img', 'data-testid': 'speedup-chart', 'aria-label': 'Speedup against workers' } });
  ui.chartBox = h('div', { class: 'chart-box' }, ui.chartCanvas);
  ui.chartError = h('p', { class: 'message message-error', id: 'speedup-chart-error', hidden: true });

  const table = resultsTable({
    id: 'speedup-results-table',
    caption: 'Every point of the sweep',
    columns: ['Engine', 'Workers', 'Median (ms)', 'Min–max (ms)', 'Speedup', 'Ideal', 'Amdahl fit', 'Checksum'],
    numeric: (i) => i > 0 && i < 7,
  });
  ui.tableBody = table.body;
  ui.tableNote = h('p', { class: 'hint table-note', id: 'speedup-table-note' });
  ui.csv = h('button', { type: 'button', id: 'speedup-download-csv', disabled: true, attrs: { 'data-testid': 'speedup-download-csv' }, text: 'Download CSV' });

  ui.timelineEngine = h('select', { id: 'speedup-timeline-engine', attrs: { 'data-testid': 'speedup-timeline-engine' } });
  ui.timelineCanvas = h('canvas', { id: 'speedup-chart-timeline', attrs: { role: 'img', 'data-testid': 'speedup-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'speedup-timeline-note', attrs: { 'data-testid': 'speedup-timeline-note' } });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'speedup-timeline', attrs: { 'aria-labelledby': 'speedup-timeline-heading', 'data-testid': 'speedup-timeline' }, hidden: true },
    h(
      'div',
      { class: 'timeline-head' },
      h('h3', { id: 'speedup-timeline-heading', text: 'Timeline of the last run at the largest k' }),
      h('div', { class: 'inline-field' }, h('label', { htmlFor: 'speedup-timeline-engine', text: 'Engine' }), ui.timelineEngine),
    ),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'speedup-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'speedup-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.figures, ui.reading),
    // The sweep chart needs the width: chart, timeline and table stack instead of sharing a row.
    h('div', { class: 'card charts' }, ui.chartError, ui.chartBox),
    ui.timelineBox,
    h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, table.table), ui.tableNote, h('div', { class: 'actions' }, ui.csv)),
  );

  append(container, h('h3', { class: 'section-title', text: 'Try it' }), ui.form, ui.messages, ui.empty, ui.results);

  Object.assign(ui, {
    largest: largest.input,
    largestOut: largest.output,
    tasks: tasks.input,
    tasksOut: tasks.output,
    tasksHint: tasks.hint,
    n: n.select,
    repetitions: repetitions.input,
    repetitionsOut: repetitions.output,
    warmup: warmup.input,
    warmupOut: warmup.output,
    run: controls.run,
    cancel: controls.cancel,
    progress: controls.progress,
    progressText: controls.progressText,
  });
  return ui;
}

export default { id, title, intro, mount };
