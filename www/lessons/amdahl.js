// Lesson 6, "Amdahl's law": a job whose first part must run on one worker before the rest can be shared out, swept over 1, 2, … k workers against the
// sequential loop, every result checked. A declaration for the lesson kit (its intro is amdahl.html): the driver's `predict` gives Amdahl's (and
// Gustafson's) curve and the ceiling for the settings shown, before any run; its `phased` experiment measures the sweep, and the core's report brings
// the speedups, predictions, fitted serial fraction and findings.
import { defineLesson, doneText, threadsOff, workersField } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { compactCount, formatCount, formatFactor, formatMs, formatMsUnit, formatPercent, plural } from '../kit/format.js';
import { h } from '../lib/dom.js';

/** A ceiling above this would squash the curves: the legend names it instead of a line. */
const CEILING_DRAWN_UP_TO = 25;
const isStale = (report, v) => report && (report.serial_fraction !== v.serial / 100 || report.gustafson !== v.gustafson);
/** Why Run cannot measure here, above the form; the curves still show. */
const unavailable = (caps) =>
  `Measuring needs the threads engine, which is unavailable here (it ${threadsOff(caps)}). The curves still show what Amdahl's law predicts for the serial share you choose.`;
/** A worker count's fastest-to-slowest speedup, under its median in the table. */
const speedupRange = (q) => `${formatFactor(q.speedup_min)}–${formatFactor(q.speedup_max)}`;

/** The curves, the ceiling, the cores and (after a run) the measured points and the fitted curve. */
function speedupChart(report, v, { preview: p, caps }) {
  if (!p) return null;
  const s = formatPercent(p.serial_fraction);
  const curve = (name, key, laws = (q) => q) => p.points.map((q) => ({ x: q.workers, y: laws(q)[key], tip: `${name}: ${formatFactor(laws(q)[key])}` }));
  const series = [{ label: `Amdahl: 1/(s + (1−s)/k), s = ${s}, a core per worker`, color: 'blue', radius: 0, width: 2.5, points: curve('Amdahl', 'amdahl') }];
  if (p.gustafson) series.push({ label: `Gustafson: s + (1−s)k, s = ${s}`, color: 'purple', radius: 0, width: 2.5, points: curve('Gustafson', 'gustafson') });
  const [name, key, color] = p.gustafson ? ['Gustafson', 'gustafson', 'purple'] : ['Amdahl', 'amdahl', 'blue'];
  const cores = plural(p.cores, 'core');
  series.push({ label: `${name} on this device's ${cores}`, color, dash: [6, 3], radius: 0, width: 2, points: curve(`${name} on ${cores}`, key, (q) => q.on_device) });
  if (report && report.fitted_serial_fraction !== null) {
    const fitted = report.points.map((q) => ({ x: q.workers, y: q.fitted }));
    series.push({ label: `Amdahl fitted to the points: s = ${formatPercent(report.fitted_serial_fraction)}`, color: 'muted', dash: [2, 3], radius: 0, points: fitted });
  }
  if (report) {
    const tip = (q) => `measured ${formatFactor(q.speedup)} (min ${formatFactor(q.speedup_min)}, max ${formatFactor(q.speedup_max)}); predicted ${formatFactor(q.predicted)}`;
    const measured = report.points.map((q) => ({ x: q.workers, y: q.speedup, lo: q.speedup_min, hi: q.speedup_max, tip: tip(q) }));
    series.push({ label: `measured (median, min–max), s = ${formatPercent(report.serial_fraction)}`, color: 'threads', radius: 5, points: measured });
  }
  const ceiling = p.ceiling === null ? null : `ceiling 1/s = ${formatFactor(p.ceiling)}`;
  const drawn = p.ceiling !== null && p.ceiling <= CEILING_DRAWN_UP_TO;
  const title = {
    wide: p.gustafson ? 'Speedup as the job grows with the workers' : 'Speedup against workers, with Amdahl’s ceiling',
    narrow: ['Speedup against workers', p.gustafson ? '(growing job)' : 'and Amdahl’s ceiling'],
  };
  const x = { title: { wide: 'workers k (doubling at each step)', narrow: 'workers k' }, log: true, min: 1, max: p.points.length, ticks: 'powers' };
  const here = plural(caps.cores, 'core');
  const refs = [
    drawn && { y: p.ceiling, label: `ceiling ${formatFactor(p.ceiling)}`, legend: ceiling },
    { x: caps.cores, label: here, color: 'muted', dash: [2, 4], width: 1.5, legend: p.parts_at && `this device's ${here}: past them the curves part` },
  ];
  const y = { title: { wide: 'speedup over sequential (×)', narrow: 'speedup (×)' } };
  const legend = ceiling && !drawn ? [{ text: `${ceiling} (above the chart)`, color: 'text', style: 'line' }] : [];
  return { type: 'line', title, aria: `Predicted speedup for ${s} serial`, x, y, format: formatFactor, series, refs: refs.filter(Boolean), legend };
}

