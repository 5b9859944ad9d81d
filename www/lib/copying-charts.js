// Charts for the copying lesson: shipping time against the worker's compute time for one
// payload size, and shipping time against payload size on log–log axes. Colours are
// Okabe–Ito: copying is the process pool's orange (it is how the pool sends chunks),
// sharing the threads engine's green (it is how threads see data), transferring the
// palette's blue, and the worker's compute its reddish purple.
import { engineColor, whiskerPlugin, withAlpha } from './charts.js';
import { formatMs } from './reading.js';
import { adaptiveTexts, applyTheme, chartLibrary, logTicks, mantissasFor, msTick, pointWhiskerPlugin } from './chunking-charts.js';
import { MODES, formatBytes } from './copying-reading.js';

const NARROW = 480;
const TRANSFER_BLUE = '#0072B2';
const COMPUTE_PURPLE = '#CC79A7';

/** Each mode's colour. */
export function modeColor(mode) {
  if (mode === 'copy') return engineColor('processes');
  if (mode === 'shared') return engineColor('threads');
  if (mode === 'transfer') return TRANSFER_BLUE;
  return COMPUTE_PURPLE;
}

/**
 * Horizontal bars for one payload `result`: per mode, the time to ship the array to the
 * worker (in the mode's colour) and the time the worker then spent touching every byte,
 * each with a min–max whisker. An unavailable mode keeps its row, labelled with why.
 */
export function drawPayloadChart(canvas, result) {
  const Chart = chartLibrary();
  const t = applyTheme(Chart);
  const size = formatBytes(result.bytes);
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: `Shipping ${size} to a worker, against using it there`, narrow: [`Shipping ${size} to a worker,`, 'against using it there'] },
    x: { wide: 'time (ms) · bar: median · whisker: fastest to slowest run', narrow: ['time (ms)', 'bar: median, whisker: min–max'] },
    y: '',
  });
  const rows = MODES.map((m) => ({ ...m, r: result.modes.find((x) => x.mode === m.id) }));
  const labels = rows.map((m) => (m.r?.available ? m.label : `${m.label}: unavailable here`));
  const value = (m, key) => (m.r?.available ? m.r[key].median : null);
  const range = (m, key) => (m.r?.available ? [m.r[key].min, m.r[key].max] : null);
  const top = Math.max(0, ...rows.flatMap((m) => (m.r?.available ? [m.r.ship.max, m.r.compute.max] : [])));
  const datasets = [
    {
      label: 'shipping the array to the worker',
      data: rows.map((m) => value(m, 'ship')),
      ranges: rows.map((m) => range(m, 'ship')),
      backgroundColor: rows.map((m) => withAlpha(modeColor(m.id), 0.85)),
      borderColor: rows.map((m) => modeColor(m.id)),
      borderWidth: 1,
      part: 'ship',
    },
    {
      label: 'the worker touching every byte',
      data: rows.map((m) => value(m, 'compute')),
      ranges: rows.map((m) => range(m, 'compute')),
      backgroundColor: withAlpha(COMPUTE_PURPLE, 0.75),
      borderColor: COMPUTE_PURPLE,
      borderWidth: 1,
      part: 'compute',
    },
  ];
  return new Chart(canvas, {
    type: 'bar',
    data: { labels, datasets },
    plugins: [whiskerPlugin],
    options: {
      indexAxis: 'y',
      maintainAspectRatio: false,
      scales: {
        x: { beginAtZero: true, suggestedMax: top * 1.05, title: texts.x },
        y: {
          ticks: {
            color: t.text,
            autoSkip: false,
            callback(v) {
              const label = this.getLabelForValue(v);
              return this.chart.width < NARROW ? label.split(/ (?=\()|: /) : label;
            },
          },
        },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        whiskers: { color: t.text },
        legend: {
          position: 'bottom',
          labels: {
            boxWidth: 14,
            usePointStyle: true,
            // One entry per shipping colour, then the compute colour.
            generateLabels() {
              const entry = (text, color) => ({ text, fillStyle: withAlpha(color, 0.85), strokeStyle: color, lineWidth: 1, pointStyle: 'rect', hidden: false, fontColor: t.text, datasetIndex: -1 });
              return [
                ...rows.filter((m) => m.r?.available).map((m) => entry(`shipping: ${m.short.toLowerCase()}`, modeColor(m.id))),
                entry('worker touching every byte', COMPUTE_PURPLE),
              ];
            },
          },
          onClick() {},
        },
        tooltip: {
          callbacks: {
            label(item) {
              const m = rows[item.dataIndex];
              const s = m.r?.[item.dataset.part];
              if (!s) return `${m.label}: not measured`;
              const what = item.dataset.part === 'ship' ? 'shipping' : 'touching every byte';
              return `${what}: median ${formatMs(s.median)} ms (min ${formatMs(s.min)}, max ${formatMs(s.max)}, ${s.count} runs)`;
            },
          },
        },
      },
    },
  });
}

