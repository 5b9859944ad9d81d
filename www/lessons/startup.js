// Lesson 8, "Start-up and the entry point": a process-pool worker starts from nothing. It
// loads the playground's module and instantiates its own copy of the wasm core, so the
// module's top-level code runs again in every worker, as a child process imports your
// script. A declaration for the lesson kit: the driver's `amortisation` experiment runs,
// per run length, the map sequentially and on a freshly restarted pool, and the core's
// report (src/findings/startup.rs) sets start-up apart from compute.
import { h } from '../lib/dom.js';
import { defineLesson } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatMs, formatSpeedup, plural } from '../kit/format.js';

const TASKS = 4;
/** Run lengths: n per task, and whether the default run includes it. */
const SIZES = [
  [1e6, true],
  [1e7, true],
  [1e8, true],
  [3e8, true],
  [1e9, false],
];
const STEPS = { sequential: 'sequential run', first: "the fresh pool's first run", warm: 'warm pool run' };
const RUN_AXIS = { wide: 'run length (tasks × n per task)', narrow: 'tasks × n' };

const PYTHON_SNIPPET = `import os, time
from concurrent.futures import ProcessPoolExecutor

# Runs in the parent, and again in every child
# that imports this file to find busy().
print("top level ran in process", os.getpid())

def busy(n):
    acc = 0
    for k in range(n):
        acc += k * k
    return acc

if __name__ == "__main__":  # children stop here
    for n in (10_000, 1_000_000, 10_000_000):
        began = time.perf_counter()
        with ProcessPoolExecutor(max_workers=2) as pool:
            list(pool.map(busy, [n] * 4))
        print(n, time.perf_counter() - began)`;

const sizeName = (r) => `${r.tasks} × ${formatCount(r.n)}`;
const ms = (x) => `${formatMs(x)} ms`;
/** A cell's figure with a hint beneath (a median's fastest–slowest range, the warm speedup). */
const below = (main, hint) => [main, h('br'), h('span', { class: 'hint', text: hint })];
const range = (s) => `${formatMs(s.min)}–${formatMs(s.max)}`;
const CSV_KEYS = [
  'part',
  'what',
  'tasks',
  'n_per_task',
  'workers',
  'startup_ms',
  'sequential_median_ms',
  'sequential_min_ms',
  'sequential_max_ms',
  'first_run_ms',
  'warm_median_ms',
  'warm_min_ms',
  'warm_max_ms',
  'startup_plus_first_ms',
  'load_ms',
  'ready_ms',
  'speedup_with_startup',
  'speedup_warm',
  'verified',
  'checksum',
  'cores',
];

