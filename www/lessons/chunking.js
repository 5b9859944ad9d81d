// Lesson 3, "Overhead is real: chunk your work": many tiny inputs mapped at chunk sizes
// from 1 to all of them, on the threads engine and the process pool, timed against the
// plain sequential loop. A straight line fitted (in the engines' worker) to time against
// the number of chunks prices one chunk per engine, and the timeline shows the messaging
// that tiny chunks drown in. The page only draws; every run goes through the bridge.
import { download } from '../lib/dom.js';
import { drawTimelineChart } from '../lib/charts.js';
import { formatCount, formatMs, plural } from '../lib/reading.js';
import {
  addStylesheet,
  append,
  clear,
  describeMapPhase,
  engineChoice,
  h,
  logSlider,
  mapFraction,
  numCell,
  reportError,
  resultsTable,
  rowHeader,
  runControls,
  slider,
  tableRow,
  verifiedCell,
  warningSayer,
} from '../lib/chunking-ui.js';
import {
  chunkCount,
  chunkSizeChoices,
  chunksWord,
  describeCosts,
  describeEngineSweep,
  describeTimeline,
  formatRatio,
  formatUs,
  pointsForFit,
  predictedCrossover,
  sweepChunkSizes,
  toCsv,
} from '../lib/chunking-reading.js';
import { drawChunkFitChart, drawChunkSweepChart } from '../lib/chunking-charts.js';

export const id = 'chunking';
export const title = 'Overhead is real: chunk your work';

/** The two workloads: a cheap one and an almost free one (the extreme case). */
const WORKLOADS = {
  is_prime: { n: 1_000_000, label: 'is_prime', hint: 'inputs from 1,000,000, tested by trial division: about a microsecond each' },
  square: { n: 1, label: 'square', hint: 'inputs from 1, one multiplication each: the extreme case' },
};
const ENGINES_USED = ['sequential', 'threads', 'processes'];
const DEFAULTS = { workload: 'is_prime', tasks: 10000, chunksize: 10, repetitions: 3, warmup: 1 };
const TASKS = { min: 1000, max: 20000, step: 1000 };

const PYTHON_SNIPPET = `import time
from concurrent.futures import ProcessPoolExecutor

def is_prime(n):
    """A microsecond of work: less than one trip."""
    if n < 2:
        return False
    f = 2
    while f * f <= n:
        if n % f == 0:
            return False
        f += 1
    return True

if __name__ == "__main__":
    numbers = range(1_000_000, 1_010_000)

    began = time.perf_counter()
    expected = [is_prime(x) for x in numbers]
    loop = time.perf_counter() - began
    print(f"plain loop      {loop:.4f} s")

    with ProcessPoolExecutor(max_workers=2) as pool:
        for size in (1, 10, 100, 1000, 5000):
            began = time.perf_counter()
            flags = list(pool.map(is_prime, numbers,
                                  chunksize=size))
            took = time.perf_counter() - began
            assert flags == expected
            print(f"chunksize {size:>5} {took:.4f} s")`;

/** The lesson's reading part, which needs no engine: shown while the engines start. */
export function intro(container) {
  const node = h(
    'div',
    { class: 'intro' },
    h(
      'div',
      { class: 'prose' },
      h('p', {
        class: 'lead',
        text: 'Handing work to another worker is never free. The process pool copies each chunk of inputs into a message, posts it, waits, and copies the answers back; even threads that share memory must take every chunk from a queue and record it as done. When one input is a microsecond of work, that fee can be a hundred times the work, and the parallel map loses to a plain loop.',
      }),
      h(
        'dl',
        { class: 'engine-list' },
        h('dt', { text: 'Chunk size' }),
        h('dd', { text: 'How many inputs travel to a worker together. With size 1 the fee is paid once per input; bigger chunks spread it thinner.' }),
        h('dt', { text: 'Chunks too small' }),
        h('dd', { text: 'The fees swamp the work: the timeline fills with grey messaging bars and the map runs slower than the loop.' }),
        h('dt', { text: 'Chunks too big' }),
        h('dd', { text: 'Fewer chunks than workers: one worker does everything while the others wait, and the speedup is gone again.' }),
      ),
      h('p', {
        text: 'Run sweeps the same map over chunk sizes from 1 to all inputs, on each engine, checking every result against the sequential loop. A straight line fitted to time against the number of chunks then prices one chunk for each engine.',
      }),
    ),
    h(
      'figure',
      { class: 'snippet' },
      h('figcaption', { text: 'The Python version: the same map, only chunksize changes' }),
      h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: PYTHON_SNIPPET })),
    ),
  );
  container.append(node);
  return node;
}

