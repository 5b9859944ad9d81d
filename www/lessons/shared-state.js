// Lesson 5, "Share results, not state": process-pool workers append to "the shared list" (each touches only its own copy, so the page's list stays
// empty), and threads over one shared memory count into one counter three ways. A declaration for the lesson kit (its intro is shared-state.html):
// the engines run both experiments and the core reads them.
import { h } from '../lib/dom.js';
import { defineLesson, threadsOff, workersField } from '../kit/lesson-kit.js';
import { readings, sentence } from '../kit/findings.js';
import { compactCount, formatCount, formatMs, plural } from '../kit/format.js';

/** The three ways of counting, in the order they run; colours are Okabe–Ito (shared-state.css has them for the swatches). */
const STRATEGIES = {
  racy_increment: { label: 'Racy read, then write', color: '#CC79A7' },
  atomic_increment: { label: 'Atomic increment', color: '#0072B2' },
  return_and_combine: { label: 'Return and combine', color: '#009E73' },
};
const named = (row) => STRATEGIES[row.strategy] ?? { label: row.strategy, color: '#999999' };

/** The page's list, then each worker's copy. */
const lists = (list) => [
  { id: 'page', csv: 'page_list', what: "The page's list", items: list.parent_length },
  ...list.worker_lengths.map((items, w) => ({ id: `worker-${w}`, csv: `worker_${w}_copy`, what: `Worker ${w}'s copy`, items })),
];
const CSV_KEYS = ['experiment', 'what', 'run', 'workers', 'increments_per_worker', 'expected', 'counted', 'lost', 'ms', 'items', 'cores'];

/** The list chart: the page's list against each worker's copy. */
function listChart({ list }) {
  const rows = lists(list);
  const only = (page) => rows.map((r, i) => ((i === 0) === page ? r.items : null));
  const series = [
    { label: "the page's list", color: 'sequential', values: only(true), grouped: false },
    { label: "pool workers' copies", color: 'processes', values: only(false), grouped: false },
  ];
  const title = { wide: 'Items in each list after the workers appended', narrow: ['Items in each list', 'after the workers appended'] };
  const aria = "Items in the page's list and in each worker's copy";
  return { type: 'bar', title, axis: 'items in the list', aria, format: (n) => `${formatCount(n)} items`, labels: rows.map((r) => r.what), series };
}

/** What the counter ended at per strategy, its lost updates stacked on, against the expected count. */
function countChart({ count: { rows } }) {
  const expected = rows[0].expected;
  const tips = (word, key) => rows.map((r) => `${word}: ${formatCount(r[key])} of ${formatCount(expected)}`);
  const counted = rows.map((r, i) => ({ ...named(r), values: rows.map((_, j) => (j === i ? r.counted : null)), stack: 'count', tips: tips('counted', 'counted') }));
  const lost = { label: 'updates lost', color: 'muted', alpha: 0.25, dash: [3, 3], values: rows.map((r) => r.lost), stack: 'count', tips: tips('lost', 'lost') };
  const axis = { wide: 'final count (median run of each strategy)', narrow: 'final count (median run)' };
  const aria = `Final count per strategy against ${formatCount(expected)} expected`;
  const refs = [{ x: expected, label: `expected ${compactCount(expected)}`, legend: `expected: ${formatCount(expected)}` }];
  const labels = rows.map((r) => named(r).label);
  return { type: 'bar', stacked: true, title: 'What the counter ended at', axis, aria, format: formatCount, ticks: compactCount, labels, series: [...counted, lost], refs };
}

/** How long each strategy took: its median, with its fastest to slowest run. */
function timeChart({ count }) {
  const title = { wide: 'How long each way of counting took', narrow: ['How long each way', 'of counting took'] };
  const bars = count.rows.map((r) => ({ ...named(r), summary: r.summary, runs: plural(r.runs.length, 'run') }));
  return { type: 'bar', title, axis: { wide: 'time for the whole count (ms)', narrow: 'time (ms)' }, aria: 'Median time per strategy', bars };
}

