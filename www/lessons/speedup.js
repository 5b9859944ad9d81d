// Lesson 2, "Speedup versus workers": the busy loop run with 1, 2, … k workers on every engine, each point timed against the sequential baseline and
// drawn against the ideal min(k, cores) and the Amdahl curve fitted to the points. A declaration for the lesson kit (its intro is speedup.html): the
// driver's `sweepWorkers` experiment runs the whole sweep in one call, and the core's report brings the speedups, ideals, fits and findings.
import { defineLesson, doneText, enginePicker, pointCount, problemSize, RUN_COLUMNS, runsProgress } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatFactor, formatMs, formatPercent, formatSpeedup, plural } from '../kit/format.js';

/** Short engine names for the crowded chart legend. */
const SHORT = { gil: 'GIL', threads: 'threads', processes: 'pool' };

/** Every point of the sweep as a table and CSV row. */
const rows = ({ series, cores, tasks, n }) =>
  series.flatMap(({ engine, fitted, points }) =>
    points.map((p) => ({ ...p, ...p.summary, ...p.speedup, engine, cores, tasks, n, repetitions: p.summary.count, serial_fraction: fitted })),
  );
/** Points in a sweep of these settings: the baseline once, then 1 … k workers per other engine. */
const points = (v) => 1 + (v.engine.length - 1) * v.workers;

function timelineNote(engine, workers, cores) {
  if (engine === 'sequential') return 'The baseline: one worker, one task after another.';
  if (engine === 'gil')
    return `${plural(workers, 'worker')} take turns with one lock: the bars overlap, but only one of them is computing at any moment (hover a bar for its wait).`;
  const note =
    workers > cores
      ? `${workers} workers on ${plural(cores, 'core')}: the bars run side by side but each one stretches, because the workers share cores and take turns. The whole run ends no sooner than with ${cores}.`
      : `${plural(workers, 'worker')} on ${plural(cores, 'core')}: bars that overlap in time really ran at the same time.`;
  return engine === 'processes' ? `${note} Grey bars are chunks being copied to a pool worker and back.` : note;
}

