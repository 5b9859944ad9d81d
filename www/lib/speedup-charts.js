// Charts of the "Speedup versus workers" and "Measure, don't assume" lessons: speedup
// against worker count (with whiskers, the ideal line and fitted Amdahl curves) and a
// strip plot of every run. Same palette, fonts and conventions as lib/charts.js.
import { engineColor, withAlpha, wrapWords } from './charts.js';
import { formatMs } from './reading.js';
import { amdahlOnCores, formatPercent, formatSpeedup } from './speedup-reading.js';

const NARROW = 480;

/** Short engine names for crowded legends. */
export const SHORT = { sequential: 'sequential', gil: 'GIL', threads: 'threads', processes: 'pool' };

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

function chartLibrary() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  return Chart;
}

/** Fonts and colours from the page's current theme. */
function prepare() {
  const Chart = chartLibrary();
  const t = {
    text: cssVar('--fg', '#1b1f24'),
    muted: cssVar('--muted', '#57606a'),
    grid: cssVar('--grid', 'rgba(0,0,0,0.1)'),
    surface: cssVar('--surface', '#ffffff'),
  };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  const reduced = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.animation = reduced ? false : { duration: 250 };
  return { Chart, t };
}

/** `text` is a string or `{ wide, narrow }`. */
function fit(text, width) {
  return typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide;
}

/** Titles that switch to their short forms on narrow canvases, now and on resize. */
function adaptive(canvas, t, { chartTitle, xAxis, yAxis }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  return {
    title: { display: true, text: fit(chartTitle, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } },
    x: { display: true, text: fit(xAxis, width), color: t.muted, font: { size: 12 } },
    y: { display: true, text: fit(yAxis, width), color: t.muted, font: { size: 12 } },
    onResize(chart, size) {
      chart.options.plugins.title.text = fit(chartTitle, size.width);
      chart.options.scales.x.title.text = fit(xAxis, size.width);
      chart.options.scales.y.title.text = fit(yAxis, size.width);
    },
  };
}

/**
 * Vertical min–max whiskers on the points of every dataset that has `ranges`
 * (`ranges[i] = [low, high]` for point i), clipped to the plot area.
 */
