// Lesson 8, "Start-up and the entry point": a process-pool worker starts from nothing. It loads the playground's module and instantiates its own copy
// of the wasm core, so the module's top-level code runs again in every worker, as a child process imports your script. A declaration for the lesson
// kit (its intro is startup.html): the driver's `amortisation` experiment runs, per run length, the map sequentially and on a freshly restarted pool,
// and the core's report (src/findings/startup.rs) sets start-up apart from compute.
import { defineLesson, doneText, workersField } from '../kit/lesson-kit.js';
import { readings } from '../kit/findings.js';
import { formatCount, formatMs, formatMsUnit, formatSpeedup, plural } from '../kit/format.js';

const TASKS = 4;
/** Run lengths: n per task; the default run leaves out the longest. */
const SIZES = [1e6, 1e7, 1e8, 3e8, 1e9];
const STEPS = { sequential: 'sequential run', first: "the fresh pool's first run", warm: 'warm pool run' };
const RUN_AXIS = { wide: 'run length (tasks × n per task)', narrow: 'tasks × n' };
/** The CSV's header line: a row per worker's start-up, then one per run length. */
const CSV_HEAD =
  'part,what,tasks,n_per_task,workers,startup_ms,sequential_median_ms,sequential_min_ms,sequential_max_ms,first_run_ms,warm_median_ms,warm_min_ms,warm_max_ms,startup_plus_first_ms,load_ms,ready_ms,speedup_with_startup,speedup_warm,verified,checksum,cores';

const sizeName = (r) => `${r.tasks} × ${formatCount(r.n)}`;
const range = (s) => `${formatMs(s.min)}–${formatMs(s.max)}`;
/** A summary's median, min and max as CSV fields `<part>_median_ms`, …. */
const fields = (part, s) => Object.fromEntries(['median', 'min', 'max'].map((m) => [`${part}_${m}_ms`, s[m]]));

/** Each worker's start-up: creating it and fetching its script, then its own wasm core. */
function workersChart({ pool: { workers } }) {
  const title = { wide: 'Pool start-up: every worker loads its own module', narrow: ['Pool start-up: every worker', 'loads its own module'] };
  const series = [
    { label: 'starting the worker, fetching its script', color: 'text', alpha: 0.22, values: workers.map((w) => Math.max(0, w.ready_ms - w.load_ms)) },
    { label: 'its own wasm core: load + instantiate', color: 'processes', values: workers.map((w) => w.load_ms) },
  ];
  const labels = workers.map((w) => `worker ${w.worker}`);
  return { type: 'bar', stacked: true, title, axis: 'time since the restart began (ms)', aria: 'Pool start-up per worker', format: formatMsUnit, labels, series };
}

/** Per run length: the sequential median beside start-up plus the fresh pool's first run. */
function amortisationChart({ rows }) {
  const title = { wide: 'Start-up and compute, for runs of growing length', narrow: ['Start-up and compute,', 'for runs of growing length'] };
  const series = [
    { label: 'sequential (median)', color: 'sequential', values: rows.map((r) => r.sequential.median), stack: 'sequential' },
    { label: 'pool start-up', color: 'text', alpha: 0.3, values: rows.map((r) => r.startup_ms), stack: 'pool' },
    { label: "fresh pool's first run", color: 'processes', values: rows.map((r) => r.first_ms), stack: 'pool' },
  ];
  return { type: 'columns', title, categoryAxis: RUN_AXIS, axis: 'time (ms)', aria: 'Time per run length', format: formatMsUnit, labels: rows.map(sizeName), series };
}