/** Speedup against k per engine, with whiskers, the ideal line and each engine's fitted Amdahl curve. */
function sweepChart(report, _values, kit) {
  const short = (engine) => SHORT[engine] ?? kit.label(engine);
  const ideal = report.ideal.map((i) => ({ x: i.workers, y: i.speedup, tip: `ideal with ${plural(i.workers, 'worker')}: ${formatFactor(i.speedup)}` }));
  const tip = (engine, x, summary) =>
    `${kit.label(engine)}: ${formatSpeedup(x?.speedup)} (runs give ${formatSpeedup(x?.low)}–${formatSpeedup(x?.high)}), median ${formatMs(summary.median)} ms`;
  const dot = (engine, { workers, speedup: x, summary }) => ({ x: workers, y: x?.speedup, lo: x?.low, hi: x?.high, mark: engine === 'sequential', tip: tip(engine, x, summary) });
  const measured = report.series.map(({ engine, points }) => {
    const dots = points.map((p) => dot(engine, p));
    return { label: kit.label(engine), short: SHORT[engine], color: engine, width: 2.5, points: dots };
  });
  const fit = (s) => `Amdahl fit, ${short(s.engine)}`;
  const fitted = (s) => s.points.map((p) => ({ x: p.workers, y: p.amdahl, tip: `${fit(s)}: ${formatSpeedup(p.amdahl)}` }));
  const fits = report.series
    .filter((s) => s.fitted !== null)
    .map((s) => ({ label: `${fit(s)}: ${formatPercent(s.fitted)} serial`, color: s.engine, dash: [2, 4], radius: 0, points: fitted(s) }));
  const title = { wide: 'Speedup as workers are added', narrow: ['Speedup as workers', 'are added'] };
  const x = { title: { wide: 'workers k (threads or pool workers)', narrow: 'workers k' }, ticks: 'integers', min: 0.6, max: report.largest + 0.4 };
  const y = { title: { wide: 'speedup over sequential (×, higher is faster)', narrow: 'speedup (×)' }, format: (v) => `${v}x` };
  const ideals = { label: `Ideal: min(k, ${report.cores}) on this device`, short: 'ideal', color: 'text', dash: [6, 4], radius: 0, points: ideal };
  const crowded = { x: report.cores + 0.5, shade: true, color: 'muted', dash: [3, 3], width: 1, label: `more workers than ${report.cores} cores` };
  const refs = report.largest > report.cores ? [crowded] : [];
  return { type: 'line', title, aria: 'Speedup against workers', x, y, format: formatSpeedup, series: [ideals, ...measured, ...fits], refs };
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'speedup',
  title: 'Speedup versus workers',

  controls: (caps) => {
    const largest = Math.min(caps.maxWorkers, Math.max(Math.min(2, caps.maxWorkers), caps.cores + 2));
    const tasksMax = Math.max(64, 4 * caps.maxWorkers);
    const within = `stops within this device's ${plural(caps.cores, 'core')}: go past ${caps.cores} to see extra workers stop helping`;
    const perWorker = (v) => (v.tasks / v.workers).toFixed(1).replace(/\.0$/, '');
    return [
      enginePicker(caps),
      {
        legend: 'Settings',
        fields: [
          {
            kind: 'range',
            name: 'workers',
            label: 'Largest worker count k',
            min: Math.min(2, caps.maxWorkers),
            max: caps.maxWorkers,
            value: largest,
            hint: `the sweep runs k = 1, 2, … up to this; this device reports ${plural(caps.cores, 'core')}`,
            warn: (v) => (v.workers > caps.cores ? '' : within),
          },
          // Every worker must have work: at least two tasks per worker at the largest k.
          {
            kind: 'range',
            name: 'tasks',
            label: 'Tasks',
            min: (v) => Math.min(tasksMax, 2 * v.workers),
            max: tasksMax,
            value: 2 * largest,
            hint: (v) => `at least 2 per worker at k = ${v.workers}, so no worker is left without work (${perWorker(v)} per worker now)`,
          },
          problemSize([1e6, 5e6, 1e7, 2e7, 5e7, 1e8], caps.cores <= 4 ? 5e7 : 1e7),
          { kind: 'range', name: 'repetitions', label: 'Repetitions per point', min: 1, max: 10, value: 3, hint: 'timed runs; each point is their median' },
          { kind: 'range', name: 'warmup', label: 'Warm-up runs per point', min: 0, max: 3, value: 1, hint: 'untimed runs first, so a cold start does not bend the curve' },
        ],
      },
    ];
  },
  formLabel: 'Sweep settings',
  runText: (v) => (v.engine.length > 1 ? `Run ${plural(points(v), 'point')}` : 'Run sequential only'),
  runHint: (v) => `${plural(points(v) * (v.repetitions + v.warmup), 'map')} of ${plural(v.tasks, 'task')} each, warm-ups included`,
  start: (v, _caps, kit) => {
    const swept = v.engine.slice(1).map(kit.label);
    return `Sweeping 1 to ${v.workers} workers on ${plural(swept.length, 'engine')} (${swept.join(', ') || 'none'}), against a sequential baseline: ${plural(points(v), 'point')}.`;
  },
  run: {
    experiment: 'sweepWorkers',
    params: ({ engine, ...v }) => ({ engines: engine, workload: 'sum_of_squares', chunksize: 1, ...v }),
    progress: (p, v, kit) => {
      const [fraction, text] = runsProgress(p, v, kit);
      return [fraction, `${p.engine === 'sequential' ? 'baseline' : `k = ${p.workers}`} · ${text}`];
    },
  },
  finished: (report) => `Finished: ${plural(pointCount(report), 'point')} measured.`,
  done: (report, _values, kit) => {
    const lines = readings(report.findings, kit.label);
    return doneText([lines.find((l) => l.engine === 'threads') ?? lines.find((l) => l.engine === 'processes') ?? lines[0]].filter(Boolean));
  },

  empty: 'Press Run: each engine is timed with 1, 2, … workers, and the speedups appear here.',
  resultsData: (report) => ({ points: pointCount(report) }),
  figures: (report, _values, kit) => [
    { label: 'Cores detected', value: report.cores, testid: 'speedup-cores' },
    { label: 'Workers swept', value: `1 – ${report.largest}` },
    { label: 'Tasks × n per task', value: `${report.tasks} × ${formatCount(report.n)}` },
    ...report.series.slice(1).map(({ engine, fitted }) => ({
      label: `Fitted serial fraction, ${SHORT[engine] ?? kit.label(engine)}`,
      value: fitted === null ? 'no fit' : formatPercent(fitted),
      engine,
      testid: `speedup-fit-${engine}`,
      data: { engine, serialFraction: fitted ?? '' },
    })),
  ],
  sections: [
    {
      layout: 'stack', // the sweep chart needs the width
      charts: [{ name: 'sweep', draw: sweepChart }],
      table: {
        caption: 'Every point of the sweep',
        rows,
        row: (r) => ({ engine: r.engine, workers: r.workers, speedup: r.speedup }),
        columns: [
          ...RUN_COLUMNS,
          { key: 'speedup', name: 'Speedup', type: 'num', text: (r) => (r.engine === 'sequential' ? '1x' : formatSpeedup(r.speedup)) },
          ...['low', 'high'].map((end) => ({ key: `speedup_${end}`, value: (r) => r[end] })),
          { key: 'ideal', name: 'Ideal', type: 'num', text: (r) => formatFactor(r.ideal) },
          { key: 'amdahl_fit', name: 'Amdahl fit', type: 'num', value: (r) => r.amdahl, text: (r) => (r.amdahl === null ? '—' : formatSpeedup(r.amdahl)) },
          ...['serial_fraction', 'verified'].map((key) => ({ key })),
          { key: 'checksum', name: 'Checksum', type: 'check' },
          { key: 'pool_startup_ms', value: (r) => r.startup_ms },
        ],
        note: (report, v) => {
          const pool =
            report.pool_startup_ms === null ? '' : ` Starting process-pool workers took ${formatMs(report.pool_startup_ms)} ms in all, as the pool grew; it is not in the timings.`;
          return `${plural(report.tasks, 'task')} of n = ${formatCount(report.n)} each, ${plural(report.series[0].points[0].summary.count, 'timed run')} per point after ${plural(v.warmup, 'warm-up run')}, on ${plural(report.cores, 'core')}. Speedup is the sequential median over the point's median; the chart's whiskers span the slowest to the fastest pairing of runs.${pool}`;
        },
      },
    },
  ],
  timeline: {
    heading: 'Timeline of the last run at the largest k',
    runs: (report, _values, kit) =>
      report.series.map(({ engine, points }) => {
        const { workers, timeline } = points.at(-1);
        const label = engine === 'sequential' ? kit.label(engine) : `${kit.label(engine)}, ${plural(workers, 'worker')}`;
        return { engine, label, chunks: timeline, note: timelineNote(engine, workers, report.cores) };
      }),
  },
});
