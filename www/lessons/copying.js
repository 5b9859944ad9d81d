// Lesson 4, "Everything crossing over is copied": (1) post a closure to a process-pool worker and get the browser's real DataCloneError, the
// counterpart of Python's pickling error, then fix it by naming a workload the worker already has; (2) time shipping one array to a worker by copy,
// by transfer and through shared memory, against the time the worker spends using it (`payload`, `sweepPayload`; the core reads the report and plans
// the sweep). A declaration for the lesson kit (its intro is copying.html): part 1 is content before the form, run by two of the kit's extra buttons.
// Nothing here computes a number.
import { defineLesson, doneReading, mapProgress } from '../kit/lesson-kit.js';
import { loadCharts, onSchemeChange } from '../kit/charts.js';
import { timelineChart } from '../kit/timeline.js';
import { compactCount, formatBytes, formatMs, formatMsUnit, plural } from '../kit/format.js';
import { h, clear } from '../lib/dom.js';

/** The three ways to get bytes to a worker, in the driver's order: name, colour, what happens. */
const MODES = {
  copy: { label: 'Copy (structured clone)', color: 'processes', note: 'The worker gets its own copy, as pickled arguments are: the time grows with every byte.' },
  transfer: { label: 'Transfer (Transferable)', color: 'blue', note: 'The buffer itself moves to the worker and is gone from the sender until it is handed back.' },
  shared: { label: 'Shared memory', color: 'threads', note: 'Both sides see one SharedArrayBuffer: only a small note crosses over.' },
};
/** Payload sizes the slider steps through (bytes), 1 KB to the driver's 256 MB cap. */
const SIZES = [1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5, 1e6, 2e6, 5e6, 1e7, 2e7, 5e7, 1e8, 2e8, 2.56e8];
/** The fix: map(square, range(8)) on the process pool. */
const FIX = { engine: 'processes', workload: 'square', n: 0, tasks: 8, chunksize: 1, repetitions: 1, warmup: 1 };

/** What part 1 and part 2 say before anything runs. */
const SEND = `The first button posts the closure (x) => x * x to a process-pool worker, as pool.map(lambda x: x * x, …) would. The second sends what Python's pool really sends for a top-level function: its name, "square", with the numbers.`;
const SHIP =
  'The same array goes to a process-pool worker, which touches every byte (sums them) as real work would. Compare the time to get it there with the time spent using it.';
/** Roughly what Python prints for the lambda (the address varies). */
const PYTHON_ERROR = "PicklingError: Can't pickle <function <lambda> at 0x7f…>: attribute lookup <lambda> on __main__ failed";

const swatch = (mode) => h('span', { class: 'swatch mode-swatch', dataset: { mode }, attrs: { 'aria-hidden': 'true' } });
/** Part 1's output nodes, built by `partOne` when the lesson mounts, and the fix's last result. */
const one = {};

/** Part 1 and the head of part 2, before the kit's form; the kit's send and fix buttons move here. */
function partOne(kit) {
  const out = (name) => h('div', { id: `copying-${name}-result`, class: 'send-result', attrs: { 'data-testid': `copying-${name}-result`, role: 'status', 'aria-live': 'polite' } });
  const canvas = h('canvas', { id: 'copying-chart-fix', attrs: { role: 'img', 'data-testid': 'copying-chart-fix' } });
  Object.assign(one, { send: out('send'), fix: out('fix'), canvas, box: h('div', { class: 'chart-box', hidden: true }, canvas) });
  onSchemeChange(() => one.result && showFix());
  kit.buttons.send.classList.add('primary');
  const modes = Object.entries(MODES).map(([mode, m]) => {
    const missing = mode === 'shared' && !kit.caps.isolated;
    const reason = missing && h('span', { class: 'hint reason', id: 'copying-shared-reason', text: ' Unavailable here: shared memory needs a cross-origin isolated page.' });
    return h('li', { dataset: { mode }, class: missing ? 'unavailable' : '' }, swatch(mode), h('strong', { text: m.label }), ` ${m.note}`, reason);
  });
  const part = (name, heading, ...children) => {
    const props = { class: `copying-part${name === 'function' ? ' card' : ''}`, id: `copying-part-${name}`, attrs: { 'aria-labelledby': `copying-part-${name}-heading` } };
    return h('section', props, h('h3', { id: `copying-part-${name}-heading`, text: heading }), ...children);
  };
  const plain = kit.caps.isolated ? '' : ' Both work on this page: the process pool needs no isolation.';
  const buttons = h('div', { class: 'actions' }, kit.buttons.send, kit.buttons.fix);
  const ways = [h('p', { class: 'modes-title', text: 'Three ways to get the bytes there' }), h('ul', { class: 'mode-list' }, modes)];
  return [
    part('function', '1. Send a function to a worker', h('p', { text: SEND + plain }), buttons, one.send, one.fix, one.box),
    part('payload', '2. What shipping an array costs', h('p', { text: SHIP }), ways),
  ];
}

