// Lesson 6, "Amdahl's law": a job whose first part must run on one worker before the
// rest can be shared out. The engines sweep the workers from 1 to a maximum, time the job
// against the sequential loop, check every result, and fit the serial fraction that best
// explains the speedups. The page draws Amdahl's prediction for the chosen serial
// fraction (and Gustafson's, when the problem grows with the workers) beside them.
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
  controlsForm,
  createController,
  dashedLegendItem,
  downloadCsv,
  introBlock,
  legendWith,
  numberOrText,
  onSchemeChange,
  pointRangePlugin,
  prepareChart,
  resultsTable,
  selectField,
  slider,
  toCsv,
} from '../lib/shared-state-kit.js';

export const id = 'amdahl';
export const title = "Amdahl's law";

const TOTAL_CHOICES = [2e7, 5e7, 1e8, 2e8, 5e8, 1e9];
const DEFAULTS = { serialPercent: 20, total: 1e8, repetitions: 3, warmup: 1 };

const PYTHON_SNIPPET = `import time
from concurrent.futures import ProcessPoolExecutor

def busy(lo, hi):
    acc = 0
    for k in range(lo, hi):
        acc += k * k
    return acc

def job(total, serial, workers, pool):
    cut = int(total * serial)
    head = busy(0, cut)     # one worker; the rest wait
    step = (total - cut) // workers
    lows = [cut + i * step for i in range(workers)]
    highs = lows[1:] + [total]
    return head + sum(pool.map(busy, lows, highs))

if __name__ == "__main__":
    for k in (1, 2, 4):
        with ProcessPoolExecutor(k) as pool:
            began = time.perf_counter()
            job(20_000_000, 0.2, k, pool)
            print(k, time.perf_counter() - began)`;

// ---- the model and the readings: pure functions --------------------------------------

/** Amdahl's speedup 1 / (s + (1 − s) / k). */
export function amdahlPrediction(s, k) {
  return 1 / (s + (1 - s) / k);
}

/** Gustafson's scaled speedup s + (1 − s) k. */
export function gustafsonPrediction(s, k) {
  return s + (1 - s) * k;
}

/** Amdahl's ceiling 1 / s, or Infinity when nothing is serial. */
export function ceilingOf(s) {
  return s > 0 ? 1 / s : Infinity;
}

/** 0.2 → "20%", 0.125 → "12.5%". */
export function formatPercent(fraction) {
  const p = fraction * 100;
  return `${Number.isInteger(Math.round(p * 10) / 10) ? Math.round(p) : (Math.round(p * 10) / 10).toFixed(1)}%`;
}

function factor(x) {
  if (!Number.isFinite(x)) return '—';
  return Math.abs(x - Math.round(x)) < 0.005 ? `${Math.round(x)}x` : `${x.toFixed(2)}x`;
}

/**
 * The sentences that read a sweep. `points` are `{ workers, speedup, predicted }` in
 * worker order; `fitted` is the fitted serial fraction or null.
 */
export function describeAmdahl({ serialFraction: s, gustafson, cores, points, fitted }) {
  const lines = [];
  if (!points.length) return lines;
  const best = points.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  const last = points[points.length - 1];
  if (gustafson) {
    lines.push(
      `Growing the job with the workers keeps the serial part the same size while the parallel part grows, so Gustafson's s + (1 − s)k has no ceiling: ${factor(last.predicted)} for ${plural(last.workers, 'worker')} at ${formatPercent(s)} serial.`,
    );
  } else if (s > 0) {
    const example = Math.abs(s - 0.2) < 1e-9 ? ' — the lesson\'s example: 20% serial can never beat 5x' : '';
    lines.push(`With ${formatPercent(s)} of the job serial, Amdahl's law caps the speedup at 1/s = ${factor(1 / s)} however many workers you add${example}.`);
  } else {
    lines.push(`With nothing serial, Amdahl's law sets no ceiling: only the ${plural(cores, 'core')} limit the speedup.`);
  }

  const share = best.speedup / best.predicted;
  const closeness =
    share >= 1.15
      ? 'above the prediction, so the timings are noisy; add repetitions'
      : share >= 0.85
        ? 'close to the prediction'
        : `${Math.round(share * 100)}% of the prediction; thread start-up, uneven shares and other programs take the rest`;
  if (best.workers === 1) {
    lines.push(`No extra worker helped: the best measured speedup was ${factor(best.speedup)} with 1 worker.`);
  } else {
    lines.push(`Best measured: ${factor(best.speedup)} with ${plural(best.workers, 'worker')}, against ${factor(best.predicted)} predicted — ${closeness}.`);
  }

  if (last.workers > cores) {
    lines.push(
      `Past ${plural(cores, 'core')}, extra workers only take turns: ${plural(last.workers, 'worker')} measured ${factor(last.speedup)} while the ${gustafson ? 'line' : 'curve'} (which assumes a core per worker) says ${factor(last.predicted)}.`,
    );
  }

  if (!gustafson && Number.isFinite(fitted) && points.length > 1) {
    const gap = fitted - s;
    const pulled = last.workers > cores ? ' (points past the core count pull it up)' : '';
    const verdict =
      Math.abs(gap) <= 0.05
        ? `close to the ${formatPercent(s)} built into the job`
        : gap > 0
          ? `more than the ${formatPercent(s)} built into the job: starting threads and uneven shares behave like extra serial work${pulled}`
          : `less than the ${formatPercent(s)} built into the job, which only noisy timings can do`;
    lines.push(`Fitting Amdahl's curve to these points gives a serial fraction of ${formatPercent(fitted)}, ${verdict}.`);
  }
  return lines;
}

