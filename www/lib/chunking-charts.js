// Charts for the chunking and copying lessons, in the style of lib/charts.js: the same
// Okabe–Ito colours, titles, axis titles with units, legends and min–max whiskers, here
// drawn over points on (log) number axes rather than over bars. Chart.js is the classic
// script vendor/chart.umd.js, read from globalThis when a chart is drawn.
import { engineColor, withAlpha } from './charts.js';
import { formatCount, formatMs } from './reading.js';
import { formatUs } from './chunking-reading.js';

/** Below this chart width, titles switch to their short forms. */
const NARROW = 480;

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export function chartLibrary() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  return Chart;
}

/** Applies the page's fonts and colours to Chart.js and answers the theme's colours. */
export function applyTheme(Chart) {
  const t = { text: cssVar('--fg', '#1b1f24'), muted: cssVar('--muted', '#57606a'), grid: cssVar('--grid', 'rgba(0,0,0,0.1)'), surface: cssVar('--surface', '#ffffff') };
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.animation = still ? false : { duration: 250 };
  return t;
}

/** `text` is a string or `{ wide, narrow }`; answers the one that fits `width`. */
export function fitText(text, width) {
  return typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide;
}

/** Title, axis-title and resize options whose texts follow the canvas width. */
export function adaptiveTexts(canvas, t, { chartTitle, x, y }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  const axis = (text) => ({ display: true, text: fitText(text, width), color: t.muted, font: { size: 12 } });
  return {
    title: { display: true, text: fitText(chartTitle, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } },
    x: axis(x),
    y: axis(y),
    onResize(chart, size) {
      chart.options.plugins.title.text = fitText(chartTitle, size.width);
      chart.options.scales.x.title.text = fitText(x, size.width);
      chart.options.scales.y.title.text = fitText(y, size.width);
    },
  };
}

/**
 * Draws a vertical min–max whisker through every point whose data item has
 * `range: [min, max]`. Options: `plugins.pointWhiskers.color`.
 */