/** Posts a closure and shows what the browser said, beside what Python says. */
async function sendClosure(_v, kit) {
  clear(one.send);
  kit.progress(null, 'Posting (x) => x * x to process-pool worker 0…');
  const answer = await kit.call('sendFunction', {}, { label: 'Sending the function' });
  Object.assign(one.send.dataset, { sent: answer.sent, errorName: answer.name ?? '' });
  if (answer.sent) {
    const text = `This browser did not refuse: ${answer.message}. Browsers normally cannot clone a function; the fix below is still the way to send work.`;
    one.send.append(h('p', { class: 'message message-warning', text }));
    return;
  }
  const box = (caption, python, ...code) => {
    const props = { class: `error-box${python ? ' python' : ''}`, attrs: { 'data-testid': python ? null : 'copying-send-error' } };
    return h('figure', props, h('figcaption', { text: caption }), h('pre', {}, h('code', {}, ...code)));
  };
  const said = box('What the browser said', false, h('strong', { class: 'error-name', text: answer.name }), `: ${answer.message}`);
  const why = `The browser refused with a ${answer.name}: postMessage can only copy data, and a closure is code tied to the memory of the place it was made. Python's pickle fails for the same reason. The fix is the same too: send the name of a function the worker already knows.`;
  one.send.append(h('div', { class: 'error-pair' }, said, box('What Python says for a lambda (roughly)', true, PYTHON_ERROR)), h('p', { text: why }));
}

/** Runs the named workload on the pool and shows who squared what. */
async function runFix(_v, kit) {
  clear(one.fix);
  const config = { ...FIX, workers: Math.min(2, kit.caps.maxWorkers) };
  one.result = await kit.call('map', config, { label: 'The named workload', progress: (p) => mapProgress(p, config) });
  await loadCharts().catch(() => {}); // timelineChart says if it failed
  showFix();
}

function showFix() {
  const { timeline, config, summary, checksum, verified } = one.result;
  const workers = [...new Set(timeline.map((c) => c.worker))].sort((a, b) => a - b);
  const inputs = (w) => timeline.filter((c) => c.worker === w).flatMap((c) => Array.from({ length: c.len }, (_, i) => c.first + i + config.n));
  Object.assign(one.fix.dataset, { chunks: timeline.length, workers: workers.length, verified: verified });
  const ran = `map(square, range(${config.tasks})) ran on the process pool: ${plural(timeline.length, 'chunk')} on ${plural(workers.length, 'worker')}, ${formatMsUnit(summary.median)} after a warm-up run. `;
  const checked = [h('span', { class: 'verified', text: '✓ ' }), 'checksum ', h('code', { text: checksum }), ' matches the sequential run.'];
  const squared = workers.map((w) => h('li', { dataset: { worker: w }, text: `worker ${w} squared ${inputs(w).join(', ')}` }));
  const crossed =
    'What crossed over was the name "square" and the numbers, never any code: each pool worker loaded its own copy of the workload module when it started, just as Python\'s workers import square from your script.';
  clear(one.fix).append(h('p', { class: 'message message-success' }, ran, checked), h('ul', { class: 'fix-inputs' }, squared), h('p', { text: crossed }));
  one.chart?.destroy();
  one.box.hidden = false;
  try {
    one.chart = timelineChart(one.canvas, timeline, { engine: 'processes', label: 'map(square, range(8))' });
  } catch (error) {
    one.fix.append(h('p', { class: 'message message-error', text: `Timeline unavailable: ${error.message}.` }));
  }
}