// ---- the lesson --------------------------------------------------------------------------

export function intro(container) {
  return introBlock(container, {
    lead: 'Some work cannot be shared: reading the input, setting up, combining at the end. If a fraction s of a job must run on one worker, k workers can only shrink the rest, and the speedup is 1 / (s + (1 − s) / k). However large k gets, it never passes 1/s: with 20% serial, no number of cores beats 5x.',
    body: [
      'Here the job is the same busy loop as before, cut in two: the first part runs on worker 0 while the others wait, then the rest is split evenly across k workers. Set the serial share, sweep the workers and compare the measurements with the curve.',
      "Gustafson's view turns the question around: if every extra worker brings more work of its own, the serial part shrinks as a share of the whole and the scaled speedup s + (1 − s)k keeps growing. Tick the toggle to grow the job with the workers.",
    ],
    caption: 'The Python version: a serial head, then a pool for the rest',
    code: PYTHON_SNIPPET,
  });
}

export function mount(container, { caps, bridge }) {
  const threads = caps.engines.find((e) => e.id === 'threads');
  const canRun = Boolean(threads?.available);
  const defaultMost = Math.max(1, Math.min(caps.maxWorkers, Math.max(4, caps.cores)));

  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps, defaultMost });
  const control = createController(container, ui.controls, bridge);
  const charts = chartKeeper(ui.chartError);
  const state = { result: null };

  if (!canRun) {
    const reason = threads?.reason || 'needs a cross-origin isolated page';
    control.block(`Measuring is unavailable: the threads engine ${reason}.`);
    ui.unavailable.hidden = false;
    ui.unavailable.textContent = `Measuring needs the threads engine, which is unavailable here (it ${reason}). The curves still show what Amdahl's law predicts for the serial share you choose.`;
  }

  // ---- settings ----------------------------------------------------------------------
  function settings() {
    return {
      serialFraction: Number(ui.serial.input.value) / 100,
      workers: Number(ui.most.input.value),
      total: numberOrText(ui.total.input.value),
      repetitions: Number(ui.repetitions.input.value),
      warmup: Number(ui.warmup.input.value),
      gustafson: ui.gustafson.input.checked,
    };
  }

  function showSettings() {
    for (const field of [ui.serial, ui.most, ui.repetitions, ui.warmup]) field.show();
    const s = settings();
    const ceiling = ceilingOf(s.serialFraction);
    ui.ceiling.dataset.ceiling = Number.isFinite(ceiling) ? String(ceiling) : 'none';
    ui.ceiling.textContent = Number.isFinite(ceiling)
      ? `Ceiling 1/s = ${factor(ceiling)}: Amdahl's limit for ${formatPercent(s.serialFraction)} serial${s.gustafson ? ' (a fixed-size job)' : ''}`
      : 'No ceiling at 0% serial: only the cores limit the speedup';
    ui.mostNote.hidden = s.workers <= caps.cores;
    ui.mostNote.textContent = s.workers > caps.cores ? `past ${plural(caps.cores, 'core')} the extra workers share cores, so the measurement must fall below the curve` : '';
    drawSpeedup();
  }
  ui.controls.form.addEventListener('input', showSettings);
  ui.controls.form.addEventListener('change', showSettings);

  // ---- running -------------------------------------------------------------------------
  async function runSweep() {
    if (!canRun) return;
    const s = settings();
    const perK = s.warmup + s.repetitions;
    const last = { k: 0, fraction: 0 };
    await control.run(async () => {
      control.setProgress(0, 'Starting the sweep…');
      const result = await bridge.call(
        'phased',
        { workers: s.workers, serial_fraction: s.serialFraction, total: s.total, gustafson: s.gustafson ? 1 : 0, repetitions: s.repetitions, warmup: s.warmup },
        {
          onProgress: control.progressFrom((p) => {
            // The sequential checksum for a job size comes first and reports 0/1 on its own.
            if (p.phase === 'reference') return [last.fraction, `${plural(Math.min(last.k + 1, s.workers), 'worker')} of ${s.workers}: computing the sequential checksum`];
            const k = p.workers ?? 1;
            const within = (p.done % perK) + 1;
            const what = p.phase === 'warmup' ? `warm-up ${within}/${s.warmup}` : `timed run ${within - s.warmup}/${s.repetitions}`;
            last.k = k;
            last.fraction = p.done / p.total;
            return [last.fraction, `${plural(k, 'worker')} of ${s.workers}: ${what}`];
          }),
        },
      );
      control.warn(result.warnings);
      state.result = result;
      render();
      const lines = describeAmdahl(readingInput(result));
      return `Done. ${lines.slice(0, 2).join(' ')}`;
    });
  }

  function readingInput(result) {
    return {
      serialFraction: result.serial_fraction,
      gustafson: result.gustafson,
      cores: caps.cores,
      points: result.points.map((p) => ({ workers: p.workers, speedup: p.speedup, predicted: p.predicted })),
      fitted: result.fitted_serial_fraction,
    };
  }

  ui.controls.form.addEventListener('submit', (event) => {
    event.preventDefault();
    runSweep();
  });
  ui.csv.addEventListener('click', () => {
    if (state.result) downloadCsv('amdahl', csvText(state.result, caps.cores));
  });

  // ---- results -------------------------------------------------------------------------
  function render() {
    const result = state.result;
    ui.results.hidden = !result;
    ui.csv.disabled = !result;
    if (!result) return;
    clear(ui.reading);
    for (const line of describeAmdahl(readingInput(result))) ui.reading.append(h('li', { text: line }));
    ui.table.fill(
      result.points.map((p) => ({
        dataset: {
          workers: String(p.workers),
          total: String(p.total),
          speedup: String(p.speedup),
          speedupMin: String(p.speedup_min),
          speedupMax: String(p.speedup_max),
          predicted: String(p.predicted),
        },
        cells: [
          result.gustafson
            ? { head: true, node: h('span', {}, plural(p.workers, 'worker'), h('br'), h('span', { class: 'hint', text: `${compactCount(p.total)} iterations` })) }
            : { head: true, text: plural(p.workers, 'worker') },
          formatMs(p.sequential.median),
          formatMs(p.parallel.median),
          { node: h('span', {}, factor(p.speedup), h('br'), h('span', { class: 'hint', text: `${factor(p.speedup_min)}–${factor(p.speedup_max)}` })) },
          factor(p.predicted),
        ],
      })),
    );
    const reps = result.points[0]?.parallel.count ?? 0;
    const fit = !result.gustafson && Number.isFinite(result.fitted_serial_fraction) ? ` Fitted serial fraction: ${formatPercent(result.fitted_serial_fraction)}.` : '';
    ui.tableNote.textContent = `${result.gustafson ? 'The job grows with the workers (Gustafson: its size is under each worker count)' : `A job of ${formatCount(result.points[0]?.total ?? 0)} iterations`}, ${formatPercent(result.serial_fraction)} of it serial; medians of ${plural(reps, 'timed run')} per worker count, with the fastest-to-slowest speedup under each. Every parallel result matched the sequential sum ✓ (a mismatch stops the run).${fit}`;
    ui.verified.dataset.verified = String(result.verified === true);
    drawAll();
  }

  function drawAll() {
    ui.chartError.hidden = true;
    drawSpeedup();
    const result = state.result;
    if (!result) return;
    charts.draw('phases', () => drawPhaseChart(ui.phaseCanvas, result));
    ui.phaseCanvas.setAttribute('aria-label', `Serial and parallel parts of the last timed run per worker count: ${result.points.map((p) => `${p.workers}: ${formatMs(p.serial_ms)} + ${formatMs(p.parallel_ms)} ms`).join('; ')}.`);
    const workers = new Set(result.timeline.map((c) => c.worker)).size;
    ui.timelineBox.dataset.workers = String(workers);
    ui.timelineBox.dataset.chunks = String(result.timeline.length);
    ui.timelineCanvasBox.style.height = `${130 + workers * 38}px`;
    const last = result.points[result.points.length - 1];
    charts.draw('timeline', () =>
      drawTimelineChart(ui.timelineCanvas, result.timeline, { engine: 'threads', label: 'Threads' }),
    );
    ui.timelineCanvas.setAttribute('aria-label', `Timeline of the last run with ${plural(last.workers, 'worker')}: the serial part on worker 0 for ${formatMs(last.serial_ms)} ms, then ${plural(result.timeline.length - 1, 'parallel chunk')}.`);
    ui.timelineNote.textContent = `The last timed run with ${plural(last.workers, 'worker')} and ${formatPercent(result.serial_fraction)} serial. Chunk 0 on worker 0 is the serial part (${formatMs(last.serial_ms)} ms): nobody else can start until it ends. Then each worker takes one equal share of the rest${last.workers > caps.cores ? `; with more workers than cores, shares queue for a core and finish late` : ''}.`;
  }

  function drawSpeedup() {
    const s = settings();
    const result = state.result;
    charts.draw('speedup', () => drawSpeedupChart(ui.speedupCanvas, { s: s.serialFraction, gustafson: s.gustafson, most: s.workers, cores: caps.cores, result }));
    const ceiling = ceilingOf(s.serialFraction);
    const measured = result ? ` Measured: ${result.points.map((p) => `${p.workers} → ${factor(p.speedup)}`).join(', ')}.` : '';
    ui.speedupCanvas.setAttribute(
      'aria-label',
      `Predicted speedup for ${formatPercent(s.serialFraction)} serial: ${[1, 2, 4, 8, 16].map((k) => `${k} workers ${factor(s.gustafson ? gustafsonPrediction(s.serialFraction, k) : amdahlPrediction(s.serialFraction, k))}`).join(', ')}; ceiling ${Number.isFinite(ceiling) ? factor(ceiling) : 'none'}.${measured}`,
    );
    const stale = result && (Math.abs(result.serial_fraction - s.serialFraction) > 1e-9 || result.gustafson !== s.gustafson);
    ui.staleNote.hidden = !stale;
    ui.staleNote.textContent = stale ? `The measured points are for ${formatPercent(result.serial_fraction)} serial${result.gustafson ? ' with a growing job' : ''}; press Run to measure the settings shown.` : '';
  }

  onSchemeChange(() => drawAll());
  showSettings();
  container.dataset.state = 'idle';
  return { runSweep, cancel: control.cancel };
}

