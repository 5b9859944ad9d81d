// Every chart of every lesson, on the vendored Chart.js (vendor/chart.umd.js, a classic
// script read from globalThis when a chart is drawn): one theme (the page's CSS variables,
// light or dark), one palette (Okabe–Ito, safe for colour-blind readers; an engine keeps
// its colour everywhere), one min–max whisker plugin, one reference-line plugin, one legend,
// and three builders a lesson describes with plain data through `draw(canvas, spec)`:
//   { type: 'bar', title, axis, bars: [{ label, color, value, range, tip }] }   (a bar each, e.g. per engine)
//   { type: 'bar', labels, series: [{ label, color, values, ranges, stack, tips }], horizontal, stacked }
//   { type: 'line', x: { title, log, ticks, min, max, format, labels }, y: {…}, series: [{ label, short, color,
//     points: [{ x, y, lo, hi, mark, tip }], line, dash, point }] }
//   { type: 'strip', groups: [{ label, color, runs: [{ y, hollow, first, tip }], median }] }
// each with optional refs (reference lines, see `references`), legend (extra entries), format
// (value → text), height and aria (how the description starts; the builder adds every number
// drawn). Not for computing anything: every value drawn comes from the engines' results.
import { formatCount } from './format.js';

/** Engines in the order every lesson shows them. */
export const ENGINE_ORDER = ['sequential', 'gil', 'threads', 'processes'];

/** Okabe–Ito: the four engines' colours (styles.css has them as --engine-*), then the rest. */
const PALETTE = { sequential: '#56B4E9', gil: '#D55E00', threads: '#009E73', processes: '#E69F00', blue: '#0072B2', purple: '#CC79A7', yellow: '#F0E442' };
/** Below this width, texts switch to their short forms and category labels wrap. */
const NARROW = 480;

function cssVar(name, fallback) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** The page's colours now: they follow the light or dark scheme. */
export function theme() {
  return { text: cssVar('--fg', '#1b1f24'), muted: cssVar('--muted', '#57606a'), grid: cssVar('--grid', 'rgba(0,0,0,0.1)'), surface: cssVar('--surface', '#ffffff') };
}

/** A colour from an engine id, a palette name, 'text' or 'muted' (the theme's), or a hex colour. */
export function colorOf(key) {
  if (key === 'text' || key === 'muted') return theme()[key];
  if (String(key).startsWith('#')) return key;
  return cssVar(`--engine-${key}`, PALETTE[key] ?? '#999999');
}

/** `#rrggbb` with an alpha channel (0–1) added; other colours as they are. */
export function withAlpha(hex, alpha) {
  return /^#[0-9a-f]{6}$/i.test(hex)
    ? `${hex}${Math.round(alpha * 255)
        .toString(16)
        .padStart(2, '0')}`
    : hex;
}

