// Lesson 3, "Overhead is real: chunk your work": many tiny inputs mapped at chunk sizes from 1 to all of them, on the threads engine and the process
// pool, against the plain sequential loop, in one `sweepChunks` call. The core's report prices one chunk per engine (a line through time against
// chunk count) and says what the sweep shows; its `chunkPlan` gives the slider's choices and the sizes a sweep measures. A declaration for the lesson
// kit (its intro is chunking.html): it lays the report out, computing nothing.
import { defineLesson, enginePicker, pointCount, runsProgress, workersField } from '../kit/lesson-kit.js';
import { sentence } from '../kit/findings.js';
import { compactCount, formatChunks, formatCount, formatMs, formatMsUnit, formatSpeedup, formatUs, plural } from '../kit/format.js';

/** The two workloads: a cheap one and an almost free one (the extreme case). */
const WORKLOADS = {
  is_prime: { n: 1_000_000, hint: 'inputs from 1,000,000, tested by trial division: about a microsecond each' },
  square: { n: 1, hint: 'inputs from 1, one multiplication each: the extreme case' },
};
/** Engine names short enough for a phone's legend. */
const SHORT = { threads: 'Threads', processes: 'Pool' };

const range = (s) => `median ${formatMs(s.median)} ms (min ${formatMs(s.min)}, max ${formatMs(s.max)})`;
/** A median with its fastest-to-slowest whisker, at `x`. */
const dot = (x, s, tip, mark) => ({ x, y: s.median, lo: s.min, hi: s.max, tip, mark });
const named = (s, kit) => ({ label: kit.label(s.engine), short: SHORT[s.engine], color: s.engine });

/** Every measurement as a row, the loop first, with the settings the CSV repeats. */
function rows(report, _v, kit) {
  const loop = { ...report.sequential, engine: 'sequential', label: 'Sequential loop', workers: 1 };
  const points = report.series.flatMap((s) => s.points.map((p) => ({ ...p, engine: s.engine, workers: report.workers, overhead_us: s.overhead_us })));
  return [loop, ...points].map((r) => ({ ...r, workload: report.workload, tasks: report.tasks, cores: kit.caps.cores, repetitions: report.repetitions }));
}

/** The loop's median as a dashed line from `from` to `to` chunks (or inputs per chunk). */
function loopLine(report, from, to) {
  const s = report.sequential.summary;
  const tip = `Sequential loop (one chunk, no messages): ${range(s)}`;
  const points = [from, to].map((x) => ({ x, y: s.median, tip }));
  return { label: `Sequential loop: ${formatMs(s.median)} ms`, short: `Loop: ${formatMs(s.median)} ms`, color: 'sequential', dash: [7, 5], width: 2.5, radius: 0, points };
}

function sweepChart(report, _v, kit) {
  const tip = (s, p) => `${kit.label(s.engine)}, ${formatChunks(p.chunks)} of ${formatCount(p.chunksize)}: ${range(p.summary)}`;
  const series = report.series.map((s) => ({ ...named(s, kit), points: s.points.map((p) => dot(p.chunksize, p.summary, tip(s, p), p.chunksize === report.chosen)) }));
  const title = { wide: 'Total time against chunk size', narrow: ['Total time against', 'chunk size'] };
  const x = { log: true, title: { wide: 'chunk size: inputs per chunk (log scale)', narrow: 'inputs per chunk (log)' } };
  const y = { log: true, format: compactCount, title: { wide: 'time for the whole map (ms, log scale)', narrow: 'time (ms, log)' } };
  return { type: 'line', title, aria: 'Median time against chunk size', x, y, format: formatMsUnit, series: [...series, loopLine(report, 1, report.tasks)] };
}

