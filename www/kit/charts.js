// Every chart of every lesson, on the vendored Chart.js (vendor/chart.umd.js, a classic script loaded by `loadCharts` when a chart is first due): one
// theme (the page's CSS variables, light or dark), one palette (Okabe–Ito, safe for colour-blind readers; an engine keeps its colour everywhere), one
// min–max whisker plugin, one reference-line plugin, one legend, and the builders a lesson describes with plain data through `draw(canvas, spec)`:
//   { type: 'bar', title, axis, bars: [{ label, color, value, range, tip }] }   (a bar each, e.g. per engine;
//     a bar `{ label, color, summary, runs }` draws a summary's median and min–max, in ms)
//   { type: 'bar', labels, series: [{ label, color, alpha, values, ranges, stack, grouped, dash, tips }],
//     stacked, categoryAxis, ticks (value → tick text) }   ('columns': the same, upright and stacked)
//   { type: 'line', x: { title, log, ticks, min, max, format, labels }, y: {…}, series: [{ label, short, color,
//     points: [{ x, y, lo, hi, mark, tip }], line, dash, width, radius, point }] }
//   { type: 'strip', x, y, groups: [{ label, color, runs: [{ y, hollow, first, tip }], median }] }
// each with optional refs (reference lines, see `references`), legend (extra entries), format (value → text) and aria (how the description starts;
// the builder adds every number drawn). Not for computing anything: every value drawn comes from the engines' results.
import { formatCount, formatMs, formatMsUnit } from './format.js';

/** Okabe–Ito: the four engines' colours (styles.css has them as --engine-*), then the rest. */
const PALETTE = { sequential: '#56B4E9', gil: '#D55E00', threads: '#009E73', processes: '#E69F00', blue: '#0072B2', purple: '#CC79A7', yellow: '#F0E442' };
/** Below this width, texts switch to their short forms and category labels wrap. */
const NARROW = 480;

let probe = null;
/**
 * A CSS colour as the page paints it now, `rgb(…)`: read from a hidden probe's `color`, because a custom property read directly answers its
 * light-dark() pair unresolved.
 */
function resolve(css) {
  probe ??= document.body.appendChild(Object.assign(document.createElement('span'), { hidden: true }));
  probe.style.color = css;
  return getComputedStyle(probe).color;
}

/** The page's colours, from its CSS variables: they follow the light or dark scheme. */
const THEME = { text: 'var(--fg, #1b1f24)', muted: 'var(--muted, #57606a)', grid: 'var(--grid, rgba(0,0,0,0.1))', surface: 'var(--surface, #fff)' };
const theme = () => Object.fromEntries(Object.entries(THEME).map(([key, css]) => [key, resolve(css)]));

/** A colour, as painted, from an engine id, a palette name, 'text' or 'muted' (the theme's), or a hex colour. */
export function colorOf(key) {
  if (key === 'text' || key === 'muted') return theme()[key];
  return resolve(String(key).startsWith('#') ? key : `var(--engine-${key}, ${PALETTE[key] ?? '#999999'})`);
}

/** A colour as painted, `rgb(r, g, b)`, with an alpha channel (0–1); other colours as they are. */
export function withAlpha(color, alpha) {
  const rgb = color.match(/^rgb\((\d+), (\d+), (\d+)\)$/)?.slice(1);
  return rgb ? `rgba(${rgb.join(', ')}, ${alpha})` : color;
}

/** Calls `redraw` whenever the system colour scheme flips, so charts follow the page. */
export function onSchemeChange(redraw) {
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}

let loading = null;

/** Loads Chart.js once, on the first chart due: it is a fifth of what the isolated page would load before its first run, and no lesson draws a chart
 * before it has results, Amdahl's preview aside. */