const speedupChart = ({ rows }) => ({
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
});

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'startup',
  title: 'Start-up and the entry point',

  controls: (caps) => [
    {
      kind: 'checks',
      name: 'size',
      legend: `Run lengths (${TASKS} tasks × n iterations each)`,
      options: SIZES.map((n) => ({ value: n, label: `${TASKS} × ${formatCount(n)}`, checked: n < 1e9 })),
    },
    {
      legend: 'Settings',
      name: 'settings',
      fields: [
        workersField(caps, {
          label: 'Pool workers',
          hint: `each one starts from nothing; this device reports ${plural(caps.cores, 'core')}`,
          warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): each still has to start, but they cannot all compute at once` : ''),
        }),
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
  done: (report) => doneText(readings(report.findings.filter((f) => f.kind !== 'pool_started')), 2),

  empty: "Press Run: each pool worker's start-up, and how start-up and compute add up for runs of growing length, will appear here.",
  has: (report) => report.rows.length > 0,
  resultsData: (report) => ({ startup: report.pool?.startup_ms ?? '' }),
  sections: [
    {
      name: 'pool',
      heading: 'Starting the pool: the entry point runs in every worker',
      show: (report) => Boolean(report.pool),
      charts: [{ name: 'workers', draw: workersChart }],
      table: {
        name: 'workers',
        caption: 'Start-up per worker',
        rows: ({ pool }) => pool.workers,
        row: (w) => ({ worker: w.worker, load: w.load_ms, ready: w.ready_ms }),
        columns: [
          { name: 'Worker', type: 'head', text: (w) => `Worker ${w.worker}` },
          { name: 'Own module (ms)', type: 'num', text: (w) => formatMs(w.load_ms) },
          { name: 'Ready after (ms)', type: 'num', text: (w) => formatMs(w.ready_ms) },
        ],
        note: ({ pool }) =>
          `The whole pool was ready after ${formatMsUnit(pool.startup_ms)} (the first restart of this run). "Own module" is the time from the worker's top-level code starting to its wasm core being ready; "Ready after" counts from the restart, so it also holds creating the worker and fetching its script.`,
      },
    },
    {
      name: 'amortisation',
      layout: 'stack',
      charts: [
        { name: 'amortisation', draw: amortisationChart },
        { name: 'speedup', draw: speedupChart },
      ],
      table: {
        caption: 'Start-up against compute',
        rows: ({ rows }) => rows,
        row: (r) => ({
          n: r.n,
          sequential: r.sequential.median,
          startup: r.startup_ms,
          first: r.first_ms,
          total: r.total_ms,
          warm: r.warm.median,
          speedupWith: r.speedup_fresh,
          speedupWarm: r.speedup_warm,
          verified: r.verified,
        }),
        columns: [
          { name: 'Run', type: 'head', text: sizeName },
          { name: 'Sequential (ms)', type: 'num', text: (r) => formatMs(r.sequential.median), hint: (r) => range(r.sequential) },
          { name: 'Start-up (ms)', type: 'num', text: (r) => formatMs(r.startup_ms) },
          { name: 'First run (ms)', type: 'num', text: (r) => formatMs(r.first_ms) },
          { name: 'Warm (ms)', type: 'num', text: (r) => formatMs(r.warm.median), hint: (r) => range(r.warm) },
          { name: 'Speedup', type: 'num', text: (r) => formatSpeedup(r.speedup_fresh), hint: (r) => `warm ${formatSpeedup(r.speedup_warm)}` },
          { name: 'Checksum', key: 'checksum', type: 'check' },
        ],
        note: ({ rows, workers }, _v, kit) =>
          `${plural(TASKS, 'task')} per run on ${plural(workers, 'pool worker')} and ${plural(kit.caps.cores, 'core')}. For each length: ${plural(rows[0].warm.count, 'sequential run')}, a pool restart, the fresh pool's first run, then ${plural(rows[0].warm.count, 'run')} on the now warm pool (medians, fastest–slowest below). Speedup = sequential ÷ (start-up + first run); "warm" = sequential ÷ warm median. Every result matched the sequential checksum.`,
      },
    },
  ],
  csv: {
    columns: CSV_HEAD.split(',').map((key) => ({ key })),
    rows: ({ pool, rows, workers }, _v, kit) =>
      [
        ...(pool?.workers ?? []).map((w) => ({ part: 'worker_startup', what: `worker_${w.worker}`, startup_ms: pool.startup_ms, load_ms: w.load_ms, ready_ms: w.ready_ms })),
        ...rows.map((r) => {
          const renamed = { n_per_task: r.n, first_run_ms: r.first_ms, startup_plus_first_ms: r.total_ms, speedup_with_startup: r.speedup_fresh };
          return { ...r, ...renamed, part: 'run_length', what: sizeName(r), workers, ...fields('sequential', r.sequential), ...fields('warm', r.warm) };
        }),
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
        note: `The first map at ${sizeName(r)} on the freshly started pool, after its ${formatMsUnit(r.startup_ms)} start-up (not drawn: the clock starts when the map does). Grey bars are arguments and results being copied; coloured bars are chunks computing.`,
      })),
  },
});