/** The median run's count, marked exact (✓) or short (✗) in words for screen readers too. */
function counted(r) {
  const [mark, said] = r.exact ? ['✓ ', 'exact: '] : ['✗ ', 'short: '];
  const words = [h('span', { attrs: { 'aria-hidden': 'true' }, text: mark }), h('span', { class: 'visually-hidden', text: said })];
  return h('span', { class: r.exact ? 'verified' : 'unverified' }, words, formatCount(r.counted));
}

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'shared-state',
  title: 'Share results, not state',
  stylesheet: new URL('./shared-state.css', import.meta.url),

  controls: (caps) => [
    {
      kind: 'checks',
      name: 'part',
      legend: 'Experiments',
      options: [
        { value: 'pool', label: 'Process pool: a shared list', swatch: 'processes', checked: true },
        { value: 'count', label: 'Shared memory: one counter', swatch: 'threads', checked: true, reason: threadsOff(caps) },
      ],
    },
    {
      legend: 'Settings',
      fields: [
        workersField(caps, {
          hint: `pool workers or threads; this device reports ${plural(caps.cores, 'core')}`,
          warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): they take turns, and racing needs them to run at the same moment` : ''),
        }),
        {
          kind: 'select',
          name: 'increments',
          label: 'Increments per worker',
          values: [1e5, 1e6, 1e7, 3e7, 5e7],
          format: formatCount,
          value: 1e7,
          hint: (v) =>
            `each worker adds this many${typeof v.increments === 'number' ? `; a correct count ends at ${formatCount(v.workers)} × ${formatCount(v.increments)} = ${formatCount(v.workers * v.increments)}` : ''}`,
        },
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 10, value: 3, hint: 'timed counts per strategy; all are kept' },
      ],
    },
  ],
  runText: (v) => (v.part.length === 2 ? 'Run both experiments' : ({ pool: 'Run the process-pool list', count: 'Run the shared counter' }[v.part[0]] ?? 'Run')),
  blocked: (v) => (v.part.length ? '' : 'Choose at least one experiment.'),

  /** The list first (a small share of the bar), then the counter; each shown as it arrives. */
  async run({ part, workers, increments, repetitions }, kit) {
    const report = {};
    const share = part.includes('count') ? (part.includes('pool') ? 0.15 : 0) : 1;
    if (part.includes('pool')) {
      kit.progress(0, `Process pool: ${plural(workers, 'worker')} appending to their lists`);
      report.list = await kit.call('sharedList', { workers }, { label: 'Process pool' });
      kit.show(report);
      kit.progress(share, 'Process pool: done');
    }
    if (part.includes('count')) {
      const progress = (p) => [share + (1 - share) * (p.done / p.total), `Shared counter: ${named(p).label}, run ${(p.done % repetitions) + 1}/${repetitions}`];
      report.count = await kit.call('count', { workers, increments, repetitions }, { label: 'Shared counter', progress });
    }
    return report;
  },
  done: ({ list, count }) => {
    const [copies, summary] = [list?.findings.find((f) => f.kind === 'shared_list')?.copies, count?.findings.find((f) => f.kind === 'count_summary')];
    return ['Done.', list && (copies ? "The page's list stayed empty." : "The page's list changed, which it should not."), summary && sentence(summary)].filter(Boolean).join(' ');
  },

  empty: "Press Run: the lists' lengths, the final counts and the time of each way of counting will appear here.",
  has: (report) => Boolean(report.list || report.count),
  // The summary finding is the Done message; the readings are one per list and strategy.
  reading: (report, _v, kit) => readings([...(report.list?.findings ?? []), ...(report.count?.findings ?? []).filter((f) => f.kind !== 'count_summary')], kit.label),
  sections: [
    {
      name: 'pool',
      heading: 'In the process pool: appending to "the shared list"',
      show: ({ list }) => Boolean(list),
      charts: [{ name: 'list', draw: listChart }],
      table: {
        name: 'list',
        caption: 'Lists after the workers appended',
        rows: ({ list }) => lists(list),
        row: (r) => ({ list: r.id, items: r.items }),
        columns: [
          { name: 'List', type: 'head', text: (r) => r.what },
          { name: 'Items', type: 'num', text: (r) => formatCount(r.items) },
        ],
        note: ({ list }) =>
          `Each worker was sent the page's empty list and appended ${formatCount(list.appended_per_worker)} numbers to it. What arrived was a structured clone — the browser's pickle — so each change happened in a copy that never travelled back.`,
      },
    },
    {
      name: 'count',
      show: ({ count }) => Boolean(count),
      charts: [
        { name: 'count', draw: countChart },
        { name: 'time', draw: timeChart },
      ],
      table: {
        name: 'count',
        caption: 'Counting into one counter',
        rows: ({ count }) => count.rows,
        row: (r) => ({ strategy: r.strategy, expected: r.expected, counted: r.runs.map((x) => x.counted).join(','), lost: r.runs.map((x) => x.lost).join(','), exact: r.exact }),
        columns: [
          { name: 'Strategy', type: 'head', cell: (r) => [h('span', { class: 'swatch', dataset: { strategy: r.strategy }, attrs: { 'aria-hidden': 'true' } }), named(r).label] },
          { name: 'Counted', type: 'num', cell: counted },
          { name: 'Lost per run', type: 'num', cell: (r) => r.runs.map((x, i) => [i ? h('br') : null, formatCount(x.lost)]) },
          { summary: (r) => r.summary },
        ],
        note: ({ count }, _v, kit) =>
          `${plural(count.workers, 'worker')} × ${formatCount(count.increments)} increments each: a correct count is ${formatCount(count.rows[0]?.expected ?? 0)}. ✓ marks a count that was exact in every run; "Counted" is the run with the median loss, and every run's loss is listed (and in the CSV). Times are for the whole count, ${plural(count.rows[0]?.runs.length ?? 0, 'timed run')} per strategy, on ${plural(kit.caps.cores, 'core')}.`,
      },
    },
  ],
  csv: {
    columns: CSV_KEYS.map((key) => ({ key })),
    rows: ({ list, count }, _v, kit) =>
      [
        ...(list ? lists(list).map((r) => ({ experiment: 'pool', what: r.csv, workers: list.worker_lengths.length, items: r.items })) : []),
        ...(count?.rows ?? []).flatMap((r) =>
          r.runs.map((run, i) => ({ experiment: 'shared_memory', what: r.strategy, run: i + 1, workers: count.workers, increments_per_worker: count.increments, ...run })),
        ),
      ].map((line) => ({ ...line, cores: kit.caps.cores })),
  },
});