/** 180000000 → "180M": short job sizes for table hints. */
function compactCount(value) {
  if (value >= 1e9) return `${+(value / 1e9).toFixed(2)}G`;
  if (value >= 1e6) return `${+(value / 1e6).toFixed(1)}M`;
  if (value >= 1e3) return `${+(value / 1e3).toFixed(1)}k`;
  return String(value);
}

function csvText(result, cores) {
  const header = ['workers', 'serial_fraction', 'gustafson', 'iterations', 'sequential_median_ms', 'sequential_min_ms', 'sequential_max_ms', 'parallel_median_ms', 'parallel_min_ms', 'parallel_max_ms', 'speedup', 'speedup_min', 'speedup_max', 'predicted', 'serial_ms_last_run', 'parallel_ms_last_run', 'fitted_serial_fraction', 'cores', 'verified'];
  const rows = result.points.map((p) => [
    p.workers, result.serial_fraction, result.gustafson, p.total,
    p.sequential.median, p.sequential.min, p.sequential.max,
    p.parallel.median, p.parallel.min, p.parallel.max,
    p.speedup, p.speedup_min, p.speedup_max, p.predicted,
    p.serial_ms, p.parallel_ms, result.fitted_serial_fraction, cores, result.verified === true,
  ]);
  return toCsv(header, rows);
}