const pointWhiskers = {
  id: 'pointWhiskers',
  defaults: { width: 1.5 },
  afterDatasetsDraw(chart, _args, options) {
    const { ctx, chartArea } = chart;
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip();
    chart.data.datasets.forEach((dataset, index) => {
      if (!Array.isArray(dataset.ranges) || !chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[meta.yAxisID];
      ctx.strokeStyle = dataset.whiskerColor ?? dataset.borderColor;
      ctx.lineWidth = options.width;
      meta.data.forEach((point, i) => {
        const range = dataset.ranges[i];
        if (!range || !range.every(Number.isFinite)) return;
        const { x } = point.getProps(['x'], true);
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        ctx.beginPath();
        ctx.moveTo(x, lo);
        ctx.lineTo(x, hi);
        for (const end of [lo, hi]) {
          ctx.moveTo(x - 5, end);
          ctx.lineTo(x + 5, end);
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

/** Shades the part of the plot where there are more workers than cores, with a label. */
const oversubscribed = {
  id: 'oversubscribed',
  defaults: { from: null, label: '', fill: 'rgba(0,0,0,0.05)', color: '#57606a' },
  beforeDatasetsDraw(chart, _args, options) {
    if (!Number.isFinite(options.from)) return;
    const { ctx, chartArea } = chart;
    const x = Math.max(chartArea.left, chart.scales.x.getPixelForValue(options.from));
    if (x >= chartArea.right) return;
    ctx.save();
    ctx.fillStyle = options.fill;
    ctx.fillRect(x, chartArea.top, chartArea.right - x, chartArea.bottom - chartArea.top);
    ctx.strokeStyle = options.color;
    ctx.setLineDash([3, 3]);
    ctx.beginPath();
    ctx.moveTo(x, chartArea.top);
    ctx.lineTo(x, chartArea.bottom);
    ctx.stroke();
    if (options.label) {
      ctx.setLineDash([]);
      ctx.fillStyle = options.color;
      ctx.font = `600 12px ${chart.options.font?.family ?? globalThis.Chart?.defaults.font.family ?? 'sans-serif'}`;
      ctx.textBaseline = 'top';
      const room = chartArea.right - x - 12;
      const lines = ctx.measureText(options.label).width <= room ? [options.label] : wrapWords(options.label, 12);
      lines.forEach((line, i) => ctx.fillText(line, x + 6, chartArea.top + 6 + i * 15, room));
    }
    ctx.restore();
  },
};

/** Integer ticks 1..`last` on a linear axis. */
function integerTicks(last) {
  return (axis) => {
    axis.ticks = Array.from({ length: last }, (_, i) => ({ value: i + 1 }));
  };
}

/**
 * Speedup against the number of workers. `series`: `[{ engine, label, points:
 * [{ workers, speedup, low, high, median }], serialFraction }]`; `cores` bends the ideal
 * line and starts the shaded oversubscribed area; `largest` is the last worker count.
 */
export function drawSweepChart(canvas, { cores, largest, series }) {
  const { Chart, t } = prepare();
  const texts = adaptive(canvas, t, {
    chartTitle: { wide: 'Speedup as workers are added', narrow: ['Speedup as workers', 'are added'] },
    xAxis: { wide: 'workers k (threads or pool workers)', narrow: 'workers k' },
    yAxis: { wide: 'speedup over sequential (×, higher is faster)', narrow: 'speedup (×)' },
  });
  const ks = Array.from({ length: largest }, (_, i) => i + 1);
  const datasets = [];
  datasets.push({
    type: 'line',
    label: `ideal: min(k, ${cores}) on this device`,
    kind: 'ideal',
    data: ks.map((k) => ({ x: k, y: Math.min(k, cores) })),
    borderColor: t.text,
    backgroundColor: t.text,
    borderDash: [6, 4],
    borderWidth: 2,
    pointRadius: 0,
    pointHitRadius: 0,
    order: 3,
  });
  for (const s of series) {
    const color = engineColor(s.engine);
    datasets.push({
      type: 'line',
      label: s.label,
      kind: 'measured',
      engine: s.engine,
      data: s.points.map((p) => ({ x: p.workers, y: p.speedup, point: p })),
      ranges: s.points.map((p) => [p.low, p.high]),
      borderColor: color,
      backgroundColor: color,
      borderWidth: 2.5,
      pointRadius: 4.5,
      pointHoverRadius: 6.5,
      pointStyle: s.engine === 'sequential' ? 'rectRot' : 'circle',
      tension: 0,
      order: 1,
    });
  }
  for (const s of series) {
    if (!Number.isFinite(s.serialFraction) || s.engine === 'sequential') continue;
    const color = engineColor(s.engine);
    const xs = [];
    for (let k = 1; k <= largest + 1e-9; k += 0.1) xs.push(Math.round(k * 10) / 10);
    datasets.push({
      type: 'line',
      label: `Amdahl fit, ${SHORT[s.engine] ?? s.label}: ${formatPercent(s.serialFraction)} serial`,
      kind: 'fit',
      engine: s.engine,
      data: xs.map((k) => ({ x: k, y: amdahlOnCores(s.serialFraction, k, cores) })),
      borderColor: withAlpha(color, 0.9),
      backgroundColor: withAlpha(color, 0.9),
      borderDash: [2, 4],
      borderWidth: 2,
      pointRadius: 0,
      pointHitRadius: 0,
      tension: 0,
      order: 2,
    });
  }
  const medians = series.flatMap((s) => s.points.map((p) => p.speedup)).filter(Number.isFinite);
  const top = Math.max(Math.min(largest, cores), ...medians);
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [pointWhiskers, oversubscribed],
    options: {
      maintainAspectRatio: false,
      parsing: true,
      interaction: { mode: 'nearest', intersect: true },
      scales: {
        x: { type: 'linear', min: 0.6, max: largest + 0.4, afterBuildTicks: integerTicks(largest), ticks: { color: t.text, callback: (v) => String(v) }, title: texts.x },
        y: { type: 'linear', min: 0, suggestedMax: Math.ceil(top * 1.15 * 2) / 2, title: texts.y, ticks: { callback: (v) => `${v}x` } },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        oversubscribed: {
          from: largest > cores ? cores + 0.5 : null,
          label: `more workers than ${cores} cores`,
          fill: withAlpha(t.text.startsWith('#') && t.text.length === 7 ? t.text : '#000000', 0.06),
          color: t.muted,
        },
        legend: {
          position: 'bottom',
          labels: {
            boxHeight: 8,
            usePointStyle: true,
            generateLabels(chart) {
              return Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => {
                const kind = chart.data.datasets[item.datasetIndex]?.kind;
                return kind === 'measured' ? { ...item, pointStyle: chart.data.datasets[item.datasetIndex].pointStyle } : { ...item, pointStyle: 'line' };
              });
            },
          },
        },
        tooltip: {
          filter: (item) => item.dataset.kind === 'measured',
          callbacks: {
            title(items) {
              const k = items[0]?.raw.x;
              return `${k} ${k === 1 ? 'worker' : 'workers'}`;
            },
            label(item) {
              const p = item.raw.point;
              return `${item.dataset.label}: ${formatSpeedup(p.speedup)} (runs give ${formatSpeedup(p.low)}–${formatSpeedup(p.high)}), median ${formatMs(p.median)} ms`;
            },
          },
        },
      },
    },
  });
}

/**
 * Every run as a point, one strip per engine: inside a strip, runs go left to right in
 * the order they ran; warm-up runs are hollow, the first run is a triangle, and a line
 * marks the median. `groups`: `[{ engine, label, runs: [{ ms, warmup }], median }]`.
 */
export function drawStripChart(canvas, { groups, includeWarmup }) {
  const { Chart, t } = prepare();
  const texts = adaptive(canvas, t, {
    chartTitle: { wide: 'Every run, in the order it ran', narrow: ['Every run, in the', 'order it ran'] },
    xAxis: { wide: 'engine (runs left to right in time)', narrow: 'engine (runs in order)' },
    yAxis: { wide: 'time for one map over all tasks (ms)', narrow: 'time per map (ms)' },
  });
  const datasets = [];
  groups.forEach((g, i) => {
    const color = engineColor(g.engine);
    const n = g.runs.length;
    const xOf = (j) => (n === 1 ? i : i - 0.32 + (0.64 * j) / (n - 1));
    datasets.push({
      type: 'scatter',
      label: g.label,
      kind: 'runs',
      engine: g.engine,
      data: g.runs.map((r, j) => ({ x: xOf(j), y: r.ms, run: j + 1, warmup: r.warmup, first: j === 0 })),
      pointStyle: g.runs.map((_, j) => (j === 0 ? 'triangle' : 'circle')),
      pointRadius: g.runs.map((_, j) => (j === 0 ? 7 : 4.5)),
      pointHoverRadius: g.runs.map((_, j) => (j === 0 ? 9 : 6.5)),
      pointBackgroundColor: g.runs.map((r) => (r.warmup ? t.surface : withAlpha(color, 0.9))),
      pointBorderColor: color,
      pointBorderWidth: 2,
      backgroundColor: color,
      borderColor: color,
      order: 2,
    });
    if (Number.isFinite(g.median)) {
      datasets.push({
        type: 'line',
        label: `median, ${g.label}`,
        kind: 'median',
        data: [
          { x: i - 0.42, y: g.median },
          { x: i + 0.42, y: g.median },
        ],
        borderColor: t.text,
        borderWidth: 2.5,
        pointRadius: 0,
        pointHitRadius: 0,
        order: 1,
      });
    }
  });
  const top = Math.max(0, ...groups.flatMap((g) => g.runs.map((r) => r.ms)));
  const legendExtras = [
    { text: 'timed run', pointStyle: 'circle', fillStyle: t.muted, strokeStyle: t.muted },
    { text: includeWarmup ? 'warm-up run (counted in the median)' : 'warm-up run (left out of the median)', pointStyle: 'circle', fillStyle: t.surface, strokeStyle: t.muted },
    { text: 'first run (cold)', pointStyle: 'triangle', fillStyle: t.surface, strokeStyle: t.muted },
    { text: includeWarmup ? 'median of all runs' : 'median of the timed runs', pointStyle: 'line', fillStyle: t.text, strokeStyle: t.text },
  ];
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear',
          min: -0.55,
          max: groups.length - 0.45,
          afterBuildTicks(axis) {
            axis.ticks = groups.map((_, i) => ({ value: i }));
          },
          grid: { display: false },
          ticks: {
            color: t.text,
            autoSkip: false,
            maxRotation: 0,
            callback(value) {
              const label = groups[Math.round(value)]?.label ?? '';
              return this.chart.width < NARROW ? wrapWords(label, 9) : label;
            },
          },
          title: texts.x,
        },
        y: { beginAtZero: true, suggestedMax: top * 1.08, title: texts.y },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: {
          position: 'bottom',
          labels: {
            boxHeight: 9,
            usePointStyle: true,
            generateLabels(chart) {
              const items = Chart.defaults.plugins.legend.labels
                .generateLabels(chart)
                .filter((item) => chart.data.datasets[item.datasetIndex]?.kind === 'runs')
                .map((item) => {
                  const color = engineColor(chart.data.datasets[item.datasetIndex].engine);
                  return { ...item, pointStyle: 'rect', fillStyle: color, strokeStyle: color };
                });
              return [
                ...items,
                ...legendExtras.map((extra) => ({ ...extra, datasetIndex: -1, lineWidth: 2, fontColor: t.text, hidden: false })),
              ];
            },
          },
          onClick(event, item, legend) {
            if (item.datasetIndex < 0) return;
            Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
          },
        },
        tooltip: {
          filter: (item) => item.dataset.kind === 'runs',
          callbacks: {
            title: (items) => items[0]?.dataset.label ?? '',
            label(item) {
              const r = item.raw;
              const kind = [r.first ? 'first run (cold)' : null, r.warmup ? 'warm-up' : 'timed'].filter(Boolean).join(', ');
              return `run ${r.run}: ${formatMs(r.y)} ms (${kind})`;
            },
          },
        },
      },
    },
  });
}
