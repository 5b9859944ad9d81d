// Chart.js helpers shared by the lessons: one fixed colour per engine (Okabe–Ito, safe
// for colour-blind readers), min–max whiskers and reference lines as tiny plugins, and
// the three charts of the engines lesson. Chart.js is the classic script
// vendor/chart.umd.js, read from globalThis when a chart is drawn.
import { formatFactor, formatMs } from './reading.js';

export { describeSpeedup } from './reading.js';

/** Engines in the order every lesson shows them. */
export const ENGINE_ORDER = ['sequential', 'gil', 'threads', 'processes'];

/**
 * Okabe–Ito colours, one per engine. styles.css defines the same values as
 * `--engine-<id>` (swatches, table); charts read those variables so both stay in step.
 */
const FALLBACK_COLORS = {
  sequential: '#56B4E9', // sky blue
  gil: '#D55E00', // vermillion
  threads: '#009E73', // bluish green
  processes: '#E69F00', // orange
};

function cssVar(name, fallback) {
  const value = typeof document === 'undefined' ? '' : getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** The engine's colour, as a hex string. */
export function engineColor(engine) {
  return cssVar(`--engine-${engine}`, FALLBACK_COLORS[engine] ?? '#999999');
}

/** `#rrggbb` with an alpha channel (0–1) added. */
export function withAlpha(hex, alpha) {
  if (!/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  return `${hex}${Math.round(alpha * 255).toString(16).padStart(2, '0')}`;
}

function theme() {
  return {
    text: cssVar('--fg', '#1b1f24'),
    muted: cssVar('--muted', '#57606a'),
    grid: cssVar('--grid', 'rgba(0,0,0,0.1)'),
    surface: cssVar('--surface', '#ffffff'),
  };
}

function chartLibrary() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  return Chart;
}

function reducedMotion() {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Sets fonts and colours from the page's current theme; call before drawing. */
function applyDefaults(Chart) {
  const t = theme();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.animation = reducedMotion() ? false : { duration: 300 };
  return t;
}

/**
 * Draws a min–max whisker over every bar of a dataset that has a `ranges` array
 * (`ranges[i] = [min, max]` for data point i), for vertical and horizontal bars.
 * Options: `plugins.whiskers.color`, `plugins.whiskers.width`.
 */
export const whiskerPlugin = {
  id: 'whiskers',
  defaults: { color: '#000000', width: 1.5 },
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    const horizontal = chart.options.indexAxis === 'y';
    chart.data.datasets.forEach((dataset, index) => {
      if (!Array.isArray(dataset.ranges) || !chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[horizontal ? meta.xAxisID : meta.yAxisID];
      meta.data.forEach((bar, i) => {
        const range = dataset.ranges[i];
        if (!range || !range.every(Number.isFinite)) return;
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        const { x, y, width, height } = bar.getProps(['x', 'y', 'width', 'height'], true);
        const centre = horizontal ? y : x;
        const cap = Math.max(4, Math.abs(horizontal ? height : width) * 0.2);
        ctx.save();
        ctx.strokeStyle = options.color;
        ctx.lineWidth = options.width;
        ctx.beginPath();
        if (horizontal) {
          ctx.moveTo(lo, centre);
          ctx.lineTo(hi, centre);
          for (const end of [lo, hi]) {
            ctx.moveTo(end, centre - cap);
            ctx.lineTo(end, centre + cap);
          }
        } else {
          ctx.moveTo(centre, lo);
          ctx.lineTo(centre, hi);
          for (const end of [lo, hi]) {
            ctx.moveTo(centre - cap, end);
            ctx.lineTo(centre + cap, end);
          }
        }
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/**
 * Draws a dashed line across the plot at `plugins.referenceLine.value` on the value
 * axis, with an optional `label` beside it. Options: `value`, `label`, `color`.
 */
export const referenceLinePlugin = {
  id: 'referenceLine',
  defaults: { value: null, label: '', color: '#000000' },
  afterDatasetsDraw(chart, _args, options) {
    if (!Number.isFinite(options.value)) return;
    const horizontal = chart.options.indexAxis === 'y';
    const scale = chart.scales[horizontal ? 'x' : 'y'];
    const area = chart.chartArea;
    const at = scale.getPixelForValue(options.value);
    const { ctx } = chart;
    ctx.save();
    ctx.strokeStyle = options.color;
    ctx.fillStyle = options.color;
    ctx.lineWidth = 2;
    ctx.setLineDash([6, 4]);
    ctx.beginPath();
    if (horizontal) {
      ctx.moveTo(at, area.top);
      ctx.lineTo(at, area.bottom);
    } else {
      ctx.moveTo(area.left, at);
      ctx.lineTo(area.right, at);
    }
    ctx.stroke();
    if (options.label) {
      ctx.setLineDash([]);
      ctx.font = `600 12px ${chartFont(chart)}`;
      if (horizontal) {
        const width = ctx.measureText(options.label).width;
        const leftSide = at + 6 + width > area.right;
        ctx.textAlign = leftSide ? 'right' : 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(options.label, leftSide ? at - 6 : at + 6, area.top + 4);
      } else {
        ctx.textAlign = 'right';
        ctx.textBaseline = 'bottom';
        ctx.fillText(options.label, area.right - 4, at - 4);
      }
    }
    ctx.restore();
  },
};

function chartFont(chart) {
  return chart.options.font?.family ?? globalThis.Chart?.defaults.font.family ?? 'sans-serif';
}

/** Below this chart width, titles switch to their short forms and long labels wrap. */
const NARROW = 480;

/** `text` is a string or `{ wide, narrow }` (a string or an array of lines each). */
function fit(text, width) {
  return typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide;
}

function title(text, t, width) {
  return { display: true, text: fit(text, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } };
}

function axisTitle(text, t, width) {
  return { display: true, text: fit(text, width), color: t.muted, font: { size: 12 } };
}

/** Splits `label` into lines of at most about `max` characters, at spaces. */
export function wrapWords(label, max = 15) {
  const lines = [];
  for (const word of String(label).split(' ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + 1 + word.length <= max) lines[last] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Category ticks that wrap long engine names on narrow charts. */
function categoryTicks(t) {
  return {
    color: t.text,
    autoSkip: false,
    callback(value) {
      const label = this.getLabelForValue(value);
      return this.chart.width < NARROW ? wrapWords(label) : label;
    },
  };
}

/** Options that size texts to the canvas now and again whenever it is resized. */
function adaptiveTexts(canvas, t, { chartTitle, axis }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  return {
    title: title(chartTitle, t, width),
    axis: axisTitle(axis, t, width),
    onResize(chart, size) {
      chart.options.plugins.title.text = fit(chartTitle, size.width);
      chart.options.scales.x.title.text = fit(axis, size.width);
    },
  };
}

/** One single-bar dataset per engine, so the legend names every engine in its colour. */
function engineDatasets(rows, value, extra = () => ({})) {
  return rows.map((r) => {
    const color = engineColor(r.engine);
    return {
      label: r.label,
      engine: r.engine,
      data: [{ x: value(r), y: r.label }],
      backgroundColor: withAlpha(color, 0.85),
      borderColor: color,
      borderWidth: 1,
      grouped: false,
      barPercentage: 0.7,
      ...extra(r),
    };
  });
}

/**
 * Median time per engine as horizontal bars with min–max whiskers. `rows` come from
 * `resultRows`.
 */
export function drawTimeChart(canvas, rows) {
  const Chart = chartLibrary();
  const t = applyDefaults(Chart);
  const top = Math.max(...rows.map((r) => r.max));
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: 'How long the same map takes on each engine', narrow: ['How long the same map', 'takes on each engine'] },
    axis: { wide: ['time for one map over all tasks (ms)', 'bar: median · whisker: fastest to slowest run'], narrow: ['time per map (ms)', 'bar: median, whisker: min–max'] },
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: engineDatasets(rows, (r) => r.median, (r) => ({ ranges: [[r.min, r.max]], row: r })),
    },
    plugins: [whiskerPlugin],
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: {
        x: { beginAtZero: true, suggestedMax: top * 1.05, title: texts.axis },
        y: { ticks: categoryTicks(t) },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        whiskers: { color: t.text },
        tooltip: {
          callbacks: {
            label(item) {
              const r = item.dataset.row;
              return `${r.label}: median ${formatMs(r.median)} ms (min ${formatMs(r.min)}, max ${formatMs(r.max)}, ${r.repetitions} timed runs)`;
            },
          },
        },
      },
    },
  });
}

/**
 * Speedup over sequential per engine as horizontal bars, with a dashed line at
 * `ideal` (min(workers, cores)).
 */
export function drawSpeedupChart(canvas, rows, ideal) {
  const Chart = chartLibrary();
  const t = applyDefaults(Chart);
  const top = Math.max(ideal, ...rows.map((r) => (Number.isFinite(r.speedup) ? r.speedup : 0)));
  const idealText = `ideal on this machine: ${formatFactor(ideal)}`;
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: 'Speedup over sequential',
    axis: { wide: 'speedup over sequential (×, higher is faster)', narrow: 'speedup (×, higher is faster)' },
  });
  return new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((r) => r.label),
      datasets: engineDatasets(rows, (r) => r.speedup, (r) => ({ row: r })),
    },
    plugins: [referenceLinePlugin],
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: {
        x: { beginAtZero: true, suggestedMax: Math.ceil(top * 1.15 * 2) / 2, title: texts.axis },
        y: { ticks: categoryTicks(t) },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        referenceLine: { value: ideal, label: formatFactor(ideal), color: t.text },
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 14,
            usePointStyle: true,
            generateLabels(chart) {
              const items = Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => ({ ...item, pointStyle: 'rect' }));
              items.push({
                text: idealText,
                datasetIndex: -1,
                pointStyle: 'line',
                strokeStyle: t.text,
                fillStyle: t.text,
                fontColor: t.text,
                lineWidth: 2,
                lineDash: [6, 4],
                hidden: false,
              });
              return items;
            },
          },
          onClick(event, item, legend) {
            if (item.datasetIndex < 0) return;
            Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
          },
        },
        tooltip: {
          callbacks: {
            label(item) {
              const r = item.dataset.row;
              return `${r.label}: ${Number.isFinite(r.speedup) ? r.speedup.toFixed(2) : '—'}x (${idealText})`;
            },
          },
        },
      },
    },
  });
}