// ---- charts --------------------------------------------------------------------------------

/** A dotted vertical line at `value` on the x axis, labelled: where the cores run out. */
const verticalLinePlugin = {
  id: 'verticalLine',
  defaults: { value: null, label: '', color: '#000000' },
  afterDatasetsDraw(chart, _args, options) {
    if (!Number.isFinite(options.value)) return;
    const x = chart.scales.x.getPixelForValue(options.value);
    const area = chart.chartArea;
    if (x < area.left - 1 || x > area.right + 1) return;
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.lineWidth = 1.5;
    ctx.setLineDash([2, 4]);
    ctx.beginPath();
    ctx.moveTo(x, area.top);
    ctx.lineTo(x, area.bottom);
    ctx.stroke();
    if (options.label) {
      ctx.setLineDash([]);
      ctx.font = `12px ${chart.options.font?.family ?? globalThis.Chart?.defaults.font.family ?? 'sans-serif'}`;
      ctx.textAlign = 'left';
      ctx.textBaseline = 'bottom';
      ctx.fillText(options.label, x + 4, area.bottom - 4);
    }
    ctx.restore();
  },
};

function powersOfTwo(max) {
  const ticks = [];
  for (let v = 1; v <= max; v *= 2) ticks.push(v);
  return ticks;
}