/** Builds the lesson inside `container`, with the bridge's `caps` and scriptable `bridge`. */
export function mount(container, { caps, bridge }) {
  addStylesheet(new URL('./chunking.css', import.meta.url));
  container.classList.add('chunking-lesson');
  const engines = ENGINES_USED.map((engineId) => caps.engines.find((e) => e.id === engineId)).filter(Boolean);
  const labelOf = (engineId) => engines.find((e) => e.id === engineId)?.label ?? engineId;
  const defaultWorkers = Math.min(caps.maxWorkers, Math.max(Math.min(2, caps.maxWorkers), Math.min(caps.cores, 4)));

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, engines, defaultWorkers });
  const state = {
    running: false,
    cancelling: false,
    key: null, // the settings the kept measurements belong to
    setup: null, // { workload, tasks, workers, repetitions, warmup }
    sequential: null, // { result }
    points: new Map(), // `${engine}:${chunksize}` → { engine, label, chunksize, chunks, result }
    fits: new Map(), // engine → { line, fitted }
    chosen: DEFAULTS.chunksize,
    charts: {},
    timelinePinned: false,
  };

  // ---- settings ----------------------------------------------------------------
  function settings() {
    return {
      workload: ui.workload.value,
      tasks: Number(ui.tasks.input.value),
      workers: Number(ui.workers.input.value),
      chunksize: ui.chunk.get(),
      repetitions: Number(ui.repetitions.input.value),
      warmup: Number(ui.warmup.input.value),
      mode: ui.modeSweep.checked ? 'sweep' : 'single',
    };
  }

  function chosenEngines() {
    return engines.filter((e) => e.id !== 'sequential' && e.available && ui.engineBoxes[e.id].checked).map((e) => e.id);
  }

  function onTasksChanged() {
    const tasks = Number(ui.tasks.input.value);
    const before = ui.chunk.get();
    ui.chunk.setValues(chunkSizeChoices(tasks), Math.min(before, tasks));
    const lowered = before > tasks;
    ui.chunkNote.hidden = !lowered;
    ui.chunkNote.textContent = lowered ? `Chunk size lowered from ${formatCount(before)} to ${formatCount(ui.chunk.get())}: a chunk cannot hold more than all ${formatCount(tasks)} inputs.` : '';
  }

  function showValues() {
    const s = settings();
    ui.tasks.output.value = formatCount(s.tasks);
    ui.workers.output.value = String(s.workers);
    ui.repetitions.output.value = String(s.repetitions);
    ui.warmup.output.value = String(s.warmup);
    ui.chunkCount.textContent = `${formatCount(s.tasks)} inputs ÷ ${formatCount(s.chunksize)} per chunk = ${chunksWord(chunkCount(s.tasks, s.chunksize))}`;
    const crowded = s.workers > caps.cores;
    ui.workersNote.hidden = !crowded;
    ui.workersNote.textContent = crowded ? `more workers than cores (${caps.cores}): extra workers can only take turns` : '';
    ui.workloadHint.textContent = WORKLOADS[s.workload]?.hint ?? '';
    const sizes = sweepChunkSizes(s.tasks, s.workers, s.chunksize);
    const count = chosenEngines().length;
    ui.sweepHint.textContent = `${sizes.map(formatCount).join(', ')}`;
    ui.run.textContent = count === 0 ? 'Run the sequential loop only' : s.mode === 'sweep' ? `Sweep ${sizes.length} chunk sizes` : `Run chunk size ${formatCount(s.chunksize)}`;
  }
  ui.tasks.input.addEventListener('input', onTasksChanged);
  ui.form.addEventListener('input', showValues);
  ui.form.addEventListener('change', showValues);
  onTasksChanged();
  showValues();

  // ---- running ---------------------------------------------------------------
  const { say, setProgress } = ui.run$;

  async function runAll() {
    if (state.running) return;
    const s = settings();
    const order = chosenEngines();
    const key = [s.workload, s.tasks, s.workers, s.repetitions, s.warmup].join('|');
    if (s.mode === 'sweep' || key !== state.key) {
      state.points.clear();
      state.fits.clear();
      state.sequential = null;
    }
    state.key = key;
    state.setup = { workload: s.workload, tasks: s.tasks, workers: s.workers, repetitions: s.repetitions, warmup: s.warmup };
    state.chosen = s.chunksize;
    state.timelinePinned = false;
    const sizes = s.mode === 'sweep' ? sweepChunkSizes(s.tasks, s.workers, s.chunksize) : [s.chunksize];
    const steps = [{ engine: 'sequential', chunksize: s.tasks }, ...order.flatMap((engine) => sizes.map((chunksize) => ({ engine, chunksize })))];

    ui.run$.clearMessages();
    state.running = true;
    container.dataset.state = 'running';
    ui.run$.setRunning(true, ui.fieldsets);
    if (order.length === 0) say('No parallel engine is ticked, so only the sequential loop runs: there is nothing to chunk.', 'warning');
    else say(`Measuring ${plural(sizes.length, 'chunk size')} on ${order.map(labelOf).join(' and ')}, plus the sequential loop: ${formatCount(s.tasks)} inputs of ${s.workload}, ${plural(s.workers, 'worker')}, ${plural(s.repetitions, 'timed run')} each.`);
    const warn = warningSayer(say);
    let outcome = 'done';
    for (const [index, step] of steps.entries()) {
      const label = step.engine === 'sequential' ? 'Sequential loop' : labelOf(step.engine);
      const chunks = chunkCount(s.tasks, step.chunksize);
      const where = step.engine === 'sequential' ? label : `${label}, chunk size ${formatCount(step.chunksize)} (${chunksWord(chunks)})`;
      const share = (fraction) => (index + fraction) / steps.length;
      setProgress(share(0), `${where}: starting (${index + 1}/${steps.length})`);
      const config = {
        engine: step.engine,
        workload: s.workload,
        workers: step.engine === 'sequential' ? 1 : s.workers,
        tasks: s.tasks,
        n: WORKLOADS[s.workload]?.n, // an unknown workload is left to the driver, which refuses it
        chunksize: step.chunksize,
        repetitions: s.repetitions,
        warmup: s.warmup,
      };
      try {
        const result = await bridge.run(config, {
          onProgress: (p) => {
            if (!state.running || state.cancelling) return;
            setProgress(share(mapFraction(p, s.warmup, s.repetitions)), `${where}: ${describeMapPhase(p, s.workers)} (${index + 1}/${steps.length})`);
          },
        });
        warn(result.warnings, `${label}: `);
        if (step.engine === 'sequential') state.sequential = { result };
        else state.points.set(`${step.engine}:${result.config.chunksize}`, { engine: step.engine, label, chunksize: result.config.chunksize, chunks: result.timeline.length, result });
        renderResults();
      } catch (error) {
        outcome = reportError(error, say, where);
        if (outcome !== 'failed') break;
      }
    }
    if (outcome === 'done' || outcome === 'failed') {
      await fitLines(order, s.workers);
      renderResults();
      drawTimeline();
      setProgress(1, `Finished: ${plural(state.points.size, 'engine and chunk size pair')} measured${state.sequential ? ' against the sequential loop' : ''}.`);
      const first = readings()[0];
      say(`Done. ${first?.text ?? 'The sequential loop is the only measurement.'}`, 'success');
    } else {
      renderResults();
      drawTimeline();
      setProgress(ui.run$.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    state.cancelling = false;
    state.running = false;
    container.dataset.state = outcome === 'failed' ? 'done' : outcome;
    ui.run$.setRunning(false, ui.fieldsets);
  }

  /** Fits time = intercept + slope × chunks per engine, in the engines' worker. */
  async function fitLines(order, workers) {
    for (const engine of order) {
      const fitted = pointsForFit(enginePoints(engine), workers);
      if (new Set(fitted.map((p) => p.chunks)).size < 2) {
        state.fits.delete(engine);
        continue;
      }
      try {
        const answer = await bridge.call('fit', { model: 'line', xs: fitted.map((p) => p.chunks), ys: fitted.map((p) => p.median) });
        state.fits.set(engine, { line: answer.line, fitted });
      } catch (error) {
        reportError(error, say, `Fitting a line for ${labelOf(engine)}`);
      }
    }
  }

  async function cancelRun() {
    if (!state.running || state.cancelling) return;
    state.cancelling = true;
    ui.run$.cancel.disabled = true;
    setProgress(ui.run$.progress.value, 'Cancelling…');
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
  ui.run$.cancel.addEventListener('click', cancelRun);
  ui.csv.addEventListener('click', () => {
    const rows = tableRows();
    if (rows.length) download(`parallel-playground-chunking-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, toCsv(rows, CSV_COLUMNS(caps.cores)));
  });
  ui.timelineEngine.addEventListener('change', () => {
    state.timelinePinned = true;
    renderTimelineChoices();
    drawTimeline();
  });
  ui.timelineSize.addEventListener('change', () => {
    state.timelinePinned = true;
    drawTimeline();
  });

  // ---- numbers ----------------------------------------------------------------
  function summaryOf(result) {
    const { median, min, max } = result.summary;
    return { median, min, max };
  }

  /** An engine's measured points, by ascending chunk size. */
  function enginePoints(engine) {
    return [...state.points.values()]
      .filter((p) => p.engine === engine)
      .map((p) => ({ ...summaryOf(p.result), chunksize: p.chunksize, chunks: p.chunks, result: p.result, label: p.label, engine }))
      .sort((a, b) => a.chunksize - b.chunksize);
  }

  function measuredEngines() {
    return ENGINES_USED.filter((e) => e !== 'sequential' && enginePoints(e).length);
  }

  function overheadOf(engine) {
    const line = state.fits.get(engine)?.line;
    return line && Number.isFinite(line.slope) ? line.slope * 1000 : null;
  }

  function readings() {
    const seq = state.sequential?.result.summary.median;
    if (!state.setup) return [];
    const list = measuredEngines().map((engine) => ({
      engine,
      text: describeEngineSweep({ label: labelOf(engine), points: enginePoints(engine), sequentialMs: seq, overheadUs: overheadOf(engine), workers: state.setup.workers }),
    }));
    if (seq && measuredEngines().length) {
      list.push({
        engine: 'sequential',
        text: describeCosts({
          sequentialMs: seq,
          tasks: state.setup.tasks,
          engines: measuredEngines().map((engine) => ({
            label: labelOf(engine),
            overheadUs: overheadOf(engine),
            predicted: predictedCrossover({ line: state.fits.get(engine)?.line, sequentialMs: seq, tasks: state.setup.tasks }),
          })),
        }),
      });
    }
    return list;
  }

  /** Every measurement as a flat row, for the table and the CSV. */
  function tableRows() {
    if (!state.setup) return [];
    const seq = state.sequential?.result;
    const rows = [];
    const base = { workload: state.setup.workload, tasks: state.setup.tasks, repetitions: state.setup.repetitions };
    if (seq) {
      rows.push({ ...base, engine: 'sequential', label: 'Sequential loop', workers: 1, chunksize: state.setup.tasks, chunks: seq.timeline.length, ...summaryOf(seq), speedup: 1, verified: seq.verified && seq.checksum === seq.expected, checksum: seq.checksum, overheadUs: null });
    }
    for (const engine of measuredEngines()) {
      for (const p of enginePoints(engine)) {
        rows.push({
          ...base,
          engine,
          label: p.label,
          workers: p.result.config.workers,
          chunksize: p.chunksize,
          chunks: p.chunks,
          median: p.median,
          min: p.min,
          max: p.max,
          speedup: seq ? seq.summary.median / p.median : NaN,
          verified: p.result.verified === true && p.result.checksum === p.result.expected && (!seq || p.result.checksum === seq.checksum),
          checksum: p.result.checksum,
          overheadUs: overheadOf(engine),
        });
      }
    }
    return rows;
  }

  // ---- drawing ----------------------------------------------------------------
  function renderResults() {
    const rows = tableRows();
    ui.results.hidden = rows.length === 0;
    ui.empty.hidden = rows.length > 0;
    ui.csv.disabled = rows.length === 0;
    ui.results.dataset.points = String(state.points.size);
    renderReadings();
    renderTable(rows);
    renderFitTable();
    renderTimelineChoices();
    drawCharts();
  }

  function renderReadings() {
    clear(ui.reading);
    for (const r of readings()) ui.reading.append(h('li', { dataset: { engine: r.engine }, text: r.text }));
    if (!measuredEngines().length && state.sequential) ui.reading.append(h('li', { text: 'Only the sequential loop ran: tick the threads or the process pool to compare.' }));
  }

  function renderTable(rows) {
    clear(ui.table.body);
    for (const r of rows) {
      const wins = r.engine !== 'sequential' && r.speedup > 1;
      ui.table.body.append(
        tableRow(
          { dataset: { engine: r.engine, chunksize: String(r.chunksize), chunks: String(r.chunks), wins: String(wins) } },
          rowHeader(r.label, r.engine),
          numCell('Chunk size', r.engine === 'sequential' ? `${formatCount(r.chunksize)} (all)` : formatCount(r.chunksize)),
          numCell('Chunks', formatCount(r.chunks)),
          numCell('Median (ms)', formatMs(r.median)),
          numCell('Min–max (ms)', `${formatMs(r.min)}–${formatMs(r.max)}`),
          h('td', { class: 'num speed', attrs: { role: 'cell' }, dataset: { label: 'Speedup' }, text: formatRatio(r.speedup) }),
          verifiedCell(r.verified, r.checksum, 'Checksum'),
        ),
      );
    }
    const s = state.setup;
    ui.tableNote.textContent = s
      ? `${formatCount(s.tasks)} inputs of ${s.workload} from ${formatCount(WORKLOADS[s.workload]?.n ?? 0)}, ${plural(s.workers, 'worker')} on ${plural(caps.cores, 'core')}, ${plural(s.repetitions, 'timed run')} per row after ${plural(s.warmup, 'warm-up run')}. Speedup is the sequential loop's median divided by the row's; every checksum matched the sequential one.`
      : '';
  }

  function renderFitTable() {
    clear(ui.fitTable.body);
    const seq = state.sequential?.result.summary.median;
    for (const engine of measuredEngines()) {
      const fit = state.fits.get(engine);
      const points = enginePoints(engine);
      const measured = seq ? points.find((p) => seq / p.median > 1) : null;
      const predicted = fit && seq ? predictedCrossover({ line: fit.line, sequentialMs: seq, tasks: state.setup.tasks }) : null;
      ui.fitTable.body.append(
        tableRow(
          { dataset: { engine } },
          rowHeader(labelOf(engine), engine),
          numCell('µs per chunk', fit?.line ? formatUs(fit.line.slope * 1000) : '—'),
          numCell('Time with no chunks (ms)', fit?.line ? formatMs(fit.line.intercept) : '—'),
          numCell('Predicted crossover', predicted ? formatCount(predicted) : fit?.line ? 'never' : '—'),
          numCell('Measured crossover', measured ? formatCount(measured.chunksize) : seq ? 'never' : '—'),
          numCell('Points fitted', fit ? String(fit.fitted.length) : `${points.length} (too few)`),
        ),
      );
    }
    ui.fitBlock.hidden = measuredEngines().length === 0;
  }

  function renderTimelineChoices() {
    const available = measuredEngines();
    ui.timelineBox.hidden = available.length === 0;
    if (!available.length) return;
    const previousEngine = ui.timelineEngine.value;
    clear(ui.timelineEngine);
    for (const engine of available) ui.timelineEngine.append(h('option', { value: engine, text: labelOf(engine) }));
    const engine = state.timelinePinned && available.includes(previousEngine) ? previousEngine : available.includes('processes') ? 'processes' : available[0];
    ui.timelineEngine.value = engine;
    const previousSize = Number(ui.timelineSize.value);
    clear(ui.timelineSize);
    const points = enginePoints(engine);
    for (const p of points) {
      ui.timelineSize.append(h('option', { value: String(p.chunksize), text: `${formatCount(p.chunksize)} (${chunksWord(p.chunks)})` }));
    }
    const sizes = points.map((p) => p.chunksize);
    const size = state.timelinePinned && sizes.includes(previousSize) ? previousSize : sizes.includes(state.chosen) ? state.chosen : sizes[0];
    ui.timelineSize.value = String(size);
  }

  function destroy(name) {
    state.charts[name]?.destroy();
    delete state.charts[name];
  }

  function drawCharts() {
    destroy('sweep');
    destroy('fit');
    const series = measuredEngines().map((engine) => ({ engine, label: labelOf(engine), points: enginePoints(engine) }));
    const seq = state.sequential ? summaryOf(state.sequential.result) : null;
    if (!series.length && !seq) return;
    try {
      state.charts.sweep = drawChunkSweepChart(ui.sweepCanvas, { series, sequential: seq, chosen: state.chosen, tasks: state.setup?.tasks });
      ui.sweepCanvas.setAttribute(
        'aria-label',
        `Median time against chunk size. ${seq ? `Sequential loop ${formatMs(seq.median)} ms. ` : ''}${series.map((s) => `${s.label}: ${s.points.map((p) => `${formatCount(p.chunksize)} → ${formatMs(p.median)} ms`).join(', ')}`).join('. ')}.`,
      );
      const fitted = series.map((s) => ({ ...s, line: state.fits.get(s.engine)?.line ?? null, fitted: state.fits.get(s.engine)?.fitted ?? [] }));
      state.charts.fit = drawChunkFitChart(ui.fitCanvas, { series: fitted, sequential: seq });
      ui.fitCanvas.setAttribute(
        'aria-label',
        `Median time against number of chunks with fitted lines. ${fitted.map((s) => `${s.label}: ${s.line ? `${formatUs(s.line.slope * 1000)} µs per chunk` : 'no fit yet'}`).join('; ')}.`,
      );
      ui.chartError.hidden = true;
    } catch (error) {
      ui.chartError.hidden = false;
      ui.chartError.textContent = `Charts unavailable: ${error.message}. The tables still have every number.`;
    }
  }

  function drawTimeline() {
    destroy('timeline');
    const engine = ui.timelineEngine.value;
    const chunksize = Number(ui.timelineSize.value);
    const point = state.points.get(`${engine}:${chunksize}`);
    if (!point) return;
    const { timeline } = point.result;
    const workers = new Set(timeline.map((c) => c.worker)).size;
    Object.assign(ui.timelineBox.dataset, { engine, chunksize: String(chunksize), chunks: String(timeline.length), tasks: String(point.result.config.tasks), workers: String(workers) });
    ui.timelineCanvasBox.style.height = `${150 + workers * 40}px`;
    ui.timelineNote.textContent = describeTimeline(timeline, { label: point.label, tasks: point.result.config.tasks, chunksize });
    try {
      // Chart.js legends do not wrap, so a phone gets the engine's name alone.
      const narrow = ui.timelineCanvasBox.clientWidth < 480;
      state.charts.timeline = drawTimelineChart(ui.timelineCanvas, timeline, { engine, label: narrow ? point.label : `${point.label}, chunk size ${formatCount(chunksize)}` });
      ui.timelineCanvas.setAttribute('aria-label', `Timeline of the last timed run of ${point.label} at chunk size ${formatCount(chunksize)}: ${chunksWord(timeline.length)} on ${plural(workers, 'worker')}, finished after ${formatMs(Math.max(...timeline.map((c) => c.received_ms ?? c.end_ms)))} ms.`);
    } catch {
      // drawCharts already explained why charts are missing.
    }
  }

  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', () => {
    drawCharts();
    drawTimeline();
  });

  container.dataset.state = 'idle';
  return { runAll, cancel: cancelRun };
}

/** The CSV's columns: one line per measurement. */
function CSV_COLUMNS(cores) {
  return [
    ['engine', (r) => r.engine],
    ['label', (r) => r.label],
    ['workload', (r) => r.workload],
    ['tasks', (r) => r.tasks],
    ['workers', (r) => r.workers],
    ['cores', () => cores],
    ['chunksize', (r) => r.chunksize],
    ['chunks', (r) => r.chunks],
    ['repetitions', (r) => r.repetitions],
    ['median_ms', (r) => r.median],
    ['min_ms', (r) => r.min],
    ['max_ms', (r) => r.max],
    ['speedup', (r) => r.speedup],
    ['verified', (r) => r.verified],
    ['checksum', (r) => r.checksum],
    ['fitted_us_per_chunk', (r) => r.overheadUs],
  ];
}

// ---- building the panel --------------------------------------------------------

function buildPanel(container, { caps, engines, defaultWorkers }) {
  const ui = {};
  const choice = engineChoice({
    prefix: 'chunking',
    engines,
    notes: { sequential: 'always runs: the loop to beat', threads: 'chunks from a shared queue', processes: 'chunks sent as copied messages' },
  });
  ui.engineBoxes = choice.boxes;

  // Workload and sizes.
  ui.workload = h(
    'select',
    { id: 'chunking-workload', attrs: { 'data-testid': 'chunking-workload', 'aria-describedby': 'chunking-workload-hint' } },
    Object.entries(WORKLOADS).map(([value, w]) => h('option', { value, text: w.label, selected: value === DEFAULTS.workload })),
  );
  ui.workloadHint = h('span', { class: 'hint', id: 'chunking-workload-hint' });
  const workloadField = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: 'chunking-workload', text: 'Workload' })), ui.workload, ui.workloadHint);
  ui.tasks = slider({ id: 'chunking-tasks', label: 'Inputs', min: TASKS.min, max: TASKS.max, step: TASKS.step, value: DEFAULTS.tasks, hint: 'how many numbers the map runs over' });
  ui.workers = slider({ id: 'chunking-workers', label: 'Workers', min: 1, max: caps.maxWorkers, value: defaultWorkers, hint: `threads or pool workers; this device reports ${plural(caps.cores, 'core')}` });
  ui.workersNote = h('span', { class: 'hint warn', id: 'chunking-workers-note', attrs: { role: 'note' }, hidden: true });
  ui.workers.field.append(ui.workersNote);
  ui.chunk = logSlider({
    id: 'chunking-chunksize',
    label: 'Chunk size',
    values: chunkSizeChoices(DEFAULTS.tasks),
    value: DEFAULTS.chunksize,
    format: formatCount,
    hint: 'inputs per chunk, on a log scale; its timeline is shown after the run',
  });
  ui.chunkCount = h('span', { class: 'hint chunk-count', id: 'chunking-chunk-count', attrs: { 'data-testid': 'chunking-chunk-count' } });
  ui.chunkNote = h('span', { class: 'hint warn', id: 'chunking-chunksize-note', attrs: { role: 'note', 'data-testid': 'chunking-chunksize-note' }, hidden: true });
  ui.chunk.input.setAttribute('aria-describedby', `${ui.chunk.hint.id} chunking-chunk-count`);
  ui.chunk.field.append(ui.chunkCount, ui.chunkNote);
  ui.repetitions = slider({ id: 'chunking-repetitions', label: 'Repetitions', min: 1, max: 9, value: DEFAULTS.repetitions, hint: 'timed runs per point; the charts show their median and range' });
  ui.warmup = slider({ id: 'chunking-warmup', label: 'Warm-up runs', min: 0, max: 3, value: DEFAULTS.warmup, hint: 'untimed runs first, so start-up does not skew the timings' });
  const sizes = h(
    'fieldset',
    { class: 'sizes', id: 'chunking-sizes' },
    h('legend', { text: 'Settings' }),
    workloadField,
    ui.tasks.field,
    ui.chunk.field,
    ui.workers.field,
    ui.repetitions.field,
    ui.warmup.field,
  );

  // What Run measures.
  ui.modeSweep = h('input', { type: 'radio', name: 'chunking-mode', id: 'chunking-mode-sweep', value: 'sweep', checked: true, attrs: { 'data-testid': 'chunking-mode-sweep' } });
  ui.modeSingle = h('input', { type: 'radio', name: 'chunking-mode', id: 'chunking-mode-single', value: 'single', attrs: { 'data-testid': 'chunking-mode-single' } });
  ui.sweepHint = h('span', { class: 'hint', id: 'chunking-sweep-sizes', attrs: { 'data-testid': 'chunking-sweep-sizes' } });
  const mode = h(
    'fieldset',
    { class: 'chunking-mode', id: 'chunking-mode' },
    h('legend', { text: 'Run measures' }),
    h('div', { class: 'check' }, ui.modeSweep, h('label', { htmlFor: 'chunking-mode-sweep', text: 'a sweep of chunk sizes:' }), ui.sweepHint),
    h('div', { class: 'check' }, ui.modeSingle, h('label', { htmlFor: 'chunking-mode-single', text: 'only the chunk size on the slider' }), h('span', { class: 'hint', text: 'adds one point to the charts, keeping the others while the settings stay the same' })),
  );

  ui.run = h('button', { type: 'submit', id: 'chunking-run', class: 'primary', attrs: { 'data-testid': 'chunking-run' }, text: 'Run' });
  ui.run$ = runControls({ prefix: 'chunking', runButtons: [ui.run] });
  ui.form = h('form', { id: 'chunking-form', class: 'controls card', attrs: { 'aria-label': 'Chunking settings', novalidate: true } }, choice.fieldset, sizes, mode, ui.run$.actions);
  ui.fieldsets = [choice.fieldset, sizes, mode];

  // Results.
  ui.empty = h('p', { id: 'chunking-empty', class: 'empty', text: 'Press Run: total time against chunk size, the price of one chunk and a timeline of the chosen chunk size will appear here.' });
  ui.reading = h('ul', { id: 'chunking-reading', class: 'reading', attrs: { 'data-testid': 'chunking-reading', 'aria-label': 'What the numbers say' } });

  ui.sweepCanvas = h('canvas', { id: 'chunking-chart-sweep', attrs: { role: 'img', 'data-testid': 'chunking-chart-sweep', 'aria-label': 'Time against chunk size' } });
  ui.fitCanvas = h('canvas', { id: 'chunking-chart-fit', attrs: { role: 'img', 'data-testid': 'chunking-chart-fit', 'aria-label': 'Time against number of chunks' } });
  ui.chartError = h('p', { class: 'message message-error', id: 'chunking-chart-error', hidden: true });

  ui.table = resultsTable({
    id: 'chunking-results-table',
    caption: 'Every measurement',
    columns: [{ name: 'Engine' }, { name: 'Chunk size', num: true }, { name: 'Chunks', num: true }, { name: 'Median (ms)', num: true }, { name: 'Min–max (ms)', num: true }, { name: 'Speedup', num: true }, { name: 'Checksum' }],
  });
  ui.tableNote = h('p', { class: 'hint table-note', id: 'chunking-table-note' });
  ui.csv = h('button', { type: 'button', id: 'chunking-download-csv', disabled: true, attrs: { 'data-testid': 'chunking-download-csv' }, text: 'Download CSV' });

  ui.fitTable = resultsTable({
    id: 'chunking-fit-table',
    caption: 'The price of one chunk',
    columns: [{ name: 'Engine' }, { name: 'µs per chunk', num: true }, { name: 'Time with no chunks (ms)', num: true }, { name: 'Predicted crossover', num: true }, { name: 'Measured crossover', num: true }, { name: 'Points fitted', num: true }],
  });
  ui.fitCard = h(
    'div',
    { id: 'chunking-fit' },
    h('div', { class: 'table-scroll' }, ui.fitTable.table),
    h('p', {
      class: 'hint table-note',
      text: 'A least-squares line through time against number of chunks, over the sizes that give every worker at least one chunk. Its slope is the wall-clock time one more chunk adds; the crossover is the smallest chunk size that beats the sequential loop.',
    }),
  );

  ui.timelineEngine = h('select', { id: 'chunking-timeline-engine', attrs: { 'data-testid': 'chunking-timeline-engine' } });
  ui.timelineSize = h('select', { id: 'chunking-timeline-size', attrs: { 'data-testid': 'chunking-timeline-size' } });
  ui.timelineCanvas = h('canvas', { id: 'chunking-chart-timeline', attrs: { role: 'img', 'data-testid': 'chunking-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'chunking-timeline-note', attrs: { 'data-testid': 'chunking-timeline-note' } });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'chunking-timeline', attrs: { 'aria-labelledby': 'chunking-timeline-heading', 'data-testid': 'chunking-timeline' }, hidden: true },
    h(
      'div',
      { class: 'timeline-head' },
      h('h3', { id: 'chunking-timeline-heading', text: 'Per-worker timeline of one chunk size' }),
      h(
        'div',
        { class: 'timeline-pickers' },
        h('div', { class: 'inline-field' }, h('label', { htmlFor: 'chunking-timeline-engine', text: 'Engine' }), ui.timelineEngine),
        h('div', { class: 'inline-field' }, h('label', { htmlFor: 'chunking-timeline-size', text: 'Chunk size' }), ui.timelineSize),
      ),
    ),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'chunking-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'chunking-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading),
    h(
      'div',
      { class: 'card chunking-charts-card' },
      h('div', { class: 'charts chunking-charts' }, ui.chartError, h('div', { class: 'chart-box chart-tall' }, ui.sweepCanvas), h('div', { class: 'chart-box chart-tall' }, ui.fitCanvas)),
      h('p', {
        class: 'hint table-note',
        text: 'Points are medians; whiskers run from the fastest to the slowest timed run. The diamond marks the chunk size on the slider, whose timeline is below. On the right, the dotted lines are the fitted straight lines. The tables below hold every number.',
      }),
    ),
    h(
      'div',
      { class: 'chunking-tables' },
      (ui.fitBlock = h('div', { class: 'card table-card' }, ui.fitCard)),
      h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll table-long' }, ui.table.table), ui.tableNote, h('div', { class: 'actions' }, ui.csv)),
    ),
    ui.timelineBox,
  );

  append(container, h('h3', { class: 'section-title', text: 'Try it' }), ui.form, ui.run$.messages, ui.empty, ui.results);
  return ui;
}

export default { id, title, intro, mount };