/** Where the time of each worker count's last run went: the serial part, then the parallel one. */
function phasesChart({ points }) {
  const title = { wide: 'Where the time goes: the serial part does not shrink', narrow: ['Where the time goes:', 'the serial part does not shrink'] };
  const axis = { wide: 'time of the last timed run (ms)', narrow: 'last run (ms)' };
  const aria = 'Serial and parallel parts of the last timed run per worker count';
  const series = [
    { label: 'serial part (worker 0 alone)', color: 'purple', stack: 'time', values: points.map((q) => q.serial_ms) },
    { label: 'parallel part (k workers)', color: 'threads', stack: 'time', values: points.map((q) => q.parallel_ms) },
  ];
  return { type: 'columns', title, categoryAxis: 'workers k', axis, aria, format: formatMsUnit, labels: points.map((q) => String(q.workers)), series };
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'amdahl',
  title: "Amdahl's law",

  controls: (caps) => [
    {
      legend: 'Settings',
      fields: [
        { kind: 'range', name: 'serial', label: 'Serial share s', min: 0, max: 50, value: 20, format: (v) => `${v}%`, hint: 'the part of the job only worker 0 can do' },
        workersField(caps, {
          label: 'Workers up to',
          value: Math.max(1, Math.min(caps.maxWorkers, Math.max(4, caps.cores))),
          hint: `the sweep runs 1, 2, … up to this; this device reports ${plural(caps.cores, 'core')}`,
          warn: (v) => (v.workers > caps.cores ? `past ${plural(caps.cores, 'core')} the extra workers share cores, so the measurement must fall below the curve` : ''),
        }),
        {
          kind: 'select',
          name: 'total',
          label: 'Job size (iterations)',
          values: [2e7, 5e7, 1e8, 2e8, 5e8, 1e9],
          format: formatCount,
          value: 5e8,
          hint: 'loop iterations in the whole job (with 1 worker)',
        },
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 10, value: 3, hint: 'timed runs per worker count; medians are plotted' },
        { kind: 'range', name: 'warmup', label: 'Warm-up runs', min: 0, max: 3, value: 1, hint: 'untimed runs first, for each worker count' },
      ],
    },
    {
      legend: 'Scaling',
      name: 'view',
      class: 'engines-choice',
      fields: [
        { kind: 'check', name: 'gustafson', label: 'Gustafson: grow the job', value: false, note: 'k workers get k times the parallel work; the serial part keeps its size' },
      ],
    },
  ],
  runText: () => 'Run the sweep',
  blocked: (v, caps) => (threadsOff(caps) ? `Measuring is unavailable: the threads engine ${threadsOff(caps)}.` : ''),
  before: ({ caps }) =>
    threadsOff(caps) ? h('p', { class: 'message message-warning', id: 'amdahl-unavailable', attrs: { 'data-testid': 'amdahl-unavailable' }, text: unavailable(caps) }) : null,
  // The curves reach past the sweep (16 workers, 8 for a growing job), so the ceiling shows.
  preview: {
    experiment: 'predict',
    params: (v) => ({ serial_fraction: v.serial / 100, gustafson: v.gustafson, up_to: 2 ** Math.ceil(Math.log2(Math.max(v.workers, v.gustafson ? 8 : 16))) }),
  },
  run: {
    experiment: 'phased',
    params: ({ serial, ...v }) => ({ ...v, serial_fraction: serial / 100 }),
    progress: (p, v) => [
      p.done / p.total,
      `${plural(p.workers, 'worker')} of ${v.workers}: ${{ reference: 'computing the sequential checksum', warmup: `warm-up ${p.run + 1}/${p.runs}` }[p.phase] ?? `timed run ${p.run + 1}/${p.runs}`}`,
    ],
  },
  done: (report, _values, kit) => doneText(readings(report.findings, kit.label), 2),

  sections: [
    {
      name: 'speedup',
      always: true,
      layout: 'stack',
      charts: [{ name: 'speedup', draw: speedupChart }],
      note: (report, v, { preview: p }) => {
        const ceiling = !p
          ? ''
          : p.ceiling === null
            ? 'No ceiling at 0% serial: only the cores limit the speedup.'
            : `Ceiling 1/s = ${formatFactor(p.ceiling)}: Amdahl's limit for ${formatPercent(p.serial_fraction)} serial${p.gustafson ? ' (a fixed-size job)' : ''}.`;
        const stale = isStale(report, v)
          ? ` The measured points are for ${formatPercent(report.serial_fraction)} serial${report.gustafson ? ' with a growing job' : ''}; press Run to measure the settings shown.`
          : '';
        return ceiling + stale;
      },
    },
    {
      charts: [{ name: 'phases', draw: phasesChart }],
      table: {
        caption: 'The sweep',
        rows: ({ points, serial_fraction, gustafson, fitted_serial_fraction, cores, verified }) =>
          points.map((q) => ({ ...q, serial_fraction, gustafson, fitted_serial_fraction, cores, verified })),
        row: (q) => ({ workers: q.workers, total: q.total, speedup: q.speedup, speedupMin: q.speedup_min, speedupMax: q.speedup_max, predicted: q.predicted }),
        columns: [
          { key: 'workers', name: 'Workers', type: 'head', text: (q) => plural(q.workers, 'worker'), hint: (q) => q.gustafson && `${compactCount(q.total)} iterations` },
          ...['serial_fraction', 'gustafson'].map((key) => ({ key })),
          { key: 'iterations', value: (q) => q.total },
          { summary: (q) => q.sequential, prefix: 'sequential_', name: 'Sequential (ms)', range: false },
          { summary: (q) => q.parallel, prefix: 'parallel_', name: 'Parallel (ms)', range: false },
          { key: 'speedup', name: 'Speedup (min–max)', type: 'num', text: (q) => formatFactor(q.speedup), hint: speedupRange },
          ...['speedup_min', 'speedup_max'].map((key) => ({ key })),
          { key: 'predicted', name: 'Predicted here', type: 'num', text: (q) => formatFactor(q.predicted) },
          { key: 'predicted_core_per_worker', value: (q) => q.unlimited },
          ...['serial', 'parallel'].map((part) => ({ key: `${part}_ms_last_run`, value: (q) => q[`${part}_ms`] })),
          ...['fitted_serial_fraction', 'cores', 'verified'].map((key) => ({ key })),
        ],
        note: (report) => {
          const size = report.gustafson
            ? 'The job grows with the workers (Gustafson: its size is under each worker count)'
            : `A job of ${formatCount(report.points[0].total)} iterations`;
          const fit = report.fitted_serial_fraction === null ? '' : ` Fitted serial fraction: ${formatPercent(report.fitted_serial_fraction)}.`;
          return `${size}, ${formatPercent(report.serial_fraction)} of it serial; medians of ${plural(report.points[0].parallel.count, 'timed run')} per worker count, with the fastest-to-slowest speedup under each. Every parallel result matched the sequential sum ✓ (a mismatch stops the run).${fit}`;
        },
      },
    },
  ],
  timeline: {
    heading: 'Per-worker timeline of the last run',
    pickers: [],
    runs: (report) => {
      const last = report.points.at(-1);
      const crowded = last.workers > report.cores ? '; with more workers than cores, they queue for a core and take fewer chunks each' : '';
      const note = `The last timed run with ${plural(last.workers, 'worker')} and ${formatPercent(report.serial_fraction)} serial. Chunk 0 on worker 0 is the serial part (${formatMs(last.serial_ms)} ms): nobody else can start until it ends. Then the rest is cut into equal chunks that the workers take one at a time, so a worker on a faster core takes more of them${crowded}.`;
      return [{ engine: 'threads', chunks: report.timeline, note, what: `the last run with ${plural(last.workers, 'worker')}` }];
    },
  },
});