function drawSpeedupChart(canvas, { s, gustafson, most, cores, result }) {
  const { Chart, t } = prepareChart();
  const kmax = 2 ** Math.ceil(Math.log2(Math.max(most, gustafson ? 8 : 16)));
  // The model's curves, sampled finely on the log axis so they look smooth.
  const samples = [];
  for (let i = 0; i <= Math.log2(kmax) * 8; i++) samples.push(2 ** (i / 8));
  const amdahlColor = EXTRA_COLORS.blue;
  const gustafsonColor = EXTRA_COLORS.purple;
  const measuredColor = engineColor('threads');
  const ceiling = ceilingOf(s);
  const datasets = [
    {
      label: `Amdahl: 1/(s + (1−s)/k), s = ${formatPercent(s)}`,
      data: samples.map((k) => ({ x: k, y: amdahlPrediction(s, k) })),
      borderColor: gustafson ? withAlpha(amdahlColor, 0.45) : amdahlColor,
      backgroundColor: amdahlColor,
      borderWidth: 2.5,
      pointRadius: 0,
      tension: 0,
    },
  ];
  if (gustafson) {
    datasets.push({
      label: `Gustafson: s + (1−s)k, s = ${formatPercent(s)}`,
      data: samples.map((k) => ({ x: k, y: gustafsonPrediction(s, k) })),
      borderColor: gustafsonColor,
      backgroundColor: gustafsonColor,
      borderWidth: 2.5,
      pointRadius: 0,
    });
  }
  const fitted = result?.fitted_serial_fraction;
  if (result && !result.gustafson && Number.isFinite(fitted)) {
    datasets.push({
      label: `Amdahl fitted to the points: s = ${formatPercent(fitted)}`,
      data: samples.map((k) => ({ x: k, y: amdahlPrediction(fitted, k) })),
      borderColor: t.muted,
      backgroundColor: t.muted,
      borderDash: [2, 3],
      borderWidth: 2,
      pointRadius: 0,
    });
  }
  if (result) {
    datasets.push({
      label: `measured (median, min–max), s = ${formatPercent(result.serial_fraction)}`,
      data: result.points.map((p) => ({ x: p.workers, y: p.speedup, point: p })),
      ranges: result.points.map((p) => [p.speedup_min, p.speedup_max]),
      borderColor: measuredColor,
      backgroundColor: measuredColor,
      pointRadius: 5,
      pointHoverRadius: 7,
      borderWidth: 2,
      showLine: true,
    });
  }
  const modelAtEnd = gustafson ? gustafsonPrediction(s, kmax) : amdahlPrediction(s, kmax);
  const measuredTop = result ? Math.max(...result.points.map((p) => p.speedup_max).filter(Number.isFinite)) : 0;
  const showCeiling = Number.isFinite(ceiling) && ceiling <= 25;
  const top = Math.max(modelAtEnd, showCeiling ? ceiling : 0, Math.min(measuredTop, Math.max(modelAtEnd, 2) * 1.5), 2) * 1.1;
  const texts = chartTexts(canvas, t, {
    title: { wide: gustafson ? 'Speedup as the job grows with the workers' : 'Speedup against workers, with Amdahl’s ceiling', narrow: ['Speedup against workers', gustafson ? '(growing job)' : 'and Amdahl’s ceiling'] },
    x: { wide: 'workers k (doubling at each step)', narrow: 'workers k' },
    y: { wide: 'speedup over sequential (×)', narrow: 'speedup (×)' },
  });
  const extra = [];
  if (Number.isFinite(ceiling)) extra.push(dashedLegendItem(showCeiling ? `ceiling 1/s = ${factor(ceiling)}` : `ceiling 1/s = ${factor(ceiling)} (above the chart)`, t.text));
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [referenceLinePlugin, pointRangePlugin, verticalLinePlugin],
    options: {
      maintainAspectRatio: false,
      parsing: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: {
          type: 'logarithmic',
          min: 1,
          max: kmax,
          title: texts.x,
          afterBuildTicks(scale) {
            scale.ticks = powersOfTwo(kmax).map((value) => ({ value }));
          },
          ticks: { callback: (value) => String(value), color: t.text },
        },
        y: { min: 0, max: Math.ceil(top), title: texts.y, ticks: { color: t.text } },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        referenceLine: { value: showCeiling ? ceiling : null, label: `ceiling ${factor(ceiling)}`, color: t.text },
        verticalLine: { value: cores, label: `${plural(cores, 'core')}`, color: t.muted },
        legend: legendWith(Chart, extra),
        tooltip: {
          filter: (item) => item.raw.point || item.datasetIndex === 0 || Number.isInteger(Math.log2(item.raw.x)),
          callbacks: {
            title: (items) => `${plural(Math.round(items[0].raw.x), 'worker')}`,
            label(item) {
              const p = item.raw.point;
              if (p) return `measured ${factor(p.speedup)} (min ${factor(p.speedup_min)}, max ${factor(p.speedup_max)}); predicted ${factor(p.predicted)}`;
              return `${item.dataset.label.split(':')[0]}: ${factor(item.raw.y)}`;
            },
          },
        },
      },
    },
  });
}