export const pointWhiskerPlugin = {
  id: 'pointWhiskers',
  defaults: { color: '#000000' },
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    chart.data.datasets.forEach((dataset, index) => {
      if (!chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[meta.yAxisID];
      meta.data.forEach((point, i) => {
        const range = dataset.data[i]?.range;
        if (!range || !range.every((v) => Number.isFinite(v) && v > 0)) return;
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        if (Math.abs(lo - hi) < 2) return;
        ctx.save();
        ctx.strokeStyle = dataset.whiskerColor ?? options.color;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(point.x, lo);
        ctx.lineTo(point.x, hi);
        for (const end of [lo, hi]) {
          ctx.moveTo(point.x - 4, end);
          ctx.lineTo(point.x + 4, end);
        }
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/** The mantissas to label on a log axis from `low` to `high`: fewer when it spans many decades. */
export function mantissasFor(low, high) {
  const decades = Math.log10(high / low);
  return !Number.isFinite(decades) || decades > 3 ? [1] : decades > 1.5 ? [1, 3] : [1, 2, 5];
}

/** Log-axis ticks labelled only at `mantissas` (1, 2, 5 by default) times a power of ten. */
export function logTicks(format = (v) => formatCount(v), mantissas = [1, 2, 5]) {
  return {
    callback(value) {
      const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
      return mantissas.some((m) => Math.abs(mantissa - m) < 1e-6 * m) ? format(value) : '';
    },
    autoSkip: false,
    maxRotation: 0,
  };
}

/** Legend options that swap each dataset's `label` for its `shortLabel` on narrow charts. */
export function legendOptions(Chart) {
  return {
    position: 'bottom',
    labels: {
      boxWidth: 14,
      usePointStyle: true,
      generateLabels(chart) {
        const items = Chart.defaults.plugins.legend.labels.generateLabels(chart);
        if (chart.width >= NARROW) return items;
        return items.map((item) => ({ ...item, text: chart.data.datasets[item.datasetIndex]?.shortLabel ?? item.text }));
      },
    },
  };
}

/** Engine names short enough for a phone's legend. */
const SHORT = { sequential: 'Loop', gil: 'GIL', threads: 'Threads', processes: 'Pool' };

/** Milliseconds for tick labels: 0.5, 2, 1,000. */
export function msTick(v) {
  return v < 1 ? String(Number(v.toPrecision(2))) : formatCount(Math.round(v));
}

/**
 * Time against chunk size on log–log axes: a line of points per engine with min–max
 * whiskers, and the sequential loop's median as a dashed horizontal line.
 * `series`: [{ engine, label, points: [{ chunksize, chunks, median, min, max }] }];
 * `sequential`: { median, min, max } or null; `chosen`: the chunk size to emphasise.
 */
export function drawChunkSweepChart(canvas, { series, sequential, chosen, tasks }) {
  const Chart = chartLibrary();
  const t = applyTheme(Chart);
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: 'Total time against chunk size', narrow: ['Total time against', 'chunk size'] },
    x: { wide: 'chunk size: inputs per chunk (log scale)', narrow: 'inputs per chunk (log)' },
    y: { wide: 'time for the whole map (ms, log scale)', narrow: 'time (ms, log)' },
  });
  const xs = series.flatMap((s) => s.points.map((p) => p.chunksize));
  const low = Math.min(1, ...xs);
  const high = Math.max(tasks ?? 1, ...xs);
  // Room below the fastest run and above the slowest, so whiskers and the loop's line show.
  const ys = [...series.flatMap((s) => s.points.flatMap((p) => [p.min, p.max])), ...(sequential ? [sequential.min, sequential.max] : [])].filter((v) => v > 0);
  const floor = ys.length ? Math.min(...ys) / 1.4 : undefined;
  const ceiling = ys.length ? Math.max(...ys) * 1.3 : undefined;
  const datasets = series.map((s) => {
    const color = engineColor(s.engine);
    const points = [...s.points].sort((a, b) => a.chunksize - b.chunksize);
    return {
      label: s.label,
      shortLabel: SHORT[s.engine] ?? s.label,
      engine: s.engine,
      data: points.map((p) => ({ x: p.chunksize, y: p.median, range: [p.min, p.max], point: p })),
      borderColor: color,
      backgroundColor: withAlpha(color, 0.85),
      whiskerColor: color,
      borderWidth: 2,
      pointRadius: points.map((p) => (p.chunksize === chosen ? 7 : 4)),
      pointStyle: points.map((p) => (p.chunksize === chosen ? 'rectRot' : 'circle')),
      pointHoverRadius: 8,
      tension: 0,
    };
  });
  if (sequential) {
    const color = engineColor('sequential');
    datasets.push({
      label: `Sequential loop: ${formatMs(sequential.median)} ms`,
      shortLabel: `Loop: ${formatMs(sequential.median)} ms`,
      engine: 'sequential',
      data: [
        { x: low, y: sequential.median, sequential },
        { x: high, y: sequential.median, sequential },
      ],
      borderColor: color,
      backgroundColor: color,
      borderDash: [7, 5],
      borderWidth: 2.5,
      pointRadius: 0,
      pointHitRadius: 6,
    });
  }
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [pointWhiskerPlugin],
    options: {
      maintainAspectRatio: false,
      parsing: true,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'logarithmic', min: low, max: high, title: texts.x, ticks: logTicks(undefined, [1]) },
        y: { type: 'logarithmic', min: floor, max: ceiling, title: texts.y, ticks: logTicks(msTick, mantissasFor(floor, ceiling)) },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: legendOptions(Chart),
        tooltip: {
          callbacks: {
            title(items) {
              const raw = items[0].raw;
              return raw.sequential ? 'Sequential loop (one chunk, no messages)' : `chunk size ${formatCount(raw.point.chunksize)}: ${formatCount(raw.point.chunks)} chunks`;
            },
            label(item) {
              const raw = item.raw;
              if (raw.sequential) return `median ${formatMs(raw.sequential.median)} ms (min ${formatMs(raw.sequential.min)}, max ${formatMs(raw.sequential.max)})`;
              const p = raw.point;
              return `${item.dataset.label}: median ${formatMs(p.median)} ms (min ${formatMs(p.min)}, max ${formatMs(p.max)})`;
            },
          },
        },
      },
    },
  });
}

