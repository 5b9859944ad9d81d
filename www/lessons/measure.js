// Lesson 7, "Measure, don't assume": the same map timed many times on each engine, and every run kept. A declaration for the lesson kit (its intro is
// measure.html): the driver's `compare` experiment runs every engine in one call (with a fresh process pool when asked), and the core's report brings
// each engine's runs, both summaries (timed runs only, and with warm-ups) and both accounts of where the missing speedup went. The warm-up toggle
// only picks which of them the page lays out; the strip chart draws every run.
import { defineLesson, doneText, enginePicker, problemSize, runsProgress, workersField } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatFactor, formatMs, formatMsUnit, formatPercent, formatSpeedup, plural } from '../kit/format.js';

/** The findings the warm-up toggle picks. */
const shortfall = (report, v) => (v.with_warmup ? report.shortfall_with_warmup : report.shortfall);

/** Per engine, the summary, spread and speedup the toggle picks. */
const engineRows = (report, { with_warmup: all }) =>
  report.rows.map((r) => ({
    ...r,
    counted: all ? r.with_warmup : r.summary,
    spread: all ? r.spread_with_warmup : r.spread,
    speedup: (all ? r.speedup_with_warmup : r.speedup)?.speedup,
  }));

/** What a run was: the first (cold) one, a warm-up or timed. */
const runKind = (run, i) => [i === 0 ? 'first (cold)' : null, run.warmup ? 'warm-up' : 'timed'].filter(Boolean).join(', ');

/** Every run of every engine, in order: the runs table and the CSV. */
const runRows = ({ rows, cores, tasks, n }) =>
  rows.flatMap(({ runs, startup_ms, ...r }) =>
    runs.map((run, i) => ({ ...r, ...run, run: i + 1, first: i === 0, kind: runKind(run, i), cores, tasks, n, pool_startup_ms: startup_ms })),
  );

/** An engine's runs: the timed ones, and the warm-ups before them. */
const runCount = (r) => (r.runs.length > r.summary.count ? `${r.summary.count} + ${r.runs.length - r.summary.count} warm-up` : String(r.summary.count));
const warmupHint = (v) => (v.warmup === 0 ? 'no warm-up: the cold first run is a timed run and counts in the median' : 'untimed runs first; they are still drawn, hollow');

function timelineNote({ engine, stats }) {
  const idle = Number.isFinite(stats?.idle_fraction) ? ` Workers were idle ${formatPercent(stats.idle_fraction)} of this run.` : '';
  if (engine === 'processes') return `Grey bars are chunks being copied to a pool worker and back: ${formatMs(stats?.messaging_ms ?? 0)} ms in all.${idle}`;
  if (engine === 'gil') return `The bars overlap, yet only the worker holding the lock computes; hover a bar for its wait (${formatMs(stats?.wait_ms)} ms in all).`;
  return engine === 'sequential' ? 'One worker, one task after another: the baseline.' : `Bars that overlap ran at the same time on different cores.${idle}`;
}