function drawPhaseChart(canvas, result) {
  const { Chart, t } = prepareChart();
  const labels = result.points.map((p) => String(p.workers));
  const texts = chartTexts(canvas, t, {
    title: { wide: 'Where the time goes: the serial part does not shrink', narrow: ['Where the time goes:', 'the serial part does not shrink'] },
    x: { wide: 'workers k', narrow: 'workers k' },
    y: { wide: 'time of the last timed run (ms)', narrow: 'last run (ms)' },
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels,
      datasets: [
        { label: 'serial part (worker 0 alone)', data: result.points.map((p) => p.serial_ms), ...barColors(EXTRA_COLORS.purple), stack: 'time', barPercentage: 0.7 },
        { label: 'parallel part (k workers)', data: result.points.map((p) => p.parallel_ms), ...barColors(engineColor('threads')), stack: 'time', barPercentage: 0.7 },
      ],
    },
    options: {
      maintainAspectRatio: false,
      scales: { x: { stacked: true, title: texts.x, ticks: { color: t.text } }, y: { stacked: true, beginAtZero: true, title: texts.y } },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { title: (items) => plural(Number(items[0].label), 'worker'), label: (item) => `${item.dataset.label}: ${formatMs(item.raw)} ms` } },
      },
    },
  });
}

// ---- building the panel ------------------------------------------------------------------