/** Shipping against using it, per mode, at the largest size measured (the one the findings read). */
function barsChart(report) {
  const { bytes, modes } = report.sizes.at(-1);
  const part = (key) => ({ values: modes.map((m) => m[key]?.median ?? null), ranges: modes.map((m) => m[key] && [m[key].min, m[key].max]) });
  const title = { wide: `Shipping ${formatBytes(bytes)} to a worker, against using it there`, narrow: [`Shipping ${formatBytes(bytes)} to a worker,`, 'against using it there'] };
  const axis = { wide: 'time (ms) · bar: median · whisker: fastest to slowest run', narrow: ['time (ms)', 'bar: median, whisker: min–max'] };
  const labels = modes.map((m) => (m.available ? MODES[m.mode].label : `${MODES[m.mode].label}: unavailable here`));
  const series = [
    { label: 'shipping the array to the worker', color: modes.map((m) => MODES[m.mode].color), ...part('ship') },
    { label: 'the worker touching every byte', color: 'purple', ...part('compute') },
  ];
  return { type: 'bar', title, axis, labels, format: formatMsUnit, series };
}

/** Shipping time against size (log–log) per mode, with the worker's time to use the bytes; times of 0 cannot sit on a log axis. */
function sweepChart(report) {
  if (report.sizes.length < 2) return null;
  const points = (mode) =>
    report.sizes.flatMap(({ bytes, modes }) =>
      modes.filter((x) => x.mode === mode && x.ship?.median > 0).map(({ ship }) => ({ x: bytes, y: ship.median, lo: ship.min, hi: ship.max })),
    );
  const shipped = Object.entries(MODES).map(([mode, m]) => ({ label: `shipping: ${mode}`, color: m.color, points: points(mode) }));
  const used = report.sizes.filter((s) => s.compute > 0).map((s) => ({ x: s.bytes, y: s.compute }));
  const compute = { label: 'worker touching every byte', color: 'purple', dash: [6, 4], point: 'rect', radius: 3, points: used };
  const title = { wide: 'Shipping time against payload size', narrow: ['Shipping time against', 'payload size'] };
  const x = { log: true, format: formatBytes, title: { wide: 'payload size (log scale)', narrow: 'payload (log)' } };
  const y = { log: true, format: compactCount, title: { wide: 'time (ms, log scale)', narrow: 'time (ms, log)' } };
  return { type: 'line', title, x, y, format: formatMsUnit, series: [...shipped, compute].filter((s) => s.points.length) };
}

const shipping = (p) => [p.done / p.total, `${formatBytes(p.bytes)}: ${MODES[p.mode]?.label.toLowerCase() ?? 'shipping'}, run ${p.run + 1}/${p.runs}`];
const finished = (report) => `Finished: ${plural(report.sizes.length, 'size')} measured so far.`;