function fitChart(report, _v, kit) {
  const most = Math.max(1, ...report.series.flatMap((s) => s.points.map((p) => p.chunks)));
  const series = report.series.flatMap((s) => {
    const label = kit.label(s.engine);
    const tip = (p) => `${label}: ${formatChunks(p.chunks)} of ${formatCount(p.chunksize)}, ${range(p.summary)}`;
    const points = { ...named(s, kit), line: false, points: s.points.map((p) => dot(p.chunks, p.summary, tip(p))) };
    if (!s.line_ends) return [points];
    const fee = `${formatUs(s.overhead_us)} µs per chunk`;
    const ends = s.line_ends.map(([x, y]) => ({ x, y, tip: `${label} fit: ${fee} (${formatMs(s.line.intercept)} ms with no chunks at all)` }));
    const short = `${SHORT[s.engine]}: ${formatUs(s.overhead_us)} µs/chunk`;
    return [points, { label: `${label} fit: ${fee}`, short, color: s.engine, dash: [4, 4], width: 1.5, radius: 0, points: ends }];
  });
  const title = { wide: 'Time against number of chunks: the slope is the cost per chunk', narrow: ['Time against chunks:', 'slope = cost per chunk'] };
  const x = { min: 0, format: formatCount, title: 'number of chunks' };
  const y = { title: 'time for the whole map (ms)' };
  return { type: 'line', title, aria: 'Median time against number of chunks, with fitted lines', x, y, format: formatMsUnit, series: [...series, loopLine(report, 0, most)] };
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'chunking',
  title: 'Overhead is real: chunk your work',
  stylesheet: new URL('./chunking.css', import.meta.url),

  // The core's plan for these settings: the slider's choices, the sizes a sweep measures, the chosen size's chunks.
  preview: { experiment: 'chunkPlan', params: (v) => ({ tasks: v.tasks, workers: v.workers, chunksize: v.chunksize }) },
  controls: (caps) => [
    enginePicker(caps, {
      ids: ['sequential', 'threads', 'processes'],
      notes: { sequential: 'always runs: the loop to beat', threads: 'chunks from a shared queue', processes: 'chunks sent as copied messages' },
    }),
    {
      legend: 'Settings',
      fields: [
        { kind: 'select', name: 'workload', label: 'Workload', values: Object.keys(WORKLOADS), value: 'is_prime', hint: (v) => WORKLOADS[v.workload]?.hint ?? '' },
        { kind: 'range', name: 'tasks', label: 'Inputs', min: 1000, max: 20000, step: 1000, value: 10000, format: formatCount, hint: 'how many numbers the map runs over' },
        {
          kind: 'log',
          name: 'chunksize',
          label: 'Chunk size',
          value: 10,
          format: formatCount,
          values: (_v, _caps, plan) => plan?.choices ?? [10],
          hint: (_v, _caps, plan) =>
            plan
              ? `${formatCount(plan.tasks)} inputs ÷ ${formatCount(plan.chunksize)} per chunk = ${formatChunks(plan.chunks)}; its timeline is shown after the run`
              : 'inputs per chunk, on a log scale',
          moved: (from, to, v) =>
            from > v.tasks ? `Chunk size lowered from ${formatCount(from)} to ${formatCount(to)}: a chunk cannot hold more than all ${formatCount(v.tasks)} inputs.` : '',
        },
        workersField(caps),
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 9, value: 3, hint: 'timed runs per point; the charts show their median and range' },
        { kind: 'range', name: 'warmup', label: 'Warm-up runs', min: 0, max: 3, value: 1, hint: 'untimed runs first, so start-up does not skew the timings' },
      ],
    },
    {
      kind: 'radio',
      name: 'mode',
      legend: 'Run measures',
      class: 'chunking-mode',
      options: [
        { value: 'sweep', label: 'a sweep of chunk sizes', checked: true },
        { value: 'single', label: 'only the chunk size on the slider', note: 'adds one point to the charts, keeping the others while the settings stay the same' },
      ],
    },
  ],
  formLabel: 'Chunking settings',
  runText: (v, _caps, plan) => {
    if (v.engine.length === 1) return 'Run the sequential loop only';
    if (v.mode === 'single') return `Run chunk size ${formatCount(v.chunksize)}`;
    return plan ? `Sweep ${plan.sizes.length} chunk sizes` : 'Sweep the chunk sizes';
  },
  runHint: (v, _caps, plan) => (v.mode === 'sweep' && plan ? `Chunk sizes measured: ${plan.sizes.map(formatCount).join(', ')}.` : ''),
  start: (v, _caps, kit) =>
    v.engine.length === 1
      ? 'No parallel engine is ticked, so only the sequential loop runs: there is nothing to chunk.'
      : `Measuring ${v.mode === 'sweep' ? 'a sweep of chunk sizes' : `chunk size ${formatCount(v.chunksize)}`} on ${v.engine.slice(1).map(kit.label).join(' and ')}, plus the sequential loop: ${formatCount(v.tasks)} inputs of ${v.workload}, ${plural(v.workers, 'worker')}, ${plural(v.repetitions, 'timed run')} each.`,
  run: {
    experiment: 'sweepChunks',
    // An unknown workload goes without `n`, for the driver to refuse by name.
    params: ({ engine, mode, ...v }) => ({ ...v, engines: engine, ...(WORKLOADS[v.workload] && { n: WORKLOADS[v.workload].n }), sweep: mode === 'sweep', keep: mode === 'single' }),
    progress(p, v, kit) {
      const [fraction, text] = runsProgress(p, v, kit);
      return [fraction, p.engine === 'sequential' ? text : `${text} at chunk size ${formatCount(p.chunksize)}`];
    },
  },
  finished: (report) => `Finished: ${plural(pointCount(report), 'engine and chunk size pair')} measured against the sequential loop.`,

  empty: 'Press Run: total time against chunk size, the price of one chunk and a timeline of the chosen chunk size will appear here.',
  resultsData: (report) => ({ points: pointCount(report) }),
  sections: [
    {
      name: 'fit',
      layout: 'stack',
      show: (report) => report.series.length > 0,
      charts: [
        { name: 'sweep', draw: sweepChart },
        { name: 'fit', draw: fitChart },
      ],
      note: 'Points are medians; whiskers run from the fastest to the slowest timed run. The diamond marks the chunk size on the slider, whose timeline is below. On the second chart, the dotted lines are the fitted straight lines. The tables below hold every number.',
      table: {
        name: 'fit',
        caption: 'The price of one chunk',
        row: (s) => ({ engine: s.engine }),
        rows: (report) => report.series,
        columns: [
          { type: 'engine' },
          { name: 'µs per chunk', type: 'num', text: (s) => formatUs(s.overhead_us) },
          { name: 'Time with no chunks (ms)', type: 'num', text: (s) => formatMs(s.line?.intercept) },
          { name: 'Predicted crossover', type: 'num', text: (s) => (s.crossover ? formatCount(s.crossover) : s.line ? 'never' : '—') },
          { name: 'Measured crossover', type: 'num', text: (s) => (s.wins_from ? formatCount(s.wins_from) : 'never') },
          { name: 'Points fitted', type: 'num', text: (s) => `${s.points.filter((p) => p.fitted).length}${s.line ? '' : ' (too few)'}` },
        ],
        note: () =>
          'A least-squares line through time against number of chunks, over the sizes that give every worker at least one chunk. Its slope is the wall-clock time one more chunk adds; the predicted crossover is the smallest chunk size the line says beats the sequential loop, the measured one the smallest that did.',
      },
    },
    {
      name: 'measurements',
      layout: 'stack',
      table: {
        caption: 'Every measurement',
        rows,
        row: (r) => ({ engine: r.engine, chunksize: r.chunksize, chunks: r.chunks, wins: r.wins }),
        columns: [
          { type: 'engine' },
          ...['workload', 'tasks', 'workers', 'cores'].map((key) => ({ key })),
          { key: 'chunksize', name: 'Chunk size', type: 'num', text: (r) => `${formatCount(r.chunksize)}${r.engine === 'sequential' ? ' (all)' : ''}` },
          { key: 'chunks', name: 'Chunks', type: 'num', text: (r) => formatCount(r.chunks) },
          { key: 'repetitions' },
          { summary: (r) => r.summary },
          { key: 'speedup', name: 'Speedup', type: 'num', text: (r) => formatSpeedup(r.speedup) },
          { key: 'verified' },
          { key: 'checksum', name: 'Checksum', type: 'check' },
          { key: 'fitted_us_per_chunk', value: (r) => r.overhead_us },
        ],
        note: (report, _v, kit) =>
          `${formatCount(report.tasks)} inputs of ${report.workload} from ${formatCount(report.n)}, ${plural(report.workers, 'worker')} on ${plural(kit.caps.cores, 'core')}, ${plural(report.repetitions, 'timed run')} per row after ${plural(report.warmup, 'warm-up run')}. Speedup is the sequential loop's median divided by the row's; every checksum matched the sequential one.`,
      },
    },
  ],
  timeline: {
    heading: 'Per-worker timeline of one chunk size',
    pickers: [
      { name: 'engine', label: 'Engine' },
      { name: 'size', label: 'Chunk size' },
    ],
    // One run per engine and size, picked by both; the chosen size's opens first, with what the core read in it.
    runs: (report, _v, kit) =>
      report.series.flatMap(({ engine, points }) =>
        points.map((p) => ({
          engine,
          label: `${kit.label(engine)}, chunk size ${formatCount(p.chunksize)}`,
          chunks: p.timeline,
          pick: [engine, p.chunksize],
          text: [kit.label(engine), `${formatCount(p.chunksize)} (${formatChunks(p.chunks)})`],
          preferred: p.chunksize === report.chosen,
          note: p.timeline_reading ? sentence(p.timeline_reading, kit.label) : '',
          data: { chunksize: p.chunksize, tasks: report.tasks },
        })),
      ),
  },
});