/**
 * Time against the number of chunks on linear axes, with each engine's fitted straight
 * line: its slope is the cost of one more chunk. `series`: [{ engine, label, points,
 * line: { slope, intercept } | null, fitted: points used by the fit }].
 */
export function drawChunkFitChart(canvas, { series, sequential }) {
  const Chart = chartLibrary();
  const t = applyTheme(Chart);
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: 'Time against number of chunks: the slope is the cost per chunk', narrow: ['Time against chunks:', 'slope = cost per chunk'] },
    x: 'number of chunks',
    y: 'time for the whole map (ms)',
  });
  const most = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.chunks)));
  const datasets = [];
  for (const s of series) {
    const color = engineColor(s.engine);
    datasets.push({
      type: 'scatter',
      label: s.label,
      shortLabel: SHORT[s.engine] ?? s.label,
      data: s.points.map((p) => ({ x: p.chunks, y: p.median, range: [p.min, p.max], point: p })),
      borderColor: color,
      backgroundColor: withAlpha(color, 0.85),
      whiskerColor: color,
      pointRadius: 4,
      pointHoverRadius: 7,
    });
    if (s.line && s.fitted?.length >= 2) {
      const span = Math.max(...s.fitted.map((p) => p.chunks));
      datasets.push({
        type: 'line',
        label: `${s.label} fit: ${formatUs(s.line.slope * 1000)} µs per chunk`,
        shortLabel: `${SHORT[s.engine] ?? s.label}: ${formatUs(s.line.slope * 1000)} µs/chunk`,
        data: [0, span].map((x) => ({ x, y: s.line.intercept + s.line.slope * x, line: s.line })),
        borderColor: color,
        backgroundColor: color,
        borderDash: [4, 4],
        borderWidth: 1.5,
        pointRadius: 0,
        pointHitRadius: 4,
      });
    }
  }
  if (sequential) {
    const color = engineColor('sequential');
    datasets.push({
      type: 'line',
      label: `Sequential loop: ${formatMs(sequential.median)} ms`,
      shortLabel: `Loop: ${formatMs(sequential.median)} ms`,
      data: [0, most].map((x) => ({ x, y: sequential.median, sequential })),
      borderColor: color,
      backgroundColor: color,
      borderDash: [7, 5],
      borderWidth: 2.5,
      pointRadius: 0,
      pointHitRadius: 4,
    });
  }
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    plugins: [pointWhiskerPlugin],
    options: {
      maintainAspectRatio: false,
      scales: {
        x: { type: 'linear', min: 0, title: texts.x, ticks: { maxRotation: 0 } },
        y: { type: 'linear', beginAtZero: true, title: texts.y },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: legendOptions(Chart),
        tooltip: {
          callbacks: {
            label(item) {
              const raw = item.raw;
              if (raw.sequential) return `sequential loop: ${formatMs(raw.sequential.median)} ms`;
              if (raw.line) return `${item.dataset.label} (${formatMs(raw.line.intercept)} ms with no chunks at all)`;
              const p = raw.point;
              return `${item.dataset.label}: ${formatCount(p.chunks)} chunks of ${formatCount(p.chunksize)}, median ${formatMs(p.median)} ms (min ${formatMs(p.min)}, max ${formatMs(p.max)})`;
            },
          },
        },
      },
    },
  });
}
