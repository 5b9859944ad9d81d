// Lesson 1, "Same interface, different engine": one `map` of a CPU-bound function, run on
// the four engines with the same settings, timed and compared. A declaration for the
// lesson kit: the driver's `compare` experiment runs every engine in one call, and the
// core's report brings the summaries, speedups and findings the page lays out.
import { defineLesson, enginePicker, runsProgress } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatFactor, formatMs, formatSpeedup, plural } from '../kit/format.js';

const PYTHON_SNIPPET = `import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import ProcessPoolExecutor

def busy(seed):
    """Pure CPU work: nothing to wait for."""
    acc = 0
    for k in range(10_000_000):
        acc += k * k
    return acc

def seconds_for(Executor):
    began = time.perf_counter()
    with Executor(max_workers=4) as pool:
        list(pool.map(busy, range(4)))
    return time.perf_counter() - began

if __name__ == "__main__":
    # The calls differ by one word; only one scales.
    print("threads:  ", seconds_for(ThreadPoolExecutor))
    print("processes:", seconds_for(ProcessPoolExecutor))`;

/** How each engine maps onto what a Python programmer knows. */
const ENGINES = [
  ['sequential', 'Sequential', 'One worker runs every task in turn: a plain for loop, and the yardstick for the others.'],
  [
    'gil',
    'Threads with a GIL',
    'Several threads, but a thread must hold one shared lock to compute, just as Python threads must hold the GIL. They take turns, so CPU-bound work gets no faster.',
  ],
  [
    'threads',
    'Threads (shared memory)',
    'Threads over one shared memory and no global lock, so they really run at the same time on different cores: the speedup Python gets from processes.',
  ],
  [
    'processes',
    'Process pool',
    'Separate wasm instances, each with its own memory, fed by copied messages — the way a ProcessPoolExecutor pickles arguments to its worker processes. Starting the pool costs time once.',
  ],
];

const TIMELINE_NOTES = {
  gil: 'With a GIL the bars overlap although only one worker computes at any moment: each bar runs from when its worker picked the chunk up to when it finished, waiting for the lock included (hover a bar for the wait).',
  processes: 'Each bar is a chunk computed inside one pool worker; the gaps before and between bars are messages being copied there and back (hover for the times).',
  sequential: 'One worker, one chunk after another: the baseline.',
  threads: 'Each bar is a chunk; bars that overlap in time really ran at the same time on different cores.',
};

/** The report's rows as table and CSV rows: the settings they ran with and their timed runs' summary. */
const rows = (report, _values, kit) =>
  report.rows.map((r) => ({
    ...r,
    ...r.summary,
    label: kit.label(r.engine),
    cores: report.cores,
    tasks: report.tasks,
    n: report.n,
    repetitions: r.summary.count,
    speedup: r.speedup?.speedup,
  }));

