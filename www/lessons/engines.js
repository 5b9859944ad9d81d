// Lesson 1, "Same interface, different engine": one `map` of a CPU-bound function, run on the four engines with the same settings, timed and
// compared. A declaration for the lesson kit (its intro is engines.html): the driver's `compare` experiment runs every engine in one call, and the
// core's report brings the summaries, speedups and findings.
import { defineLesson, doneText, enginePicker, problemSize, RUN_COLUMNS, runsProgress, workersField } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatFactor, formatMs, formatSpeedup, plural } from '../kit/format.js';

const TIMELINE_NOTES = {
  gil: 'With a GIL the bars overlap although only one worker computes at any moment: each bar runs from when its worker picked the chunk up to when it finished, waiting for the lock included (hover a bar for the wait).',
  processes: 'Each bar is a chunk computed inside one pool worker; the gaps before and between bars are messages being copied there and back (hover for the times).',
  sequential: 'One worker, one chunk after another: the baseline.',
  threads: 'Each bar is a chunk; bars that overlap in time really ran at the same time on different cores.',
};

/** The report's rows as table and CSV rows: the settings they ran with and their timed runs' summary. */
const rows = ({ rows, cores, tasks, n }, _values, kit) =>
  rows.map((r) => ({ ...r, ...r.summary, label: kit.label(r.engine), cores, tasks, n, repetitions: r.summary.count, speedup: r.speedup?.speedup }));

/** Each engine's median time, with its whisker. */
function timeChart(report, v, kit) {
  const title = { wide: 'How long the same map takes on each engine', narrow: ['How long the same map', 'takes on each engine'] };
  const bars = rows(report, v, kit).map((r) => ({ label: r.label, color: r.engine, summary: r.summary, runs: `${r.repetitions} timed runs` }));
  return { type: 'bar', title, axis: { wide: 'time for one map over all tasks (ms)', narrow: 'time per map (ms)' }, aria: 'Median time per engine', bars };
}

/** Each engine's speedup, against the ideal on this machine. */
function speedupChart(report, v, kit) {
  const ideal = `ideal on this machine: ${formatFactor(report.ideal)}`;
  const bars = rows(report, v, kit).map(({ label, engine, speedup }) => ({ label, color: engine, value: speedup, tip: `${label}: ${formatSpeedup(speedup)} (${ideal})` }));
  const axis = { wide: 'speedup over sequential (×, higher is faster)', narrow: 'speedup (×, higher is faster)' };
  return { type: 'bar', title: 'Speedup over sequential', axis, format: formatSpeedup, refs: [{ x: report.ideal, label: formatFactor(report.ideal), legend: ideal }], bars };
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'engines',
  title: 'Same interface, different engine',

  controls: (caps) => [
    enginePicker(caps),
    {
      legend: 'Settings',
      fields: [
        workersField(caps),
        { kind: 'range', name: 'tasks', label: 'Tasks', min: 1, max: 64, value: 4, hint: 'inputs the map runs over, one chunk each' },
        problemSize([1e6, 1e7, 3e7, 1e8, 3e8], 1e8),
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 15, value: 5, hint: 'timed runs; the chart shows their median' },
        { kind: 'range', name: 'warmup', label: 'Warm-up runs', min: 0, max: 3, value: 1, hint: 'untimed runs first, so start-up costs do not skew the timings' },
      ],
    },
  ],
  runText: (v) => (v.engine.length === 1 ? 'Run sequential only' : `Run on ${v.engine.length} engines`),
  start: (v, _caps, kit) => `Running ${plural(v.engine.length, 'engine')}: ${v.engine.map(kit.label).join(', ')}.`,

  run: { experiment: 'compare', params: ({ engine, ...v }) => ({ engines: engine, workload: 'sum_of_squares', chunksize: 1, ...v }), progress: runsProgress },
  finished: (report) => `Finished: ${plural(report.rows.length, 'engine')} measured.`,
  done: (report, _values, kit) => doneText(readings(report.findings, kit.label).slice(-1)),

  empty: 'Press Run: the timings, speedups and a timeline of who ran what will appear here.',
  resultsData: (report) => ({ engines: report.rows.length }),
  sections: [
    {
      charts: [
        { name: 'time', draw: timeChart },
        { name: 'speedup', draw: speedupChart },
      ],
      table: {
        caption: 'Results of the last run',
        rows,
        row: (r) => ({ engine: r.engine }),
        columns: [
          ...RUN_COLUMNS,
          { key: 'mean_ms', value: (r) => r.mean },
          { key: 'speedup', name: 'Speedup', type: 'num', text: (r) => formatSpeedup(r.speedup) },
          { key: 'verified' },
          { key: 'checksum', name: 'Checksum', type: 'check' },
          { key: 'pool_startup_ms', value: (r) => r.startup_ms },
        ],
        note: ({ rows, tasks, n, cores }) => {
          const pool = rows.find((r) => r.engine === 'processes');
          const startup = !pool
            ? ''
            : pool.startup_ms > 0
              ? ` Starting the pool's ${plural(pool.workers, 'worker')} took ${formatMs(pool.startup_ms)} ms before the first run — paid once, like Python starting its worker processes, and left out of the timings.`
              : ' The process pool was already running, so no start-up cost was paid this time.';
          return `${plural(tasks, 'task')} of n = ${formatCount(n)} each, ${plural(rows[0].summary.count, 'timed run')} per engine on ${plural(cores, 'core')}.${startup}`;
        },
      },
    },
  ],
  timeline: {
    heading: 'Per-worker timeline of the last timed run',
    runs: (report) => report.rows.map(({ engine, timeline }) => ({ engine, chunks: timeline, note: TIMELINE_NOTES[engine] })),
  },
});