/** Calls `redraw` whenever the system colour scheme flips, so charts follow the page. */
export function onSchemeChange(redraw) {
  globalThis.matchMedia?.('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}

/** Chart.js with the page's font and colours as its defaults, and the theme's colours. */
export function prepare() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  const t = theme();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  Chart.defaults.animation = matchMedia('(prefers-reduced-motion: reduce)').matches ? false : { duration: 250 };
  return { Chart, t };
}

/** `text` is a string, an array of lines, or `{ wide, narrow }`: the form that fits `width`. */
export function fit(text, width) {
  return text === undefined || typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide;
}

/** Any of those as one line of plain text, for descriptions. */
const plain = (text) => [fit(text, 1e4) ?? ''].flat().join(' ');

/** Splits `label` into lines of at most about `max` characters, at spaces. */
export function wrapWords(label, max = 15) {
  const lines = [];
  for (const word of String(label).split(' ')) {
    if (lines.length && lines.at(-1).length + 1 + word.length <= max) lines[lines.length - 1] += ` ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** Title and axis-title options sized to the canvas now, and again whenever it is resized. */
export function texts(canvas, t, { title, x, y }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  const axis = (text) => ({ display: Boolean(text), text: fit(text, width) ?? '', color: t.muted, font: { size: 12 } });
  return {
    title: { display: Boolean(title), text: fit(title, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } },
    x: axis(x),
    y: axis(y),
    onResize(chart, size) {
      chart.options.plugins.title.text = fit(title, size.width);
      if (x) chart.options.scales.x.title.text = fit(x, size.width);
      if (y) chart.options.scales.y.title.text = fit(y, size.width);
    },
  };
}

/** Sets the height of the canvas's box (Chart.js fills the box). */
export function sizeBox(canvas, px) {
  if (canvas.parentElement) canvas.parentElement.style.height = `${Math.round(px)}px`;
}

/**
 * Min–max whiskers: a dataset with `ranges` (`ranges[i] = [lo, hi]` or null) gets one
 * across element i, along the value axis: over bars (either way round) and points alike.
 */
const whiskers = {
  id: 'whiskers',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea: area } = chart;
    const across = chart.options.indexAxis === 'y';
    ctx.save();
    ctx.beginPath();
    ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    ctx.clip();
    chart.data.datasets.forEach((dataset, index) => {
      if (!Array.isArray(dataset.ranges) || !chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[across ? meta.xAxisID : meta.yAxisID];
      ctx.strokeStyle = dataset.whiskerColor;
      ctx.lineWidth = 1.5;
      meta.data.forEach((element, i) => {
        const range = dataset.ranges[i];
        if (!range || !range.every(Number.isFinite) || (scale.type === 'logarithmic' && range[0] <= 0)) return;
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        const { x, y, width, height } = element.getProps(['x', 'y', 'width', 'height'], true);
        const at = across ? y : x;
        const cap = Number.isFinite(across ? height : width) ? Math.max(4, Math.abs(across ? height : width) * 0.2) : 5;
        ctx.beginPath();
        const line = (a, b, c, d) => (across ? (ctx.moveTo(a, b), ctx.lineTo(c, d)) : (ctx.moveTo(b, a), ctx.lineTo(d, c)));
        line(lo, at, hi, at);
        for (const end of [lo, hi]) line(end, at - cap, end, at + cap);
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

/**
 * Reference lines, one plugin per chart (their data stays out of Chart.js's options, where
 * functions would be taken for scriptable options). Each line is `{ x }` (upright), `{ y }`
 * (flat) or `{ fn }` (the curve y = fn(x), on any x scale), with `label` (written beside
 * it), `legend` (its legend entry), `color`, `dash`, and `shade` (fill right of an `x`).
 */
function references(lines) {
  const draw = (chart, shading) => {
    const { ctx, chartArea: area, scales } = chart;
    const stroke = (points) => {
      ctx.beginPath();
      points.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
      ctx.stroke();
      ctx.setLineDash([]);
    };
    ctx.save();
    ctx.font = `600 12px ${globalThis.Chart.defaults.font.family}`;
    for (const ref of lines.filter((r) => Boolean(r.shade) === shading)) {
      const color = colorOf(ref.color ?? 'text');
      Object.assign(ctx, { strokeStyle: color, fillStyle: color, lineWidth: ref.width ?? 2 });
      ctx.setLineDash(ref.dash ?? [6, 4]);
      if (ref.fn) {
        ctx.save();
        ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
        ctx.clip();
        const points = [];
        for (let px = area.left; px <= area.right + 1; px += 3) points.push([px, scales.y.getPixelForValue(ref.fn(scales.x.getValueForPixel(px)))]);
        stroke(points);
        ctx.restore();
      } else if (Number.isFinite(ref.y)) {
        const y = scales.y.getPixelForValue(ref.y);
        stroke([
          [area.left, y],
          [area.right, y],
        ]);
        Object.assign(ctx, { textAlign: 'right', textBaseline: 'bottom' });
        if (ref.label) ctx.fillText(ref.label, area.right - 4, y - 4);
      } else if (Number.isFinite(ref.x)) {
        const x = Math.max(area.left, scales.x.getPixelForValue(ref.x));
        if (x > area.right) continue;
        if (ref.shade) {
          ctx.fillStyle = withAlpha(color, 0.07);
          ctx.fillRect(x, area.top, area.right - x, area.bottom - area.top);
          ctx.fillStyle = colorOf('muted');
        }
        stroke([
          [x, area.top],
          [x, area.bottom],
        ]);
        // A shaded area's label wraps inside it; a line's label goes to whichever side has room.
        const room = ref.shade ? area.right - x - 12 : area.right - area.left;
        const width = ctx.measureText(ref.label ?? '').width;
        const left = !ref.shade && x + 6 + width > area.right;
        Object.assign(ctx, { textAlign: left ? 'right' : 'left', textBaseline: 'top' });
        (width <= room ? [ref.label ?? ''] : wrapWords(ref.label, 12)).forEach((line, i) => ctx.fillText(line, left ? x - 6 : x + 6, area.top + 4 + i * 15, room));
      }
    }
    ctx.restore();
  };
  return { id: 'references', beforeDatasetsDraw: (chart) => draw(chart, true), afterDatasetsDraw: (chart) => draw(chart, false) };
}

/**
 * The legend: one entry per dataset (short labels on narrow charts, point style from
 * `style(dataset)`), then one per reference line with a `legend` text and the `extra`
 * entries (`{ text, color, style, hollow }`). Clicks on those last two do nothing.
 */
function legend(Chart, t, refs, extra = [], style = () => 'rect') {
  const item = (text, color, pointStyle, dash, fill = color) => ({
    text,
    datasetIndex: -1,
    pointStyle,
    strokeStyle: color,
    fillStyle: fill,
    fontColor: t.text,
    lineWidth: 2,
    lineDash: dash,
    hidden: false,
  });
  return {
    position: 'bottom',
    labels: {
      boxWidth: 14,
      boxHeight: 9,
      usePointStyle: true,
      generateLabels(chart) {
        const own = Chart.defaults.plugins.legend.labels.generateLabels(chart).map((entry) => {
          const dataset = chart.data.datasets[entry.datasetIndex];
          return { ...entry, pointStyle: style(dataset), text: chart.width < NARROW && dataset.shortLabel ? dataset.shortLabel : entry.text };
        });
        return [
          ...own,
          ...refs.filter((r) => r.legend).map((r) => item(r.legend, colorOf(r.color ?? 'text'), r.shade ? 'rect' : 'line', r.dash ?? [6, 4])),
          ...extra.map((e) => item(e.text, colorOf(e.color ?? 'muted'), e.style ?? 'circle', undefined, e.hollow ? t.surface : colorOf(e.color ?? 'muted'))),
        ];
      },
    },
    onClick(event, entry, chartLegend) {
      if (entry.datasetIndex >= 0) Chart.defaults.plugins.legend.onClick.call(this, event, entry, chartLegend);
    },
  };
}

/** The fill and edge of a bar from one colour, or one colour per bar. */
function paint(color, alpha = 0.85) {
  const each = (f) => (Array.isArray(color) ? color.map(f) : f(color));
  return { backgroundColor: each((c) => withAlpha(colorOf(c), alpha)), borderColor: each(colorOf), borderWidth: 1 };
}

/** The end of a description: what the reference lines stand for. */
const refsText = (refs) =>
  refs
    .filter((r) => r.legend)
    .map((r) => ` ${r.legend}.`)
    .join('');

/** Every finite number in `values` (nested arrays and [lo, hi] pairs included). */
const numbers = (...values) => values.flat(3).filter(Number.isFinite);

function barChart(canvas, spec) {
  const { Chart, t } = prepare();
  const across = spec.horizontal !== false;
  const format = spec.format ?? String;
  const refs = spec.refs ?? [];
  const labels = spec.bars ? spec.bars.map((b) => b.label) : spec.labels;
  // One dataset per bar, so the legend names each bar in its colour; or the series given.
  const datasets = spec.bars
    ? spec.bars.map((b, i) => ({
        label: b.label,
        data: labels.map((_, j) => (j === i ? b.value : null)),
        ranges: labels.map((_, j) => (j === i ? b.range : null)),
        tips: labels.map((_, j) => (j === i ? b.tip : null)),
        ...paint(b.color),
        grouped: false,
      }))
    : spec.series.map((s) => ({
        label: s.label,
        data: s.values,
        ranges: s.ranges,
        tips: s.tips,
        stack: s.stack,
        grouped: s.grouped,
        borderDash: s.dash,
        ...paint(s.color, s.alpha),
      }));
  for (const d of datasets) Object.assign(d, { whiskerColor: t.text, barPercentage: 0.7 });
  const top = Math.max(
    0,
    ...numbers(
      datasets.map((d) => d.data),
      datasets.map((d) => d.ranges ?? []),
      refs.map((r) => (across ? r.x : r.y)),
    ),
  );
  const tx = texts(canvas, t, { title: spec.title, x: across ? spec.axis : spec.categoryAxis, y: across ? spec.categoryAxis : spec.axis });
  const valueAxis = { beginAtZero: true, stacked: spec.stacked, suggestedMax: spec.max ?? top * 1.08, ticks: spec.ticks ? { callback: spec.ticks } : {} };
  const categoryAxis = {
    stacked: spec.stacked,
    ticks: {
      color: t.text,
      autoSkip: false,
      callback(value) {
        const label = this.getLabelForValue(value);
        return this.chart.width < NARROW ? wrapWords(label, spec.wrap ?? 15) : label;
      },
    },
  };
  const narrow = (canvas.parentElement?.clientWidth ?? 800) < NARROW;
  sizeBox(canvas, spec.height ?? (across ? Math.max(220, 130 + labels.length * (narrow ? 56 : 44)) : 320));
  canvas.setAttribute(
    'aria-label',
    `${spec.aria ?? plain(spec.title)}: ${labels
      .map(
        (label, j) =>
          `${label} ${datasets
            .filter((d) => d.data[j] !== null && d.data[j] !== undefined)
            .map((d) => (spec.bars ? '' : `${d.label} `) + format(d.data[j]))
            .join(', ')}`,
      )
      .join('; ')}.${refsText(refs)}`,
  );
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    plugins: [whiskers, references(refs)],
    options: {
      indexAxis: across ? 'y' : 'x',
      maintainAspectRatio: false,
      scales: across ? { x: { ...valueAxis, title: tx.x }, y: { ...categoryAxis, title: tx.y } } : { x: { ...categoryAxis, title: tx.x }, y: { ...valueAxis, title: tx.y } },
      onResize: tx.onResize,
      plugins: {
        title: tx.title,
        legend: legend(Chart, t, refs, spec.legend),
        tooltip: { callbacks: { label: (item) => item.dataset.tips?.[item.dataIndex] ?? `${item.dataset.label}: ${format(item.raw)}` } },
      },
    },
  });
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
 * One axis of a line chart: `labels` (categories), or linear or `log` numbers with `min`,
 * `max`, `format` and `ticks` ('integers': 1, 2, … max; 'powers': 1, 2, 4, … max).
 */
function axis(a = {}, values, title, t, isY) {
  if (a.labels) return { type: 'category', labels: a.labels, offset: true, title, ticks: { color: t.text } };
  const positive = values.filter((v) => !a.log || v > 0);
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const format = a.format ?? ((v) => (a.log ? formatCount(v) : String(v)));
  const scale = {
    type: a.log ? 'logarithmic' : 'linear',
    title,
    min: a.min ?? (a.log && positive.length ? (isY ? low / 1.4 : low) : isY ? 0 : undefined),
    max: a.max ?? (a.log && positive.length ? (isY ? high * 1.3 : high) : undefined),
    suggestedMax: !a.log && a.max === undefined && isY && positive.length ? high * 1.1 : undefined,
    ticks: a.log && !a.ticks ? logTicks(format, low, high) : { color: t.text, maxRotation: 0, callback: (v) => format(v) },
  };
  if (a.ticks) {
    scale.afterBuildTicks = (built) => {
      const list = [];
      for (let v = 1; v <= built.max + 1e-9; v = a.ticks === 'powers' ? v * 2 : v + 1) list.push({ value: v });
      built.ticks = list;
    };
  }
  return scale;
}

function lineChart(canvas, spec) {
  const { Chart, t } = prepare();
  const refs = spec.refs ?? [];
  const xf = spec.x?.format ?? String;
  const yf = spec.format ?? spec.y?.format ?? String;
  const datasets = spec.series.map((s) => {
    const color = colorOf(s.color);
    return {
      type: s.line === false ? 'scatter' : 'line',
      label: s.label,
      shortLabel: s.short,
      data: s.points.map((p) => ({ x: p.x, y: p.y, p })),
      ranges: s.points.map((p) => (Number.isFinite(p.lo) && Number.isFinite(p.hi) ? [p.lo, p.hi] : null)),
      borderColor: color,
      backgroundColor: withAlpha(color, 0.85),
      whiskerColor: color,
      borderWidth: s.width ?? 2,
      borderDash: s.dash,
      showLine: s.line !== false,
      pointRadius: s.points.map((p) => (p.mark ? 7 : (s.radius ?? 4))),
      pointHoverRadius: 7,
      pointStyle: s.points.map((p) => (p.mark ? 'rectRot' : (s.point ?? 'circle'))),
      tension: 0,
    };
  });
  const points = spec.series.flatMap((s) => s.points);
  const tx = texts(canvas, t, { title: spec.title, x: spec.x?.title, y: spec.y?.title });
  sizeBox(canvas, spec.height ?? ((canvas.parentElement?.clientWidth ?? 800) < NARROW ? 460 : 400));
  canvas.setAttribute(
    'aria-label',
    `${spec.aria ?? plain(spec.title)}. ${spec.series.map((s) => `${s.label}: ${s.points.map((p) => `${xf(p.x)} → ${yf(p.y)}`).join(', ')}`).join('. ')}.${refsText(refs)}`,
  );
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [whiskers, references(refs)],
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: axis(spec.x, numbers(points.map((p) => p.x)), tx.x, t, false),
        y: axis(
          spec.y,
          numbers(
            points.map((p) => [p.y, p.lo, p.hi]),
            refs.map((r) => r.y),
          ),
          tx.y,
          t,
          true,
        ),
      },
      onResize: tx.onResize,
      plugins: {
        title: tx.title,
        legend: legend(Chart, t, refs, spec.legend, (d) => (d.showLine && !d.pointRadius.some(Boolean) ? 'line' : (d.pointStyle.find((s) => s !== 'rectRot') ?? 'circle'))),
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? xf(items[0].raw.x) : ''),
            label: (item) => item.raw.p.tip ?? `${item.dataset.label}: ${yf(item.raw.y)}`,
          },
        },
      },
    },
  });
}

/**
 * Every run as a point, one strip per group, runs left to right in the order they ran;
 * `hollow` runs are drawn hollow, the `first` as a triangle, and a line marks the median.
 */
function stripChart(canvas, spec) {
  const { Chart, t } = prepare();
  const format = spec.format ?? String;
  const datasets = [];
  spec.groups.forEach((g, i) => {
    const color = colorOf(g.color);
    const n = g.runs.length;
    datasets.push({
      type: 'scatter',
      label: g.label,
      data: g.runs.map((r, j) => ({ x: n === 1 ? i : i - 0.32 + (0.64 * j) / (n - 1), y: r.y, r, run: j + 1 })),
      pointStyle: g.runs.map((r) => (r.first ? 'triangle' : 'circle')),
      pointRadius: g.runs.map((r) => (r.first ? 7 : 4.5)),
      pointBackgroundColor: g.runs.map((r) => (r.hollow ? t.surface : withAlpha(color, 0.9))),
      pointBorderColor: color,
      pointBorderWidth: 2,
      backgroundColor: color,
      borderColor: color,
    });
    if (Number.isFinite(g.median)) {
      datasets.push({
        type: 'line',
        label: '',
        median: true,
        data: [
          { x: i - 0.42, y: g.median },
          { x: i + 0.42, y: g.median },
        ],
        borderColor: t.text,
        borderWidth: 2.5,
        pointRadius: 0,
        pointHitRadius: 0,
      });
    }
  });
  const tx = texts(canvas, t, { title: spec.title, x: spec.x, y: spec.y });
  sizeBox(canvas, spec.height ?? ((canvas.parentElement?.clientWidth ?? 800) < NARROW ? 460 : 400));
  canvas.setAttribute(
    'aria-label',
    `${spec.aria ?? plain(spec.title)}. ${spec.groups.map((g) => `${g.label}: ${g.runs.map((r) => format(r.y)).join(', ')}; median ${format(g.median)}`).join('. ')}.`,
  );
  const own = legend(Chart, t, [], spec.legend, (d) => (d.median ? 'line' : 'rect'));
  const generate = own.labels.generateLabels;
  own.labels.generateLabels = (chart) =>
    generate(chart)
      .filter((entry) => entry.datasetIndex < 0 || !chart.data.datasets[entry.datasetIndex].median)
      .map((entry) => (entry.datasetIndex < 0 ? entry : { ...entry, fillStyle: chart.data.datasets[entry.datasetIndex].borderColor }));
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets },
    options: {
      maintainAspectRatio: false,
      scales: {
        x: {
          type: 'linear',
          min: -0.55,
          max: spec.groups.length - 0.45,
          afterBuildTicks: (built) => (built.ticks = spec.groups.map((_, i) => ({ value: i }))),
          grid: { display: false },
          title: tx.x,
          ticks: {
            color: t.text,
            autoSkip: false,
            maxRotation: 0,
            callback(value) {
              const label = spec.groups[Math.round(value)]?.label ?? '';
              return this.chart.width < NARROW ? wrapWords(label, 9) : label;
            },
          },
        },
        y: { beginAtZero: true, suggestedMax: Math.max(0, ...numbers(spec.groups.map((g) => g.runs.map((r) => r.y)))) * 1.08, title: tx.y },
      },
      onResize: tx.onResize,
      plugins: {
        title: tx.title,
        legend: own,
        tooltip: {
          filter: (item) => !item.dataset.median,
          callbacks: { title: (items) => items[0]?.dataset.label ?? '', label: (item) => item.raw.r.tip ?? `run ${item.raw.run}: ${format(item.raw.y)}` },
        },
      },
    },
  });
}

/** Draws the chart `spec` describes (see the top of this file) on `canvas`; answers the Chart. */
export function draw(canvas, spec) {
  const builders = { bar: barChart, line: lineChart, strip: stripChart };
  if (!builders[spec.type]) throw new Error(`no chart of type ${spec.type}`);
  return builders[spec.type](canvas, spec);
}