const lesson = defineLesson({
  id: 'engines',
  title: 'Same interface, different engine',
  intro: {
    lead: 'In Python, switching CPU-heavy work from a thread pool to a process pool is often a one-word change, yet one version crawls and the other uses every core. Here the same map — a sum of squares per task — runs on four engines, so you can watch that difference happen.',
    body: [
      { terms: ENGINES.map(([engine, term, text]) => ({ term, text, swatch: engine })) },
      'Every engine computes the same answers in the same order; each run is checked against the sequential result before its time is shown.',
    ],
    snippet: { caption: 'The Python version: swap the executor, keep everything else', code: PYTHON_SNIPPET },
  },

  controls: (caps) => [
    enginePicker(caps),
    {
      legend: 'Settings',
      fields: [
        {
          kind: 'range',
          name: 'workers',
          label: 'Workers',
          min: 1,
          max: caps.maxWorkers,
          value: Math.min(caps.maxWorkers, Math.max(Math.min(2, caps.maxWorkers), Math.min(caps.cores, 4))),
          hint: `threads or pool workers; this device reports ${plural(caps.cores, 'core')}`,
          warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): extra workers can only take turns` : ''),
        },
        { kind: 'range', name: 'tasks', label: 'Tasks', min: 1, max: 64, value: 4, hint: 'inputs the map runs over, one chunk each' },
        {
          kind: 'select',
          name: 'n',
          label: 'Problem size n per task',
          values: [1e6, 1e7, 3e7, 1e8, 3e8],
          format: formatCount,
          value: 1e8,
          hint: 'each task adds up k × k for about n values of k',
        },
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 15, value: 5, hint: 'timed runs; the chart shows their median' },
        { kind: 'range', name: 'warmup', label: 'Warm-up runs', min: 0, max: 3, value: 1, hint: 'untimed runs first, so start-up costs do not skew the timings' },
      ],
    },
  ],
  runText: (v) => (v.engine.length === 1 ? 'Run sequential only' : `Run on ${v.engine.length} engines`),
  start: (v, caps) => `Running ${plural(v.engine.length, 'engine')}: ${v.engine.map((e) => caps.engines.find((x) => x.id === e)?.label ?? e).join(', ')}.`,

  run: {
    experiment: 'compare',
    params: (v) => ({ engines: v.engine, workload: 'sum_of_squares', workers: v.workers, tasks: v.tasks, n: v.n, chunksize: 1, repetitions: v.repetitions, warmup: v.warmup }),
    progress: runsProgress,
  },
  finished: (report) => `Finished: ${plural(report.rows.length, 'engine')} measured.`,
  done: (report, _values, kit) => `Done. ${readings(report.findings, kit.label).at(-1)?.text ?? ''}`,

  empty: 'Press Run: the timings, speedups and a timeline of who ran what will appear here.',
  resultsData: (report) => ({ engines: String(report.rows.length) }),
  sections: [
    {
      charts: [
        {
          name: 'time',
          draw: (report, v, kit) => ({
            type: 'bar',
            title: { wide: 'How long the same map takes on each engine', narrow: ['How long the same map', 'takes on each engine'] },
            axis: {
              wide: ['time for one map over all tasks (ms)', 'bar: median · whisker: fastest to slowest run'],
              narrow: ['time per map (ms)', 'bar: median, whisker: min–max'],
            },
            aria: 'Median time per engine',
            format: (ms) => `${formatMs(ms)} ms`,
            bars: rows(report, v, kit).map((r) => ({
              label: r.label,
              color: r.engine,
              value: r.median,
              range: [r.min, r.max],
              tip: `${r.label}: median ${formatMs(r.median)} ms (min ${formatMs(r.min)}, max ${formatMs(r.max)}, ${r.repetitions} timed runs)`,
            })),
          }),
        },
        {
          name: 'speedup',
          draw: (report, v, kit) => ({
            type: 'bar',
            title: 'Speedup over sequential',
            axis: { wide: 'speedup over sequential (×, higher is faster)', narrow: 'speedup (×, higher is faster)' },
            format: formatSpeedup,
            refs: [{ x: report.ideal, label: formatFactor(report.ideal), legend: `ideal on this machine: ${formatFactor(report.ideal)}` }],
            bars: rows(report, v, kit).map((r) => ({
              label: r.label,
              color: r.engine,
              value: r.speedup,
              tip: `${r.label}: ${formatSpeedup(r.speedup)} (ideal on this machine: ${formatFactor(report.ideal)})`,
            })),
          }),
        },
      ],
      table: {
        caption: 'Results of the last run',
        rows,
        row: (r) => ({ engine: r.engine }),
        columns: [
          { key: 'engine' },
          { key: 'label', name: 'Engine', type: 'engine' },
          { key: 'workers', name: 'Workers', type: 'num' },
          ...['cores', 'tasks', 'n', 'repetitions'].map((key) => ({ key })),
          { key: 'median_ms', name: 'Median (ms)', type: 'num', value: (r) => r.median, text: (r) => formatMs(r.median) },
          ...[
            ['min_ms', 'min'],
            ['max_ms', 'max'],
          ].map(([key, field]) => ({ key, value: (r) => r[field] })),
          { name: 'Min–max (ms)', type: 'num', text: (r) => `${formatMs(r.min)}–${formatMs(r.max)}` },
          { key: 'mean_ms', value: (r) => r.mean },
          { key: 'speedup', name: 'Speedup', type: 'num', text: (r) => formatSpeedup(r.speedup) },
          { key: 'verified' },
          { key: 'checksum', name: 'Checksum', type: 'check' },
          { key: 'pool_startup_ms', value: (r) => r.startup_ms },
        ],
        note: (report) => {
          const pool = report.rows.find((r) => r.engine === 'processes');
          const notes = [
            `${plural(report.tasks, 'task')} of n = ${formatCount(report.n)} each, ${plural(report.rows[0].summary.count, 'timed run')} per engine on ${plural(report.cores, 'core')}.`,
          ];
          if (pool?.startup_ms > 0) {
            notes.push(
              `Starting the pool's ${plural(pool.workers, 'worker')} took ${formatMs(pool.startup_ms)} ms before the first run — paid once, like Python starting its worker processes, and left out of the timings.`,
            );
          } else if (pool) {
            notes.push('The process pool was already running, so no start-up cost was paid this time.');
          }
          return notes.join(' ');
        },
      },
    },
  ],
  csv: { table: 'results' },
  timeline: {
    heading: 'Per-worker timeline of the last timed run',
    runs: (report, _v, kit) => report.rows.map(({ engine, timeline }) => ({ engine, label: kit.label(engine), chunks: timeline, note: TIMELINE_NOTES[engine] })),
  },
});

export const { id, title, intro, mount, applyPreset, readState } = lesson;
export default lesson;