/**
 * Shipping time against payload size (log–log): a line per mode, and the worker's
 * compute time (the median over the modes) as a dashed line. `results` are payload
 * results, any order. Times of 0 cannot sit on a log axis and are left out.
 */
export function drawPayloadSweepChart(canvas, results) {
  const Chart = chartLibrary();
  const t = applyTheme(Chart);
  const texts = adaptiveTexts(canvas, t, {
    chartTitle: { wide: 'Shipping time against payload size', narrow: ['Shipping time against', 'payload size'] },
    x: { wide: 'payload size (log scale)', narrow: 'payload (log)' },
    y: { wide: 'time (ms, log scale)', narrow: 'time (ms, log)' },
  });
  const sorted = [...results].sort((a, b) => a.bytes - b.bytes);
  const datasets = [];
  for (const m of MODES) {
    const data = sorted
      .map((r) => ({ r, s: r.modes.find((x) => x.mode === m.id && x.available)?.ship }))
      .filter(({ s }) => s && s.median > 0)
      .map(({ r, s }) => ({ x: r.bytes, y: s.median, range: [s.min, s.max], s }));
    if (!data.length) continue;
    const color = modeColor(m.id);
    datasets.push({ label: `shipping: ${m.short.toLowerCase()}`, data, borderColor: color, backgroundColor: withAlpha(color, 0.85), whiskerColor: color, borderWidth: 2, pointRadius: 4, tension: 0 });
  }
  const compute = sorted
    .map((r) => {
      const medians = r.modes.filter((x) => x.available).map((x) => x.compute.median).sort((a, b) => a - b);
      return { x: r.bytes, y: medians[Math.floor((medians.length - 1) / 2)] };
    })
    .filter((p) => p.y > 0);
  if (compute.length) {
    datasets.push({ label: 'worker touching every byte', data: compute, borderColor: COMPUTE_PURPLE, backgroundColor: COMPUTE_PURPLE, borderDash: [6, 4], borderWidth: 2, pointRadius: 3, pointStyle: 'rect', tension: 0 });
  }
  const ys = datasets.flatMap((d) => d.data.map((p) => p.y));
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    plugins: [pointWhiskerPlugin],
    options: {
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'logarithmic', title: texts.x, ticks: logTicks(formatBytes, [1]) },
        y: { type: 'logarithmic', title: texts.y, ticks: logTicks(msTick, mantissasFor(Math.min(...ys), Math.max(...ys))) },
      },
      onResize: texts.onResize,
      plugins: {
        title: texts.title,
        legend: { position: 'bottom', labels: { boxWidth: 14, usePointStyle: true } },
        tooltip: {
          callbacks: {
            title: (items) => formatBytes(items[0].raw.x),
            label(item) {
              const s = item.raw.s;
              return s ? `${item.dataset.label}: median ${formatMs(s.median)} ms (min ${formatMs(s.min)}, max ${formatMs(s.max)})` : `${item.dataset.label}: ${formatMs(item.raw.y)} ms`;
            },
          },
        },
      },
    },
  });
}