/**
 * A Gantt chart of one run: a row per worker and a floating bar per chunk from the
 * moment its worker started it to the moment it finished. `timeline` is a result's
 * `timeline` array; `engine` picks the colour.
 */
export function drawTimelineChart(canvas, timeline, { engine, label }) {
  const Chart = chartLibrary();
  const t = applyDefaults(Chart);
  const workers = [...new Set(timeline.map((c) => c.worker))].sort((a, b) => a - b);
  const rowName = (w) => `worker ${w}`;
  const color = engineColor(engine);
  const end = Math.max(0, ...timeline.map((c) => c.end_ms));
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: `Who ran what, when: ${label}`, narrow: ['Who ran what, when:', label] },
    axis: 'time since the run began (ms)',
  });
  const sliver = end * 0.004;
  const datasets = [
    {
      label: `${label}: one bar per chunk`,
      // A chunk too short to see still gets a sliver, so every chunk shows up.
      data: timeline.map((c) => ({ x: [c.start_ms, Math.max(c.end_ms, c.start_ms + sliver)], y: rowName(c.worker), chunk: c })),
      // Neighbouring chunks alternate in shade so their borders stay visible.
      backgroundColor: (ctx) => withAlpha(color, ctx.dataIndex % 2 ? 0.6 : 0.95),
      borderColor: t.surface,
      borderWidth: { left: 1, right: 1 },
      borderSkipped: false,
      grouped: false,
      barPercentage: 0.8,
      categoryPercentage: 0.9,
    },
  ];
  // Process-pool chunks also know when they were posted and when their result came back:
  // those stretches are copying and messaging, not computing, so they get a grey bar.
  const messaging = timeline.filter((c) => Number.isFinite(c.sent_ms) && Number.isFinite(c.received_ms));
  if (messaging.length) {
    datasets.push({
      label: 'copying and messaging (arguments out, results back)',
      data: messaging.flatMap((c) => [
        { x: [c.sent_ms, Math.max(c.start_ms, c.sent_ms + sliver / 4)], y: rowName(c.worker), chunk: c, part: 'sent' },
        { x: [c.end_ms, Math.max(c.received_ms, c.end_ms + sliver / 4)], y: rowName(c.worker), chunk: c, part: 'back' },
      ]),
      backgroundColor: withAlpha(t.text, 0.28),
      borderWidth: 0,
      grouped: false,
      barPercentage: 0.45,
      categoryPercentage: 0.9,
    });
  }
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: workers.map(rowName), datasets },
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: {
        x: { min: 0, suggestedMax: end, title: texts.axis },
        y: { ticks: { color: t.text } },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: {
          callbacks: {
            title(items) {
              const c = items[0].raw.chunk;
              return `chunk ${c.chunk} on worker ${c.worker}`;
            },
            label(item) {
              const c = item.raw.chunk;
              if (item.raw.part === 'sent') return `arguments copied to the worker: ${formatMs(c.start_ms - c.sent_ms)} ms`;
              if (item.raw.part === 'back') return `result copied back: ${formatMs(c.received_ms - c.end_ms)} ms`;
              const tasks = c.len === 1 ? `task ${c.first}` : `tasks ${c.first}–${c.first + c.len - 1}`;
              const lines = [`${tasks}: ${formatMs(c.start_ms)} → ${formatMs(c.end_ms)} ms (${formatMs(c.end_ms - c.start_ms)} ms)`];
              if (engine === 'gil' || c.wait_ms > 0) lines.push(`waited ${formatMs(c.wait_ms)} ms of that for the lock`);
              if (Number.isFinite(c.sent_ms) && Number.isFinite(c.received_ms)) {
                lines.push(`message sent at ${formatMs(c.sent_ms)} ms, result back at ${formatMs(c.received_ms)} ms`);
              }
              return lines;
            },
          },
        },
      },
    },
  });
}