export function loadCharts() {
  loading ??= new Promise((resolve, reject) => {
    const script = Object.assign(document.createElement('script'), { src: new URL('../vendor/chart.umd.js', import.meta.url).href, onload: resolve });
    script.onerror = () => reject(new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn'));
    document.head.append(script);
  });
  return loading;
}

/** Whether Chart.js is loaded; if not, loads it, then calls `then` (or `failed` with why not). */
export const chartsLoaded = (then, failed) => Boolean(globalThis.Chart) || (loadCharts().then(then, failed), false);

/** Chart.js with the page's font and colours as its defaults, and the theme's colours. */
export function prepare() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  const t = theme();
  Object.assign(Chart.defaults, { color: t.text, borderColor: t.grid, animation: matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 250 } });
  Object.assign(Chart.defaults.font, { family: getComputedStyle(document.body).fontFamily, size: 13 });
  return { Chart, t };
}

/** `text` is a string, an array of lines, or `{ wide, narrow }`: the form that fits `width`. */
const fit = (text, width) => (text === undefined || typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide);

/** Any of those as one line of plain text, for descriptions. */
const plain = (text) => [fit(text, 1e4) ?? ''].flat().join(' ');

/** Splits `label` into lines of at most about `max` characters, at spaces. */
function wrapWords(label, max) {
  const lines = [];
  for (const word of String(label).split(' ')) {
    if (lines.length && lines.at(-1).length + 1 + word.length <= max) lines[lines.length - 1] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Strokes the path through the points `x0, y0, x1, y1, …`. */
function stroke(ctx, ...xy) {
  ctx.beginPath();
  for (let i = 0; i < xy.length; i += 2) ctx[i ? 'lineTo' : 'moveTo'](xy[i], xy[i + 1]);
  ctx.stroke();
}

/**
 * Min–max whiskers: a dataset with `ranges` (`ranges[i] = [lo, hi]`, or null) gets one across element i, along the value axis: over bars (either way
 * round) and points alike.
 */
const whiskers = {
  id: 'whiskers',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea } = chart;
    const across = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.beginPath();
    ctx.rect(chartArea.left, chartArea.top, chartArea.right - chartArea.left, chartArea.bottom - chartArea.top);
    ctx.clip(); // a whisker past an axis's end stops at the chart's edge
    chart.data.datasets.forEach((dataset, index) => {
      if (!Array.isArray(dataset.ranges) || !chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[across ? meta.xAxisID : meta.yAxisID];
      Object.assign(ctx, { strokeStyle: dataset.whiskerColor, lineWidth: 1.5 });
      meta.data.forEach((element, i) => {
        const range = dataset.ranges[i];
        if (!range?.every(Number.isFinite) || (scale.type === 'logarithmic' && range[0] <= 0)) return;
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        const { x, y, width, height } = element.getProps(['x', 'y', 'width', 'height'], true);
        const [at, size] = across ? [y, height] : [x, width];
        const cap = Number.isFinite(size) ? Math.max(4, Math.abs(size) * 0.2) : 5;
        // A line from (value v0, across c0) to (v1, c1), whichever way round the chart lies.
        const line = (v0, c0, v1, c1) => (across ? (ctx.moveTo(v0, c0), ctx.lineTo(v1, c1)) : (ctx.moveTo(c0, v0), ctx.lineTo(c1, v1)));
        ctx.beginPath();
        line(lo, at, hi, at);
        for (const end of [lo, hi]) line(end, at - cap, end, at + cap);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

/**
 * Reference lines, one plugin per chart (their data stays out of Chart.js's options, where functions would be taken for scriptable options). Each
 * line is `{ x }` (upright) or `{ y }` (flat), with `label` (written beside it), `legend` (its legend entry), `color`, `dash`, `width`, and `shade`
 * (fill right of an `x`).
 */
function references(lines) {
  const paint = (chart, shading) => {
    const { ctx, chartArea: a, scales } = chart;
    ctx.save();
    ctx.font = `600 12px ${globalThis.Chart.defaults.font.family}`;
    for (const ref of lines.filter((r) => Boolean(r.shade) === shading)) {
      const color = colorOf(ref.color ?? 'text');
      Object.assign(ctx, { strokeStyle: color, fillStyle: color, lineWidth: ref.width ?? 2 });
      ctx.setLineDash(ref.dash ?? [6, 4]);
      if (Number.isFinite(ref.y)) {
        const y = scales.y.getPixelForValue(ref.y);
        stroke(ctx, a.left, y, a.right, y);
        Object.assign(ctx, { textAlign: 'right', textBaseline: 'bottom' });
        if (ref.label) ctx.fillText(ref.label, a.right - 4, y - 4);
      } else if (Number.isFinite(ref.x)) {
        const x = Math.max(a.left, scales.x.getPixelForValue(ref.x));
        if (x > a.right) continue;
        if (ref.shade) {
          ctx.fillStyle = withAlpha(color, 0.07);
          ctx.fillRect(x, a.top, a.right - x, a.bottom - a.top);
          ctx.fillStyle = colorOf('muted');
        }
        stroke(ctx, x, a.top, x, a.bottom);
        // A shaded area's label wraps inside it; a line's label goes to whichever side has room.
        const room = ref.shade ? a.right - x - 12 : a.right - a.left;
        const width = ctx.measureText(ref.label ?? '').width;
        const left = !ref.shade && x + 6 + width > a.right;
        Object.assign(ctx, { textAlign: left ? 'right' : 'left', textBaseline: 'top' });
        (width <= room ? [ref.label ?? ''] : wrapWords(ref.label, 12)).forEach((line, i) => ctx.fillText(line, left ? x - 6 : x + 6, a.top + 4 + i * 15, room));
      }
    }
    ctx.restore();
  };
  return { id: 'references', beforeDatasetsDraw: (chart) => paint(chart, true), afterDatasetsDraw: (chart) => paint(chart, false) };
}

/**
 * The legend: one entry per dataset but medians (short labels on narrow charts, the point style and fill the builder gave it), then one per reference
 * line with a `legend` text and the `extra` entries (`{ text, color, style, hollow }`). Clicks on those last two do nothing.
 */
function legend(Chart, t, refs, extra = []) {
  const added = { datasetIndex: -1, fontColor: t.text, lineWidth: 2, hidden: false };
  const item = (text, color, pointStyle, lineDash, fillStyle = color) => ({ ...added, text, pointStyle, lineDash, strokeStyle: color, fillStyle });
  const generateLabels = (chart) => [
    ...Chart.defaults.plugins.legend.labels.generateLabels(chart).flatMap((entry) => {
      const d = chart.data.datasets[entry.datasetIndex];
      const text = chart.width < NARROW && d.shortLabel ? d.shortLabel : entry.text;
      return d.median ? [] : [{ ...entry, text, pointStyle: d.legendStyle ?? 'rect', fillStyle: d.legendFill ?? entry.fillStyle }];
    }),
    ...refs.filter((r) => r.legend).map((r) => item(r.legend, colorOf(r.color ?? 'text'), r.shade ? 'rect' : 'line', r.dash ?? [6, 4])),
    ...extra.map((e) => item(e.text, colorOf(e.color ?? 'muted'), e.style ?? 'circle', undefined, e.hollow ? t.surface : colorOf(e.color ?? 'muted'))),
  ];
  return {
    position: 'bottom',
    labels: { boxWidth: 14, boxHeight: 9, usePointStyle: true, generateLabels },
    onClick(event, entry, chartLegend) {
      if (entry.datasetIndex >= 0) Chart.defaults.plugins.legend.onClick.call(this, event, entry, chartLegend);
    },
  };
}

/** Every finite number in `values`, however deeply nested. */
const numbers = (values) => values.flat(Infinity).filter(Number.isFinite);

/** Category tick labels: every one shown, in the text colour, wrapped at spaces on narrow charts. */
const categoryTicks = (t, max, labelOf) => ({
  color: t.text,
  autoSkip: false,
  callback(value) {
    const label = labelOf(this, value);
    return this.chart.width < NARROW ? wrapWords(label, max) : label;
  },
});

/*
 * The builders: each turns its spec into the parts `draw` assembles: the Chart.js type, data, scales (without titles) and tooltip, the axis titles,
 * the box's height and the description's numbers.
 */

function barChart(spec, t, refs, narrow, across = true) {
  // A bar of a `summary` (its `runs` say of how many) is its median with a min–max whisker, in ms; the axis says how to read it.
  const medians = spec.bars?.some((b) => b.summary);
  const tip = (label, s, runs) => `${label}: median ${formatMs(s.median)} ms (min ${formatMs(s.min)}, max ${formatMs(s.max)}, ${runs})`;
  const bars = spec.bars?.map(({ summary: s, ...b }) => (s ? { ...b, value: s.median, range: [s.min, s.max], tip: tip(b.label, s, b.runs) } : b));
  const format = spec.format ?? (medians ? formatMsUnit : String);
  const title = medians ? { wide: [spec.axis.wide, 'bar: median · whisker: fastest to slowest run'], narrow: [spec.axis.narrow, 'bar: median, whisker: min–max'] } : spec.axis;
  const labels = bars ? bars.map((b) => b.label) : spec.labels;
  // One dataset per bar, so the legend names each bar in its colour; or the series given.
  const only = (i, x) => labels.map((_, j) => (j === i ? x : null));
  const series = bars?.map((b, i) => ({ ...b, values: only(i, b.value), ranges: only(i, b.range), tips: only(i, b.tip), grouped: false })) ?? spec.series;
  const datasets = series.map(({ values: data, dash: borderDash, color, alpha = 0.85, ...s }) => {
    const each = (f) => (Array.isArray(color) ? color.map(f) : f(color));
    const paint = { backgroundColor: each((c) => withAlpha(colorOf(c), alpha)), borderColor: each(colorOf), borderWidth: 1 };
    return { label: s.label, data, ranges: s.ranges, tips: s.tips, stack: s.stack, grouped: s.grouped, borderDash, ...paint, whiskerColor: t.text, barPercentage: 0.7 };
  });
  const top = Math.max(0, ...numbers([datasets.map((d) => d.data), datasets.map((d) => d.ranges), refs.map((r) => (across ? r.x : r.y))]));
  const valueAxis = { beginAtZero: true, stacked: spec.stacked, suggestedMax: top * 1.08, ticks: spec.ticks ? { callback: spec.ticks } : {} };
  const categoryAxis = { stacked: spec.stacked, ticks: categoryTicks(t, 15, (scale, value) => scale.getLabelForValue(value)) };
  const drawn = (j) => datasets.flatMap((d) => (d.data[j] === null || d.data[j] === undefined ? [] : [(spec.bars ? '' : `${d.label} `) + format(d.data[j])]));
  return {
    type: 'bar',
    titles: across ? [title, spec.categoryAxis] : [spec.categoryAxis, title],
    height: across ? Math.max(220, 130 + labels.length * (narrow ? 56 : 44)) : 320,
    aria: `: ${labels.map((label, j) => `${label} ${drawn(j).join(', ')}`).join('; ')}.`,
    data: { labels, datasets },
    options: { indexAxis: across ? 'y' : 'x' },
    scales: across ? { x: valueAxis, y: categoryAxis } : { x: categoryAxis, y: valueAxis },
    tooltip: { callbacks: { label: (item) => item.dataset.tips?.[item.dataIndex] ?? `${item.dataset.label}: ${format(item.raw)}` } },
  };
}

/** Log-axis ticks labelled at 1 (and 2, 5 or 3 when few decades are shown) times a power of ten. */
function logTicks(format, low, high) {
  const decades = Math.log10(high / low);
  const marks = !Number.isFinite(decades) || decades > 3 ? [1] : decades > 1.5 ? [1, 3] : [1, 2, 5];
  return {
    autoSkip: false,
    maxRotation: 0,
    callback(value) {
      const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
      return marks.some((m) => Math.abs(mantissa - m) < 1e-6 * m) ? format(value) : '';
    },
  };
}

/**
 * One axis of a line chart: `labels` (categories), or linear or `log` numbers with `min`, `max`, `format` and `ticks` ('integers': each whole number
 * from min to max; 'powers': 1, 2, 4, … max).
 */
function axis(a = {}, values, t, isY) {
  if (a.labels) return { type: 'category', labels: a.labels, offset: true, ticks: { color: t.text } };
  const positive = values.filter((v) => !a.log || v > 0);
  const [low, high, known] = [Math.min(...positive), Math.max(...positive), positive.length > 0];
  const format = a.format ?? ((v) => (a.log ? formatCount(v) : String(v)));
  return {
    type: a.log ? 'logarithmic' : 'linear',
    min: a.min ?? (a.log && known ? (isY ? low / 1.4 : low) : isY ? 0 : undefined),
    max: a.max ?? (a.log && known ? (isY ? high * 1.3 : high) : undefined),
    suggestedMax: !a.log && a.max === undefined && isY && known ? high * 1.1 : undefined,
    ticks: a.log && !a.ticks ? logTicks(format, low, high) : { color: t.text, maxRotation: 0, callback: (v) => format(v) },
    afterBuildTicks(built) {
      if (!a.ticks) return;
      built.ticks = [];
      for (let v = Math.max(a.ticks === 'powers' ? 1 : 0, Math.ceil(built.min)); v <= built.max + 1e-9; v = a.ticks === 'powers' ? v * 2 : v + 1) built.ticks.push({ value: v });
    },
  };
}

function lineChart(spec, t, refs, narrow) {
  const xf = spec.x?.format ?? String;
  const yf = spec.format ?? spec.y?.format ?? String;
  const datasets = spec.series.map((s) => {
    const color = colorOf(s.color);
    const pointRadius = s.points.map((p) => (p.mark ? 7 : (p.radius ?? s.radius ?? 4)));
    const pointStyle = s.points.map((p) => (p.mark ? 'rectRot' : (p.style ?? s.point ?? 'circle')));
    return {
      type: s.line === false ? 'scatter' : 'line',
      label: s.label,
      shortLabel: s.short,
      median: s.median,
      data: s.points.map((p) => ({ x: p.x, y: p.y, p })),
      ranges: s.points.map((p) => (Number.isFinite(p.lo) && Number.isFinite(p.hi) ? [p.lo, p.hi] : null)),
      borderColor: color,
      pointBackgroundColor: s.points.map((p) => (p.hollow ? t.surface : withAlpha(color, 0.85))),
      legendFill: withAlpha(color, 0.85), // not that of the first point, which may be hollow
      pointBorderWidth: s.ring ?? 1,
      whiskerColor: color,
      borderWidth: s.width ?? 2,
      borderDash: s.dash,
      pointRadius,
      pointHoverRadius: s.median ? 0 : 7,
      pointHitRadius: s.median ? 0 : 1,
      pointStyle,
      // A line without dots shows as a line in the legend, else as its (unmarked) points' shape.
      legendStyle: s.legend ?? (s.line !== false && !pointRadius.some(Boolean) ? 'line' : (pointStyle.find((x) => x !== 'rectRot') ?? 'circle')),
    };
  });
  const points = spec.series.flatMap((s) => s.points);
  return {
    type: 'line',
    titles: [spec.x?.title, spec.y?.title],
    height: narrow ? 460 : 400,
    aria: `. ${spec.series.map((s) => `${s.label}: ${s.points.map((p) => `${xf(p.x)} → ${yf(p.y)}`).join(', ')}`).join('. ')}.`,
    data: { datasets },
    options: { interaction: { mode: 'nearest', intersect: false } },
    scales: { x: axis(spec.x, numbers(points.map((p) => p.x)), t, false), y: axis(spec.y, numbers([points.map((p) => [p.y, p.lo, p.hi]), refs.map((r) => r.y)]), t, true) },
    tooltip: {
      filter: (item) => !item.dataset.median,
      callbacks: { title: (items) => (items[0] ? xf(items[0].raw.x) : ''), label: (item) => item.raw.p.tip ?? `${item.dataset.label}: ${yf(item.raw.y)}` },
    },
  };
}

/**
 * Every run as a point, one strip per group, runs left to right in the order they ran; `hollow` runs are drawn hollow, the `first` as a triangle, and
 * a line marks the median. A line chart underneath: its x axis numbers the groups, and its ticks name them.
 */
function stripChart(spec, t, refs, narrow) {
  const format = spec.format ?? String;
  const group = (value) => spec.groups[Math.round(value)]?.label ?? '';
  const series = spec.groups.flatMap((g, i) => {
    const x = (j) => (g.runs.length === 1 ? i : i - 0.32 + (0.64 * j) / (g.runs.length - 1));
    const run = (r, j) => ({ x: x(j), y: r.y, hollow: r.hollow, style: r.first ? 'triangle' : 'circle', radius: r.first ? 7 : 4.5, tip: r.tip ?? `run ${j + 1}: ${format(r.y)}` });
    const runs = { label: g.label, color: g.color, line: false, ring: 2, legend: 'rect', points: g.runs.map(run) };
    const median = { median: true, color: 'text', width: 2.5, radius: 0, points: [-0.42, 0.42].map((d) => ({ x: i + d, y: g.median })) };
    return Number.isFinite(g.median) ? [runs, median] : [runs];
  });
  const x = { title: spec.x, format: group, min: -0.55, max: spec.groups.length - 0.45, ticks: 'integers' };
  const chart = lineChart({ ...spec, x, y: { title: spec.y }, series }, t, refs, narrow);
  const ticks = { ...categoryTicks(t, 9, (_, value) => group(value)), maxRotation: 0 };
  return {
    ...chart,
    aria: `. ${spec.groups.map((g) => `${g.label}: ${g.runs.map((r) => format(r.y)).join(', ')}; median ${format(g.median)}`).join('. ')}.`,
    options: {},
    scales: { ...chart.scales, x: { ...chart.scales.x, grid: { display: false }, ticks } },
  };
}

/**
 * The Chart every builder ends in (the timeline's too): `parts` give the Chart.js type, data, options, scales (titled from `titles`), plugins, legend
 * and tooltip, the box's height and the description. Titles take the form that fits the width, and again on resize.
 */
export function frame(canvas, t, { type, data, title, titles: [x, y], height, aria, options, scales, plugins, legend, tooltip }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  const axis = (text) => ({ display: Boolean(text), text: fit(text, width) ?? '', color: t.muted, font: { size: 12 } });
  const heading = { display: Boolean(title), text: fit(title, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } };
  const onResize = (chart, size) => {
    chart.options.plugins.title.text = fit(title, size.width);
    if (x) chart.options.scales.x.title.text = fit(x, size.width);
    if (y) chart.options.scales.y.title.text = fit(y, size.width);
  };
  // Chart.js fills the canvas's box, so the box gets the height.
  if (canvas.parentElement) canvas.parentElement.style.height = `${Math.round(height)}px`;
  canvas.setAttribute('aria-label', aria);
  const titled = { x: { ...scales.x, title: axis(x) }, y: { ...scales.y, title: axis(y) } };
  const all = { ...options, maintainAspectRatio: false, scales: titled, onResize, plugins: { title: heading, legend, tooltip } };
  return new globalThis.Chart(canvas, { type, data, plugins, options: all });
}

/** Draws the chart `spec` describes (see the top of this file) on `canvas`; answers the Chart. */
export function draw(canvas, spec) {
  const columns = (s, t, refs, narrow) => barChart({ ...s, stacked: true }, t, refs, narrow, false);
  const build = { bar: barChart, columns, line: lineChart, strip: stripChart }[spec.type];
  if (!build) throw new Error(`no chart of type ${spec.type}`);
  const { Chart, t } = prepare();
  const refs = spec.refs ?? [];
  const parts = build(spec, t, refs, (canvas.parentElement?.clientWidth ?? 800) < NARROW);
  const aria = `${spec.aria ?? plain(spec.title)}${parts.aria}${refs.map((r) => (r.legend ? ` ${r.legend}.` : '')).join('')}`;
  return frame(canvas, t, { ...parts, title: spec.title, aria, plugins: [whiskers, references(refs)], legend: legend(Chart, t, refs, spec.legend) });
}