/** Every run as a point, hollow for warm-ups, a triangle for the first, with the median the toggle picks. */
function runsChart(report, v, kit) {
  const groups = engineRows(report, v).map((r) => ({
    label: kit.label(r.engine),
    color: r.engine,
    median: r.counted.median,
    runs: r.runs.map((run, i) => ({ y: run.ms, hollow: run.warmup, first: i === 0, tip: `run ${i + 1}: ${formatMs(run.ms)} ms (${runKind(run, i)})` })),
  }));
  const legend = [
    { text: 'timed run' },
    { text: `warm-up run (${v.with_warmup ? 'counted in' : 'left out of'} the median)`, hollow: true },
    { text: 'first run (cold)', style: 'triangle', hollow: true },
    { text: v.with_warmup ? 'median of all runs' : 'median of the timed runs', style: 'line', color: 'text' },
  ];
  const title = { wide: 'Every run, in the order it ran', narrow: ['Every run, in the', 'order it ran'] };
  const x = { wide: 'engine (runs left to right in time)', narrow: 'engine (runs in order)' };
  const y = { wide: 'time for one map over all tasks (ms)', narrow: 'time per map (ms)' };
  return { type: 'strip', title, x, y, aria: 'Every run as a point', format: formatMsUnit, groups, legend };
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'measure',
  title: "Measure, don't assume",
  formLabel: 'Measurement settings',

  controls: (caps) => {
    const workers = Math.min(caps.maxWorkers, Math.max(Math.min(2, caps.maxWorkers), caps.cores));
    return [
      enginePicker(caps),
      {
        legend: 'Settings',
        fields: [
          workersField(caps, { value: workers, warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): at most ${caps.cores} compute at once` : '') }),
          { kind: 'range', name: 'tasks', label: 'Tasks', min: 1, max: 64, value: Math.min(64, Math.max(4, 4 * workers)), hint: 'inputs the map runs over, one chunk each' },
          problemSize([1e6, 5e6, 1e7, 2e7, 5e7, 1e8], 1e7),
          { kind: 'range', name: 'repetitions', label: 'Timed runs', min: 2, max: 30, value: 8, hint: 'every one is kept and drawn' },
          { kind: 'range', name: 'warmup', label: 'Warm-up runs', min: 0, max: 5, value: 1, hint: warmupHint },
          {
            kind: 'check',
            name: 'cold',
            label: 'Start the process pool cold',
            value: true,
            hint: 'a fresh pool just before its runs, so its start-up and first run are measured',
            disabled: (v) => !v.engine.includes('processes'),
          },
          {
            kind: 'check',
            name: 'with_warmup',
            label: 'Count warm-ups in the median',
            value: false,
            live: true,
            hint: 'changes the medians, ranges, speedups and reading; the points stay',
          },
        ],
      },
    ];
  },
  runText: (v) => (v.engine.length === 1 ? 'Run sequential only' : `Run on ${v.engine.length} engines`),
  start: (v, _caps, kit) =>
    `Timing ${plural(v.engine.length, 'engine')} (${v.engine.map(kit.label).join(', ')}): ${plural(v.warmup, 'warm-up run')} and ${plural(v.repetitions, 'timed run')} each, every one kept.`,
  run: {
    experiment: 'compare',
    // The warm-up toggle only picks what is shown: the run is the same either way.
    params: ({ engine, with_warmup, ...v }) => ({ engines: engine, workload: 'sum_of_squares', chunksize: 1, ...v }),
    progress: runsProgress,
  },
  finished: ({ rows }) => `Finished: ${plural(rows.flatMap((r) => r.runs).length, 'run')} on ${plural(rows.length, 'engine')}, all kept.`,
  done: (report, v, kit) => doneText(readings(shortfall(report, v), kit.label, report)),

  empty: 'Press Run: every run of every engine will appear here as a point, with what the numbers say.',
  resultsData: (report, v) => ({ engines: report.rows.length, includeWarmup: v.with_warmup }),
  reading: (report, v, kit) => readings(shortfall(report, v), kit.label, report),
  figures: (report, v) => {
    const best = shortfall(report, v).find((f) => f.kind === 'headline');
    return [
      { label: 'Cores detected', value: report.cores, testid: 'measure-cores', data: { cores: report.cores } },
      { label: 'Workers', value: report.workers },
      { label: 'Ideal speedup', value: formatFactor(report.ideal), testid: 'measure-ideal' },
      best && { label: `Measured, ${best.engine === 'threads' ? 'threads' : 'pool'}`, value: formatSpeedup(best.speedup), engine: best.engine, testid: 'measure-best' },
      report.pool && { label: 'Pool start-up', value: `${formatMs(report.pool.startup_ms)} ms`, testid: 'measure-startup', data: { ms: report.pool.startup_ms } },
    ].filter(Boolean);
  },
  sections: [
    {
      layout: 'stack', // the strips need the width
      charts: [{ name: 'runs', draw: runsChart }],
      table: {
        name: 'engines',
        caption: 'Per engine',
        rows: engineRows,
        row: (r) => ({ engine: r.engine, median: r.counted.median, runs: r.runs.length, counted: r.counted.count }),
        columns: [
          { type: 'engine' },
          { name: 'Runs', type: 'num', text: runCount },
          { name: 'First run (ms)', type: 'num', text: (r) => formatMs(r.first_ms) },
          { summary: (r) => r.counted, name: (v) => (v.with_warmup ? 'Median, all runs (ms)' : 'Median, timed runs (ms)') },
          { name: 'Spread', type: 'num', text: (r) => formatPercent(r.spread) },
          { name: 'Speedup', type: 'num', text: (r) => formatSpeedup(r.speedup) },
          { name: 'Checksum', key: 'checksum', type: 'check' },
        ],
        note: (report, v) =>
          `${plural(report.tasks, 'task')} of n = ${formatCount(report.n)} each on ${plural(report.workers, 'worker')}, ${plural(report.cores, 'core')} detected. ${v.with_warmup ? 'Medians, ranges and speedups count the warm-up runs too.' : 'Medians, ranges and speedups count the timed runs only; warm-ups are drawn but left out.'} Spread is (slowest − fastest) / median.`,
      },
    },
    {
      layout: 'stack',
      table: {
        name: 'runs',
        caption: 'Every run, in order',
        fold: (rows) => `Every run (${rows.length})`,
        rows: runRows,
        row: (r) => ({ engine: r.engine, run: r.run, warmup: r.warmup, ms: r.ms }),
        columns: [
          { type: 'engine' },
          { key: 'run', name: 'Run', type: 'num' },
          { key: 'ms', name: 'Time (ms)', type: 'num', text: (r) => formatMs(r.ms) },
          { name: 'Kind', text: (r) => r.kind },
          ...['warmup', 'first', 'workers', 'cores', 'tasks', 'n', 'verified', 'checksum', 'pool_startup_ms'].map((key) => ({ key })),
        ],
      },
    },
  ],
  csv: { table: 'runs', button: 'Download every run (CSV)' },
  timeline: { heading: 'Per-worker timeline of the last timed run', runs: (report) => report.rows.map((r) => ({ engine: r.engine, chunks: r.timeline, note: timelineNote(r) })) },
});