const lesson = defineLesson({
  id: 'startup',
  title: 'Start-up and the entry point',
  intro: {
    lead: 'A process pool does not hand its workers your running program. Each child starts empty and imports your script to find the function it must run, so everything at the top level of that script runs again in every child. That is why Python insists on the if __name__ == "__main__" guard: without it, each child would try to start a pool of its own.',
    body: [
      "The browser works the same way. Each pool worker here is a fresh Web Worker that loads the playground's module and instantiates its own copy of the WebAssembly core: the module's top-level code runs once per worker, before the first task can start.",
      'That start-up is paid once per pool, however much work follows. Below it is timed apart from the compute, for runs of growing length: for a short run it can cost more than the work; for a long one it fades into the total.',
    ],
    snippet: { caption: 'The Python version: the top level runs in every child', code: PYTHON_SNIPPET },
  },

  controls: (caps) => [
    {
      kind: 'checks',
      name: 'size',
      legend: `Run lengths (${TASKS} tasks × n iterations each)`,
      options: SIZES.map(([n, on]) => ({ value: n, label: `${TASKS} × ${formatCount(n)}`, checked: on })),
    },
    {
      legend: 'Settings',
      name: 'settings',
      fields: [
        {
          kind: 'range',
          name: 'workers',
          label: 'Pool workers',
          min: 1,
          max: caps.maxWorkers,
          value: Math.max(1, Math.min(caps.maxWorkers, Math.max(2, Math.min(caps.cores, 4)))),
          hint: `each one starts from nothing; this device reports ${plural(caps.cores, 'core')}`,
          warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): each still has to start, but they cannot all compute at once` : ''),
        },
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 10, value: 2, hint: 'sequential runs and warm pool runs per length' },
      ],
    },
  ],
  blocked: (v) => (v.size.length ? '' : 'Choose at least one run length.'),
  run: {
    experiment: 'amortisation',
    params: (v) => ({ workers: v.workers, repetitions: v.repetitions, tasks: TASKS, sizes: v.size }),
    progress: (p, v) => {
      const step = p.phase === 'reference' ? 'computing the sequential checksum' : p.phase === 'startup' ? `starting ${plural(v.workers, 'pool worker')}` : STEPS[p.step];
      return [p.done / p.total, `${TASKS} × ${formatCount(p.n)}: ${step}${p.phase === 'timed' && p.runs > 1 ? ` ${p.run + 1}/${p.runs}` : ''}`];
    },
  },
  done: (report) =>
    `Done. ${readings(report.findings.filter((f) => f.kind !== 'pool_started'))
      .slice(0, 2)
      .map((l) => l.text)
      .join(' ')}`,

  empty: "Press Run: each pool worker's start-up, and how start-up and compute add up for runs of growing length, will appear here.",
  has: (report) => report.rows.length > 0,
  resultsData: (report) => ({ startup: String(report.pool?.startup_ms ?? '') }),
  sections: [
    {
      name: 'pool',
      heading: 'Starting the pool: the entry point runs in every worker',
      show: (report) => Boolean(report.pool),
      charts: [
        {
          name: 'workers',
          draw: ({ pool }) => ({
            type: 'bar',
            stacked: true,
            title: { wide: 'Pool start-up: every worker loads its own module', narrow: ['Pool start-up: every worker', 'loads its own module'] },
            axis: 'time since the restart began (ms)',
            aria: 'Pool start-up per worker',
            format: ms,
            labels: pool.workers.map((w) => `worker ${w.worker}`),
            series: [
              { label: 'starting the worker, fetching its script', color: 'text', alpha: 0.22, values: pool.workers.map((w) => Math.max(0, w.ready_ms - w.load_ms)) },
              { label: 'its own wasm core: load + instantiate', color: 'processes', values: pool.workers.map((w) => w.load_ms) },
            ],
          }),
        },
      ],
      table: {
        name: 'workers',
        caption: 'Start-up per worker',
        rows: ({ pool }) => pool.workers,
        row: (w) => ({ worker: String(w.worker), load: String(w.load_ms), ready: String(w.ready_ms) }),
        columns: [
          { name: 'Worker', type: 'head', text: (w) => `Worker ${w.worker}` },
          { name: 'Own module (ms)', type: 'num', text: (w) => formatMs(w.load_ms) },
          { name: 'Ready after (ms)', type: 'num', text: (w) => formatMs(w.ready_ms) },
        ],
        note: ({ pool }) =>
          `The whole pool was ready after ${ms(pool.startup_ms)} (the first restart of this run). "Own module" is the time from the worker's top-level code starting to its wasm core being ready; "Ready after" counts from the restart, so it also holds creating the worker and fetching its script.`,
      },
    },
    {
      name: 'amortisation',
      layout: 'stack',
      charts: [
        {
          name: 'amortisation',
          draw: ({ rows }) => ({
            type: 'bar',
            horizontal: false,
            stacked: true,
            title: { wide: 'Start-up and compute, for runs of growing length', narrow: ['Start-up and compute,', 'for runs of growing length'] },
            categoryAxis: RUN_AXIS,
            axis: 'time (ms)',
            aria: 'Time per run length',
            format: ms,
            labels: rows.map(sizeName),
            series: [
              { label: 'sequential (median)', color: 'sequential', values: rows.map((r) => r.sequential.median), stack: 'sequential' },
              { label: 'pool start-up', color: 'text', alpha: 0.3, values: rows.map((r) => r.startup_ms), stack: 'pool' },
              { label: "fresh pool's first run", color: 'processes', values: rows.map((r) => r.first_ms), stack: 'pool' },
            ],
          }),
        },
        {
          name: 'speedup',
          draw: ({ rows }) => ({
            type: 'line',
            title: { wide: 'Speedup over sequential, with and without start-up', narrow: ['Speedup over sequential,', 'with and without start-up'] },
            aria: 'Speedup over sequential',
            x: { labels: rows.map(sizeName), title: RUN_AXIS },
            y: { title: { wide: 'speedup (×, above 1 the pool wins)', narrow: 'speedup (×)' }, format: formatSpeedup },
            series: [
              { label: 'fresh pool: start-up + first run', color: 'processes', points: rows.map((r) => ({ x: sizeName(r), y: r.speedup_fresh })) },
              { label: 'warm pool: start-up already paid', color: 'blue', dash: [6, 3], point: 'rect', points: rows.map((r) => ({ x: sizeName(r), y: r.speedup_warm })) },
            ],
            refs: [{ y: 1, label: 'break-even 1x', legend: 'break-even: as fast as sequential' }],
          }),
        },
      ],
      table: {
        caption: 'Start-up against compute',
        rows: ({ rows }) => rows,
        row: (r) => ({
          n: String(r.n),
          sequential: String(r.sequential.median),
          startup: String(r.startup_ms),
          first: String(r.first_ms),
          total: String(r.total_ms),
          warm: String(r.warm.median),
          speedupWith: String(r.speedup_fresh),
          speedupWarm: String(r.speedup_warm),
          verified: String(r.verified),
        }),
        columns: [
          { name: 'Run', type: 'head', text: sizeName },
          { name: 'Sequential (ms)', type: 'num', cell: (r) => below(formatMs(r.sequential.median), range(r.sequential)) },
          { name: 'Start-up (ms)', type: 'num', text: (r) => formatMs(r.startup_ms) },
          { name: 'First run (ms)', type: 'num', text: (r) => formatMs(r.first_ms) },
          { name: 'Warm (ms)', type: 'num', cell: (r) => below(formatMs(r.warm.median), range(r.warm)) },
          { name: 'Speedup', type: 'num', cell: (r) => below(formatSpeedup(r.speedup_fresh), `warm ${formatSpeedup(r.speedup_warm)}`) },
          { name: 'Checksum', key: 'checksum', type: 'check' },
        ],
        note: ({ rows, workers }, _v, kit) =>
          `${plural(TASKS, 'task')} per run on ${plural(workers, 'pool worker')} and ${plural(kit.caps.cores, 'core')}. For each length: ${plural(rows[0].warm.count, 'sequential run')}, a pool restart, the fresh pool's first run, then ${plural(rows[0].warm.count, 'run')} on the now warm pool (medians, fastest–slowest below). Speedup = sequential ÷ (start-up + first run); "warm" = sequential ÷ warm median. Every result matched the sequential checksum.`,
      },
    },
  ],
  csv: {
    columns: CSV_KEYS.map((key) => ({ key })),
    rows: ({ pool, rows, workers }, _v, kit) =>
      [
        ...(pool?.workers ?? []).map((w) => ({ part: 'worker_startup', what: `worker_${w.worker}`, startup_ms: pool.startup_ms, load_ms: w.load_ms, ready_ms: w.ready_ms })),
        ...rows.map(({ sequential: s, warm: w, ...r }) => ({
          part: 'run_length',
          what: sizeName(r),
          tasks: r.tasks,
          n_per_task: r.n,
          workers,
          startup_ms: r.startup_ms,
          sequential_median_ms: s.median,
          sequential_min_ms: s.min,
          sequential_max_ms: s.max,
          first_run_ms: r.first_ms,
          warm_median_ms: w.median,
          warm_min_ms: w.min,
          warm_max_ms: w.max,
          startup_plus_first_ms: r.total_ms,
          speedup_with_startup: r.speedup_fresh,
          speedup_warm: r.speedup_warm,
          verified: r.verified,
          checksum: r.checksum,
        })),
      ].map((line) => ({ ...line, cores: kit.caps.cores })),
  },
  timeline: {
    heading: "Per-worker timeline of the fresh pool's first run",
    pickers: [{ name: 'size', label: 'Run' }],
    runs: ({ rows }) =>
      rows.map((r) => ({
        engine: 'processes',
        label: 'Process pool',
        chunks: r.timeline,
        pick: r.n,
        text: sizeName(r),
        what: `the fresh pool's first run at ${sizeName(r)}`,
        note: `The first map at ${sizeName(r)} on the freshly started pool, after its ${ms(r.startup_ms)} start-up (not drawn: the clock starts when the map does). Grey bars are arguments and results being copied; coloured bars are chunks computing.`,
      })),
  },
});

export const { id, title, intro, mount, applyPreset, readState } = lesson;
export default lesson;