export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
  id: 'copying',
  title: 'Everything crossing over is copied',
  stylesheet: new URL('./copying.css', import.meta.url),
  before: partOne,

  // The sizes a sweep up to the chosen size measures, from the core's plan.
  preview: { experiment: 'payloadPlan', params: (v) => ({ bytes: v.payload }) },
  controls: () => [
    {
      legend: 'Settings',
      fields: [
        {
          kind: 'log',
          name: 'payload',
          label: 'Payload size',
          values: SIZES,
          value: 1e7,
          format: formatBytes,
          hint: 'one array of bytes, on a log scale up to the 256 MB cap',
          warn: (v) => (v.payload >= 1e8 ? `${formatBytes(v.payload)} needs about ${formatBytes(3 * v.payload)} of memory while it runs and takes a while: Cancel stops it.` : ''),
        },
        { kind: 'range', name: 'repetitions', label: 'Repetitions', min: 1, max: 10, value: 5, hint: 'times each mode ships the array; the chart shows the median and range' },
      ],
    },
  ],
  formLabel: 'Payload settings',
  // Every measurement adds to the ones before (the driver keeps them): part 1 and each Measure or Sweep.
  keep: true,
  runText: (v) => `Measure ${formatBytes(v.payload)}`,
  runHint: (_v, _caps, plan) => (plan ? `Sweep measures ${plan.sizes.map(formatBytes).join(', ')}.` : ''),
  start: (v) => `Shipping ${formatBytes(v.payload)} to a pool worker three ways, ${plural(v.repetitions, 'time')} each.`,
  run: { experiment: 'payload', params: (v) => ({ bytes: v.payload, repetitions: v.repetitions, keep: true }), progress: shipping },
  finished,
  buttons: [
    {
      name: 'sweep',
      keep: true,
      finished,
      done: doneReading,
      text: (_v, _caps, plan) =>
        !plan ? 'Sweep' : plan.sizes.length > 1 ? `Sweep ${formatBytes(plan.sizes[0])} → ${formatBytes(plan.sizes.at(-1))}` : 'Sweep (choose a bigger size)',
      start: (v) => `Shipping every size of the sweep up to ${formatBytes(v.payload)} to a pool worker three ways, ${plural(v.repetitions, 'time')} each.`,
      run: (v, kit) => kit.call('sweepPayload', { bytes: v.payload, repetitions: v.repetitions, keep: true }, { progress: shipping }),
    },
    { name: 'send', text: 'Send a closure to a pool worker', keep: true, run: sendClosure },
    { name: 'fix', text: 'Run map(square, range(8)) instead', keep: true, run: runFix },
  ],

  empty: 'Press Measure: the shipping times, the compute time and what they mean will appear here.',
  sections: [
    {
      layout: 'stack',
      table: {
        caption: 'Every size measured',
        rows: (report) => report.sizes.flatMap((s) => s.modes.map((m) => ({ ...m, bytes: s.bytes, verified: m.available }))),
        row: (r) => ({ bytes: r.bytes, mode: r.mode, available: r.available }),
        columns: [
          { key: 'bytes' },
          { key: 'mode', name: 'Mode', type: 'head', cell: (r) => [swatch(r.mode), MODES[r.mode].label] },
          { name: 'Size', type: 'num', text: (r) => formatBytes(r.bytes) },
          { key: 'available' },
          {
            summary: (r) => r.ship,
            prefix: 'ship_',
            name: 'Ship median (ms)',
            range: 'Ship min–max (ms)',
            text: (r) => (r.available ? formatMs(r.ship.median) : `unavailable: ${r.reason}`),
          },
          { summary: (r) => r.compute, prefix: 'compute_', name: 'Compute median (ms)', range: false },
          { name: 'Ship ÷ compute', type: 'num', text: (r) => (r.ratio === null ? '—' : r.ratio.toFixed(2)) },
          { name: 'Checked', type: 'check', text: (r) => (r.available ? `${formatBytes(r.bytes)} arrived` : 'not measured') },
          { key: 'ship_runs_ms', value: (r) => r.ship_runs.map((x) => x.toFixed(3)).join(' ') },
          { key: 'reason' },
        ],
        note: (report, _v, kit) =>
          `Shipping runs from just before postMessage to the moment the worker starts handling the message; computing is the worker summing every byte it received (checked against the size sent). Medians and ranges are over each mode's repetitions at each size${kit.caps.isolated ? '' : `; this page's timers only tick every ${formatMs(report.resolution_ms)} ms`}.`,
      },
      charts: [
        { name: 'bars', draw: barsChart },
        { name: 'sweep', draw: sweepChart },
      ],
    },
  ],
});