function buildPanel(container, { caps, defaultMost }) {
  const ui = {};
  ui.serial = slider({ id: 'amdahl-serial', label: 'Serial share s', min: 0, max: 50, value: DEFAULTS.serialPercent, format: (v) => `${v}%`, hint: 'the part of the job only worker 0 can do' });
  ui.ceiling = h('span', { class: 'hint', id: 'amdahl-ceiling', attrs: { 'data-testid': 'amdahl-ceiling', role: 'note' } });
  ui.serial.field.append(ui.ceiling);
  ui.most = slider({ id: 'amdahl-workers', label: 'Workers up to', min: 1, max: caps.maxWorkers, value: defaultMost, hint: `the sweep runs 1, 2, … up to this; this device reports ${plural(caps.cores, 'core')}` });
  ui.mostNote = h('span', { class: 'hint warn', id: 'amdahl-workers-note', attrs: { 'data-testid': 'amdahl-workers-note', role: 'note' }, hidden: true });
  ui.most.field.append(ui.mostNote);
  ui.total = selectField({
    id: 'amdahl-total',
    label: 'Job size (iterations)',
    options: TOTAL_CHOICES.map((n) => ({ value: n, text: formatCount(n) })),
    value: DEFAULTS.total,
    hint: 'loop iterations in the whole job (with 1 worker)',
  });
  ui.repetitions = slider({ id: 'amdahl-repetitions', label: 'Repetitions', min: 1, max: 10, value: DEFAULTS.repetitions, hint: 'timed runs per worker count; medians are plotted' });
  ui.warmup = slider({ id: 'amdahl-warmup', label: 'Warm-up runs', min: 0, max: 3, value: DEFAULTS.warmup, hint: 'untimed runs first, for each worker count' });
  ui.gustafson = checkBox({ id: 'amdahl-gustafson', label: "Gustafson: grow the job", note: 'k workers get k times the parallel work; the serial part keeps its size' });
  const sizes = h('fieldset', { class: 'sizes', id: 'amdahl-sizes' }, h('legend', { text: 'Settings' }), ui.serial.field, ui.most.field, ui.total.field, ui.repetitions.field, ui.warmup.field);
  const view = h('fieldset', { class: 'engines-choice', id: 'amdahl-view' }, h('legend', { text: 'Scaling' }), ui.gustafson.field);

  ui.controls = controlsForm({ prefix: 'amdahl', fieldsets: [sizes, view], runText: 'Run the sweep' });
  ui.unavailable = h('p', { class: 'message message-warning', id: 'amdahl-unavailable', attrs: { 'data-testid': 'amdahl-unavailable' }, hidden: true });

  ui.chartError = h('p', { class: 'message message-error', id: 'amdahl-chart-error', hidden: true });
  const speedup = chartCanvas('amdahl-chart-speedup', "Amdahl's prediction", 400);
  ui.speedupCanvas = speedup.canvas;
  ui.staleNote = h('p', { class: 'hint', id: 'amdahl-stale', attrs: { 'data-testid': 'amdahl-stale' }, hidden: true });
  const speedupCard = h('section', { class: 'card charts', id: 'amdahl-speedup', attrs: { 'aria-label': 'Speedup chart', 'data-testid': 'amdahl-speedup' } }, ui.chartError, speedup.box, ui.staleNote);

  ui.reading = h('ul', { id: 'amdahl-reading', class: 'reading', attrs: { 'data-testid': 'amdahl-reading', 'aria-label': 'What the numbers say' } });
  const phase = chartCanvas('amdahl-chart-phases', 'Serial and parallel parts per worker count', 300);
  ui.phaseCanvas = phase.canvas;
  ui.table = resultsTable({
    id: 'amdahl-results-table',
    caption: 'The sweep',
    columns: [{ label: 'Workers' }, { label: 'Sequential (ms)', num: true }, { label: 'Parallel (ms)', num: true }, { label: 'Speedup (min–max)', num: true }, { label: 'Predicted', num: true }],
  });
  ui.tableNote = h('p', { class: 'hint table-note', id: 'amdahl-table-note' });
  ui.verified = ui.tableNote;
  ui.csv = h('button', { type: 'button', id: 'amdahl-download-csv', disabled: true, attrs: { 'data-testid': 'amdahl-download-csv' }, text: 'Download CSV' });

  ui.timelineCanvas = h('canvas', { id: 'amdahl-chart-timeline', attrs: { role: 'img', 'data-testid': 'amdahl-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint', id: 'amdahl-timeline-note' });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline', id: 'amdahl-timeline', attrs: { 'aria-labelledby': 'amdahl-timeline-heading', 'data-testid': 'amdahl-timeline' } },
    h('div', { class: 'timeline-head' }, h('h3', { id: 'amdahl-timeline-heading', text: 'Per-worker timeline of the last run' })),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  ui.results = h(
    'section',
    { id: 'amdahl-results', class: 'results', attrs: { 'aria-label': 'Results', 'data-testid': 'amdahl-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading),
    h(
      'div',
      { class: 'results-grid' },
      h('div', { class: 'card charts' }, phase.box),
      h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll' }, ui.table.table), ui.tableNote, h('div', { class: 'actions' }, ui.csv)),
    ),
    ui.timelineBox,
  );

  container.append(
    h('h3', { class: 'section-title', text: 'Try it' }),
    ui.controls.form,
    h('div', { class: 'messages' }, ui.unavailable),
    ui.controls.messages,
    h('div', { class: 'results' }, speedupCard, ui.results),
  );
  return ui;
}

export default { id, title, intro, mount };
