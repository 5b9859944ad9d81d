// Lesson 7, "Measure, don't assume": the same map timed many times on each engine, and
// every run kept. Runs are drawn as points (warm-ups hollow, the first run marked), the
// learner chooses whether warm-ups count in the median, and the reading works out, from
// the measurements, where the missing part of the ideal speedup went. Every run happens
// in the engines' workers through the bridge; the page only draws and reads.
import { h, append, clear, download } from '../lib/dom.js';
import { ENGINE_ORDER, drawTimelineChart } from '../lib/charts.js';
import { formatCount, formatFactor, formatMs, idealSpeedup, plural } from '../lib/reading.js';
import { drawStripChart } from '../lib/speedup-charts.js';
import { explainShortfall, formatPercent, formatSpeedup, measureHeadline, summarizeRuns, timelineStats, toCsv } from '../lib/speedup-reading.js';
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

export const id = 'measure';
export const title = "Measure, don't assume";

const WORKLOAD = 'sum_of_squares';
const N_CHOICES = [1e6, 5e6, 1e7, 2e7, 5e7, 1e8];

const PYTHON_SNIPPET = `import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

def busy(seed):
    acc = 0
    for k in range(5_000_000):
        acc += k * k
    return acc

def timings(job, repeat=8):
    """Keep every timing: the first is often the odd one."""
    seconds = []
    for _ in range(repeat):
        began = time.perf_counter()
        job()
        seconds.append(time.perf_counter() - began)
    return seconds

if __name__ == "__main__":
    print("cores:", os.cpu_count())
    seq = timings(lambda: [busy(t) for t in range(8)])
    with ProcessPoolExecutor() as pool:
        # The pool starts its processes on first use,
        # so par[0] also pays for the start-up.
        par = timings(lambda: list(pool.map(busy, range(8))))
    print("first runs:", seq[0], par[0])
    print("all runs:", sorted(par))
    print("speedup of the medians:",
          statistics.median(seq) / statistics.median(par))`;

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
        text: 'A parallel speedup is something you measure, not something you can read off the core count. Time the same job once and you get one number; time it ten times and you get ten different ones — and the first is often the slowest.',
      }),
      h('p', {
        text: 'Here every repetition is kept and drawn as a point. The very first run of each engine is marked: it runs on freshly loaded code, before the browser has optimised it, and for a new process pool right after its workers started. You choose whether warm-up runs count in the median, and see what that does to the speedup.',
      }),
      h('p', {
        text: 'The reading below then adds up, from this run’s own numbers, why the speedup falls short of the worker count: the cores this device has, chunks that do not split evenly, copying to pool workers, start-up, cold code and plain noise.',
      }),
    ),
    h(
      'figure',
      { class: 'snippet' },
      h('figcaption', { text: 'In Python: keep every timing, compare medians' }),
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
  const labelOf = (engineId) => engines.find((e) => e.id === engineId)?.label ?? engineId;
  const cores = Math.max(1, caps.cores);
  const defaults = { workers: clamp(cores, Math.min(2, caps.maxWorkers), caps.maxWorkers), n: 1e7, repetitions: 8, warmup: 1 };
  defaults.tasks = clamp(4 * defaults.workers, 4, 64);

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, engines, defaults });
  const state = { running: false, cancelling: false, results: [], pool: null, settings: null, timelinePinned: false, charts: {} };
  const say = (text, kind) => sayIn(ui.messages, text, kind);

  // ---- settings ----------------------------------------------------------------
  function settings() {
    return {
      workers: numeric(ui.workers.value),
      tasks: numeric(ui.tasks.value),
      n: numeric(ui.n.value),
      repetitions: numeric(ui.repetitions.value),
      warmup: numeric(ui.warmup.value),
      cold: ui.cold.checked,
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
    ui.workersNote.hidden = s.workers <= cores;
    ui.workersNote.textContent = s.workers > cores ? `more workers than cores (${cores}): at most ${cores} compute at once` : '';
    ui.warmupNote.textContent = s.warmup === 0 ? 'no warm-up: the cold first run is a timed run and counts in the median' : 'untimed runs first; they are still drawn, hollow';
    ui.cold.disabled = !chosenEngines().includes('processes');
    const count = chosenEngines().length;
    ui.run.textContent = count === 1 ? 'Run sequential only' : `Run on ${count} engines`;
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
    Object.assign(state, { results: [], pool: null, settings: s, timelinePinned: false });
    clear(ui.messages);
    render();
    container.dataset.state = 'running';
    setRunning(true);
    say(`Timing ${plural(order.length, 'engine')} (${order.map(labelOf).join(', ')}): ${plural(s.warmup, 'warm-up run')} and ${plural(s.repetitions, 'timed run')} each, every one kept.`);
    const warnings = new Set();
    let outcome = 'done';
    for (const [index, engine] of order.entries()) {
      const label = labelOf(engine);
      const share = (fraction) => (index + fraction) / order.length;
      try {
        if (engine === 'processes' && s.cold) {
          setProgress(share(0), `${label}: starting a fresh pool of ${plural(s.workers, 'worker')}`);
          const restart = await bridge.call('restartPool', { workers: s.workers });
          state.pool = { startupMs: restart.startup_ms, loadMs: (restart.workers ?? []).map((w) => w.load_ms) };
          for (const warning of restart.warnings ?? []) say(`${label}: ${warning}`, 'warning');
        } else {
          setProgress(share(0), `${label}: starting`);
        }
        const config = { engine, workload: WORKLOAD, workers: s.workers, tasks: s.tasks, n: s.n, chunksize: 1, repetitions: s.repetitions, warmup: s.warmup };
        const result = await bridge.run(config, {
          onProgress: (p) => {
            if (!state.running || state.cancelling) return;
            setProgress(share(progressFraction(p, s)), `${label}: ${describePhase(p, s.workers)}`);
          },
        });
        for (const warning of result.warnings ?? []) {
          if (!warnings.has(warning)) say(`${label}: ${warning}`, 'warning');
          warnings.add(warning);
        }
        if (engine === 'processes' && !s.cold && Number.isFinite(result.startup_ms) && result.startup_ms > 0) {
          state.pool = { startupMs: result.startup_ms, loadMs: [] };
        }
        state.results.push({ engine, label, result });
        setProgress(share(1), `${label}: done`);
        render();
      } catch (error) {
        const verdict = describeError(error, label, say);
        if (verdict !== 'failed') {
          outcome = verdict;
          break;
        }
      }
    }
    state.cancelling = false;
    container.dataset.state = outcome;
    if (outcome === 'done') {
      const runs = state.results.reduce((sum, r) => sum + r.result.runs.length, 0);
      setProgress(1, `Finished: ${plural(runs, 'run')} on ${plural(state.results.length, 'engine')}, all kept.`);
      if (state.results.length) say(`Done. ${measureHeadline({ cores, workers: s.workers, engines: derived() })}`, 'success');
    } else {
      setProgress(ui.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    setRunning(false);
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
  ui.includeWarmup.addEventListener('change', () => render());
  ui.csv.addEventListener('click', () => {
    if (state.results.length) download(`parallel-playground-measure-${stamp()}.csv`, csvText());
  });
  ui.timelineEngine.addEventListener('change', () => {
    state.timelinePinned = true;
    drawTimeline();
  });

  // ---- numbers -----------------------------------------------------------------
  /** Per engine: the summary the toggle asks for, the speedup on it, the cold run, the timeline's numbers. */
  function derived() {
    const includeWarmup = ui.includeWarmup.checked;
    const pick = (result) => summarizeRuns(result.runs, { includeWarmup }) ?? result.summary;
    const baseline = state.results.find((r) => r.engine === 'sequential');
    const base = baseline ? pick(baseline.result) : null;
    return state.results.map(({ engine, label, result }) => {
      const summary = pick(result);
      const warm = summarizeRuns(result.runs, { includeWarmup: false }) ?? result.summary;
      return {
        engine,
        label,
        result,
        summary,
        warmMedian: warm.median,
        firstMs: result.runs[0]?.ms,
        speedup: engine === 'sequential' ? 1 : base && summary.median > 0 ? base.median / summary.median : NaN,
        stats: timelineStats(result.timeline),
        verified: result.verified === true && result.checksum === result.expected,
      };
    });
  }

  function csvText() {
    const s = state.settings;
    const header = ['engine', 'label', 'run', 'ms', 'warmup', 'first', 'workers', 'cores', 'tasks', 'n', 'verified', 'checksum', 'pool_startup_ms'];
    const rows = [];
    for (const { engine, label, result } of state.results) {
      result.runs.forEach((run, i) => {
        rows.push([engine, label, i + 1, run.ms, run.warmup, i === 0, engine === 'sequential' ? 1 : result.config.workers, cores, result.config.tasks, result.config.n, result.verified === true && result.checksum === result.expected, result.checksum, engine === 'processes' ? (state.pool?.startupMs ?? null) : null]);
      });
    }
    return s ? toCsv(header, rows) : '';
  }

  // ---- drawing -----------------------------------------------------------------
  function render() {
    const rows = derived();
    const includeWarmup = ui.includeWarmup.checked;
    ui.results.hidden = rows.length === 0;
    ui.empty.hidden = rows.length > 0;
    ui.csv.disabled = rows.length === 0;
    ui.results.dataset.engines = String(rows.length);
    ui.results.dataset.includeWarmup = String(includeWarmup);
    renderReading(rows);
    renderFigures(rows);
    renderTable(rows);
    renderRuns(rows);
    renderTimelineChoices();
    drawChart(rows);
  }

  function renderReading(rows) {
    clear(ui.headline);
    clear(ui.reasons);
    const s = state.settings;
    if (!s || !rows.length) return;
    ui.headline.textContent = measureHeadline({ cores, workers: s.workers, engines: rows });
    const reasons = explainShortfall({ cores, workers: s.workers, tasks: s.tasks, engines: rows, pool: state.pool, includeWarmup: ui.includeWarmup.checked });
    for (const reason of reasons) ui.reasons.append(h('li', { dataset: { kind: reason.kind, ...(reason.engine ? { engine: reason.engine } : {}) }, text: reason.text }));
  }

  function renderFigures(rows) {
    clear(ui.figures);
    const s = state.settings;
    if (!s) return;
    const figure = (label, value, extra = {}) => h('div', extra, h('dt', { text: label }), h('dd', {}, value));
    const parallel = rows.filter((r) => (r.engine === 'threads' || r.engine === 'processes') && Number.isFinite(r.speedup));
    const best = parallel.reduce((a, b) => (!a || b.speedup > a.speedup ? b : a), null);
    append(
      ui.figures,
      figure('Cores detected', String(cores), { attrs: { 'data-testid': 'measure-cores' }, dataset: { cores: String(cores) } }),
      figure('Workers', String(s.workers)),
      figure('Ideal speedup', formatFactor(idealSpeedup(s.workers, cores)), { attrs: { 'data-testid': 'measure-ideal' } }),
      best ? figure(`Measured, ${best.engine === 'threads' ? 'threads' : 'pool'}`, [h('span', { class: 'swatch', dataset: { engine: best.engine }, attrs: { 'aria-hidden': 'true' } }), formatSpeedup(best.speedup)], { attrs: { 'data-testid': 'measure-best' } }) : null,
      state.pool && Number.isFinite(state.pool.startupMs) ? figure('Pool start-up', `${formatMs(state.pool.startupMs)} ms`, { attrs: { 'data-testid': 'measure-startup' }, dataset: { ms: String(state.pool.startupMs) } }) : null,
    );
  }

  function renderTable(rows) {
    clear(ui.tableBody);
    const includeWarmup = ui.includeWarmup.checked;
    for (const r of rows) {
      const warmups = r.result.runs.filter((x) => x.warmup).length;
      const timed = r.result.runs.length - warmups;
      const spread = r.summary.median > 0 ? (r.summary.max - r.summary.min) / r.summary.median : NaN;
      ui.tableBody.append(
        h(
          'tr',
          { dataset: { engine: r.engine, median: String(r.summary.median), runs: String(r.result.runs.length), counted: String(r.summary.count) }, attrs: { role: 'row' } },
          engineHeader(r.engine, r.label),
          numCell('Runs', warmups ? `${timed} + ${warmups} warm-up` : String(timed)),
          numCell('First run (ms)', formatMs(r.firstMs)),
          numCell(includeWarmup ? 'Median, all (ms)' : 'Median, timed (ms)', formatMs(r.summary.median)),
          numCell('Min–max (ms)', `${formatMs(r.summary.min)}–${formatMs(r.summary.max)}`),
          numCell('Spread', formatPercent(spread)),
          numCell('Speedup', r.engine === 'sequential' ? '1x' : formatSpeedup(r.speedup)),
          checksumCell(r.verified, r.result.checksum),
        ),
      );
    }
    ui.medianHead.textContent = includeWarmup ? 'Median, all runs (ms)' : 'Median, timed runs (ms)';
    const s = state.settings;
    const notes = [];
    if (s && rows.length) {
      notes.push(`${plural(s.tasks, 'task')} of n = ${formatCount(s.n)} each on ${plural(s.workers, 'worker')}, ${plural(cores, 'core')} detected.`);
      notes.push(includeWarmup ? 'Medians, ranges and speedups count the warm-up runs too.' : 'Medians, ranges and speedups count the timed runs only; warm-ups are drawn but left out.');
      notes.push('Spread is (slowest − fastest) / median.');
    }
    ui.tableNote.textContent = notes.join(' ');
  }

  function renderRuns(rows) {
    clear(ui.runsBody);
    let count = 0;
    for (const r of rows) {
      r.result.runs.forEach((run, i) => {
        count += 1;
        const kind = [i === 0 ? 'first (cold)' : null, run.warmup ? 'warm-up' : 'timed'].filter(Boolean).join(', ');
        ui.runsBody.append(
          h(
            'tr',
            { dataset: { engine: r.engine, run: String(i + 1), warmup: String(run.warmup), ms: String(run.ms) }, attrs: { role: 'row' } },
            engineHeader(r.engine, r.label),
            numCell('Run', String(i + 1)),
            numCell('Time (ms)', formatMs(run.ms)),
            h('td', { attrs: { role: 'cell' }, class: i === 0 ? 'run-kind-cold' : '', dataset: { label: 'Kind' }, text: kind }),
          ),
        );
      });
    }
    ui.runsSummary.textContent = `Every run (${count})`;
  }

  function renderTimelineChoices() {
    const withTimeline = state.results.filter((r) => r.result.timeline?.length);
    const previous = ui.timelineEngine.value;
    clear(ui.timelineEngine);
    for (const r of withTimeline) ui.timelineEngine.append(h('option', { value: r.engine, text: r.label }));
    const last = withTimeline.at(-1);
    const keep = state.timelinePinned && withTimeline.some((r) => r.engine === previous);
    if (last) ui.timelineEngine.value = keep ? previous : last.engine;
    ui.timelineBox.hidden = withTimeline.length === 0;
  }

  function destroy(name) {
    state.charts[name]?.destroy();
    delete state.charts[name];
  }

  function drawChart(rows) {
    destroy('strip');
    if (!rows.length) {
      destroy('timeline');
      return;
    }
    const includeWarmup = ui.includeWarmup.checked;
    ui.chartBox.style.height = ui.chartBox.clientWidth < 480 ? '460px' : '400px';
    try {
      const groups = rows.map((r) => ({ engine: r.engine, label: r.label, runs: r.result.runs, median: r.summary.median }));
      state.charts.strip = drawStripChart(ui.chartCanvas, { groups, includeWarmup });
      ui.chartBox.dataset.points = String(groups.reduce((sum, g) => sum + g.runs.length, 0));
      ui.chartCanvas.setAttribute(
        'aria-label',
        `Every run as a point. ${rows.map((r) => `${r.label}: first run ${formatMs(r.firstMs)} ms, median ${formatMs(r.summary.median)} ms, ${formatMs(r.summary.min)} to ${formatMs(r.summary.max)} ms`).join('; ')}.`,
      );
      ui.chartError.hidden = true;
    } catch (error) {
      ui.chartError.hidden = false;
      ui.chartError.textContent = `Charts unavailable: ${error.message}. The tables still have every number.`;
    }
    drawTimeline();
  }

  function drawTimeline() {
    destroy('timeline');
    const chosen = state.results.find((r) => r.engine === ui.timelineEngine.value);
    if (!chosen) return;
    const { timeline } = chosen.result;
    const stats = timelineStats(timeline);
    ui.timelineBox.dataset.engine = chosen.engine;
    ui.timelineBox.dataset.workers = String(stats.workers);
    ui.timelineBox.dataset.chunks = String(stats.chunks);
    ui.timelineCanvasBox.style.height = `${130 + stats.workers * 34}px`;
    const idle = Number.isFinite(stats.idleFraction) ? ` Workers were idle ${formatPercent(stats.idleFraction)} of this run.` : '';
    ui.timelineNote.textContent =
      chosen.engine === 'processes'
        ? `Grey bars are chunks being copied to a pool worker and back: ${formatMs(stats.messagingMs ?? 0)} ms in all.${idle}`
        : chosen.engine === 'gil'
          ? `The bars overlap, yet only the worker holding the lock computes; hover a bar for its wait (${formatMs(stats.waitMs)} ms in all).`
          : chosen.engine === 'sequential'
            ? 'One worker, one task after another: the baseline.'
            : `Bars that overlap ran at the same time on different cores.${idle}`;
    try {
      state.charts.timeline = drawTimelineChart(ui.timelineCanvas, timeline, { engine: chosen.engine, label: chosen.label });
      ui.timelineCanvas.setAttribute('aria-label', `Timeline of the last timed run of ${chosen.label}: ${plural(stats.chunks, 'chunk')} on ${plural(stats.workers, 'worker')}, finished after ${formatMs(stats.makespan)} ms.`);
    } catch {
      // drawChart already said why charts are missing.
    }
  }

  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => render());

  container.dataset.state = 'idle';
  return { runAll, cancel: cancelRun };
}

// ---- building the panel --------------------------------------------------------

function buildPanel(container, { caps, engines, defaults }) {
  const ui = {};
  const choice = engineChoice({ prefix: 'measure', engines });
  ui.engineBoxes = choice.boxes;

  const workers = slider({ id: 'measure-workers', label: 'Workers', min: 1, max: caps.maxWorkers, value: defaults.workers, hint: `threads or pool workers; this device reports ${plural(caps.cores, 'core')}` });
  ui.workersNote = h('span', { class: 'hint warn', id: 'measure-workers-note', attrs: { 'data-testid': 'measure-workers-note', role: 'note' }, hidden: true });
  workers.field.append(ui.workersNote);
  const tasks = slider({ id: 'measure-tasks', label: 'Tasks', min: 1, max: 64, value: defaults.tasks, hint: 'inputs the map runs over, one chunk each' });
  const n = selectField({
    id: 'measure-n',
    label: 'Problem size n per task',
    choices: N_CHOICES.map((value) => ({ value, text: formatCount(value) })),
    value: defaults.n,
    hint: 'each task adds up k × k for about n values of k',
  });
  const repetitions = slider({ id: 'measure-repetitions', label: 'Timed runs', min: 2, max: 30, value: defaults.repetitions, hint: 'every one is kept and drawn' });
  const warmup = slider({ id: 'measure-warmup', label: 'Warm-up runs', min: 0, max: 5, value: defaults.warmup });
  ui.warmupNote = h('span', { class: 'hint', id: 'measure-warmup-hint', attrs: { 'data-testid': 'measure-warmup-hint' } });
  warmup.input.setAttribute('aria-describedby', 'measure-warmup-hint');
  warmup.field.append(ui.warmupNote);
  ui.cold = h('input', { type: 'checkbox', id: 'measure-cold', checked: true, attrs: { 'data-testid': 'measure-cold', 'aria-describedby': 'measure-cold-hint' } });
  const coldField = h(
    'div',
    { class: 'check inline-check' },
    ui.cold,
    h('label', { htmlFor: 'measure-cold', text: 'Start the process pool cold' }),
    h('span', { class: 'hint', id: 'measure-cold-hint', text: 'a fresh pool just before its runs, so its start-up and first run are measured' }),
  );
  const sizes = h('fieldset', { class: 'sizes', id: 'measure-sizes' }, h('legend', { text: 'Settings' }), workers.field, tasks.field, n.field, repetitions.field, warmup.field);

  const coldBox = h('fieldset', { class: 'cold-choice', id: 'measure-cold-choice' }, h('legend', { class: 'visually-hidden', text: 'Process pool' }), coldField);
  const controls = runControls('measure');
  ui.form = h('form', { id: 'measure-form', class: 'controls card', attrs: { 'aria-label': 'Measurement settings', novalidate: true } }, choice.fieldset, sizes, coldBox, controls.actions);
  ui.settings = [choice.fieldset, sizes, coldBox];
  ui.messages = messageArea('measure');

  ui.empty = h('p', { id: 'measure-empty', class: 'empty', text: 'Press Run: every run of every engine will appear here as a point, with what the numbers say.' });
  ui.figures = h('dl', { class: 'key-figures', id: 'measure-figures', attrs: { 'data-testid': 'measure-figures' } });
  ui.headline = h('p', { id: 'measure-headline', attrs: { 'data-testid': 'measure-headline' } });
  ui.reasons = h('ul', { id: 'measure-reading', class: 'reading', attrs: { 'data-testid': 'measure-reading', 'aria-labelledby': 'measure-why' } });

  ui.includeWarmup = h('input', { type: 'checkbox', id: 'measure-include-warmup', attrs: { 'data-testid': 'measure-include-warmup', 'aria-describedby': 'measure-include-warmup-hint' } });
  const toggle = h(
    'div',
    { class: 'check inline-check' },
    ui.includeWarmup,
    h('label', { htmlFor: 'measure-include-warmup', text: 'Count warm-ups in the median' }),
    h('span', { class: 'hint', id: 'measure-include-warmup-hint', text: 'changes the medians, ranges, speedups and reading; the points stay' }),
  );
  ui.chartCanvas = h('canvas', { id: 'measure-chart', attrs: { role: 'img', 'data-testid': 'measure-chart', 'aria-label': 'Every run as a point' } });
  ui.chartBox = h('div', { class: 'chart-box', attrs: { 'data-testid': 'measure-chart-box' } }, ui.chartCanvas);
  ui.chartError = h('p', { class: 'message message-error', id: 'measure-chart-error', hidden: true });

  const table = resultsTable({
    id: 'measure-results-table',
    caption: 'Per engine',
    columns: ['Engine', 'Runs', 'First run (ms)', 'Median, timed runs (ms)', 'Min–max (ms)', 'Spread', 'Speedup', 'Checksum'],
    numeric: (i) => i > 0 && i < 7,
  });
  ui.tableBody = table.body;
  ui.medianHead = table.table.querySelectorAll('thead th')[3];
  ui.tableNote = h('p', { class: 'hint table-note', id: 'measure-table-note' });

  const runsTable = resultsTable({ id: 'measure-runs-table', caption: 'Every run, in order', columns: ['Engine', 'Run', 'Time (ms)', 'Kind'], numeric: (i) => i === 1 || i === 2 });
  ui.runsBody = runsTable.body;
  ui.runsSummary = h('summary', { text: 'Every run' });
  const runsDetails = h('details', { class: 'runs-details', id: 'measure-runs', attrs: { 'data-testid': 'measure-runs' } }, ui.runsSummary, h('div', { class: 'table-scroll' }, runsTable.table));
  ui.csv = h('button', { type: 'button', id: 'measure-download-csv', disabled: true, attrs: { 'data-testid': 'measure-download-csv' }, text: 'Download every run (CSV)' });

  ui.timelineEngine = h('select', { id: 'measure-timeline-engine', attrs: { 'data-testid': 'measure-timeline-engine' } });
  ui.timelineCanvas = h('canvas', { id: 'measure-chart-timeline', attrs: { role: 'img', 'data-testid': 'measure-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'measure-timeline-note', attrs: { 'data-testid': 'measure-timeline-note' } });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'measure-timeline', attrs: { 'aria-labelledby': 'measure-timeline-heading', 'data-testid': 'measure-timeline' }, hidden: true },
    h(
      'div',
      { class: 'timeline-head' },
      h('h3', { id: 'measure-timeline-heading', text: 'Per-worker timeline of the last timed run' }),
      h('div', { class: 'inline-field' }, h('label', { htmlFor: 'measure-timeline-engine', text: 'Engine' }), ui.timelineEngine),
    ),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'measure-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'measure-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.figures, ui.headline, h('h4', { id: 'measure-why', text: 'Why the speedup is not the full worker count' }), ui.reasons),
    // The strips need the width: chart, table and timeline stack instead of sharing a row.
    h('div', { class: 'card charts' }, toggle, ui.chartError, ui.chartBox),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, table.table), ui.tableNote, runsDetails, h('div', { class: 'actions' }, ui.csv)),
    ui.timelineBox,
  );

  append(container, h('h3', { class: 'section-title', text: 'Try it' }), ui.form, ui.messages, ui.empty, ui.results);

  Object.assign(ui, {
    workers: workers.input,
    workersOut: workers.output,
    tasks: tasks.input,
    tasksOut: tasks.output,
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
