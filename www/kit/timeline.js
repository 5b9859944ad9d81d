// The per-worker timeline every lesson shows: a Gantt chart of one run's chunk records (a row per worker, a bar per chunk, grey bars for the process
// pool's messaging), and the card around it with its pickers, which remember a learner's choice until the next run. Not for reading the numbers:
// notes come with the runs the lesson hands over.
import { h, clear } from '../lib/dom.js';
import { colorOf, frame, prepare, withAlpha } from './charts.js';
import { formatMs, plural } from './format.js';

/**
 * Draws `chunks` (a result's `timeline`: `{ worker, chunk, first, len, start_ms, end_ms,
 * wait_ms?, sent_ms?, received_ms? }`) on `canvas` in `engine`'s colour; `label` names the
 * run in the title and `what` in the description. Answers the Chart.
 */
export function timelineChart(canvas, chunks, { engine, label, what = `the last timed run of ${label}` }) {
  const { t } = prepare();
  // A lane is a worker's number, or a name of its own (the Python lesson's thread pool runs on 'main'): named lanes come first.
  const named = (w) => !Number.isInteger(w);
  const workers = [...new Set(chunks.map((c) => c.worker))].sort((a, b) => named(b) - named(a) || a - b);
  const row = (w) => (named(w) ? String(w) : `worker ${w}`);
  const color = colorOf(engine);
  const end = Math.max(0, ...chunks.map((c) => c.received_ms ?? c.end_ms));
  const sliver = end * 0.004; // a chunk too short to see still gets a sliver
  const bars = { grouped: false, categoryPercentage: 0.9 };
  const datasets = [
    {
      ...bars,
      label: `${label}: one bar per chunk`,
      data: chunks.map((c) => ({ x: [c.start_ms, Math.max(c.end_ms, c.start_ms + sliver)], y: row(c.worker), chunk: c })),
      // Neighbouring chunks alternate in shade so their borders stay visible.
      backgroundColor: (ctx) => withAlpha(color, ctx.dataIndex % 2 ? 0.6 : 0.95),
      borderColor: t.surface,
      borderWidth: { left: 1, right: 1 },
      borderSkipped: false,
      barPercentage: 0.8,
    },
  ];
  // Pool chunks also know when they were posted and when their answer came back: that is copying and messaging, not computing, so it gets a grey bar
  // of its own.
  const messaging = chunks.filter((c) => Number.isFinite(c.sent_ms) && Number.isFinite(c.received_ms));
  if (messaging.length) {
    const part = (c, from, to, name) => ({ x: [from, Math.max(to, from + sliver / 4)], y: row(c.worker), chunk: c, part: name });
    const data = messaging.flatMap((c) => [part(c, c.sent_ms, c.start_ms, 'sent'), part(c, c.end_ms, c.received_ms, 'back')]);
    datasets.push({ ...bars, label: 'copying and messaging (arguments out, results back)', data, backgroundColor: withAlpha(t.text, 0.28), borderWidth: 0, barPercentage: 0.45 });
  }
  const tip = (item) => {
    const c = item.raw.chunk;
    if (item.raw.part === 'sent') return `arguments copied to the worker: ${formatMs(c.start_ms - c.sent_ms)} ms`;
    if (item.raw.part === 'back') return `result copied back: ${formatMs(c.received_ms - c.end_ms)} ms`;
    const tasks = c.len === 1 ? `task ${c.first}` : `tasks ${c.first}–${c.first + c.len - 1}`;
    const lines = [`${tasks}: ${formatMs(c.start_ms)} → ${formatMs(c.end_ms)} ms (${formatMs(c.end_ms - c.start_ms)} ms)`];
    if (engine === 'gil' || c.wait_ms > 0) lines.push(`waited ${formatMs(c.wait_ms)} ms of that for the lock`);
    if (Number.isFinite(c.sent_ms)) lines.push(`message sent at ${formatMs(c.sent_ms)} ms, result back at ${formatMs(c.received_ms)} ms`);
    return lines;
  };
  return frame(canvas, t, {
    type: 'bar',
    title: { wide: `Who ran what, when: ${label}`, narrow: ['Who ran what, when:', label] },
    titles: ['time since the run began (ms)'],
    height: 130 + workers.length * 36,
    aria: `Timeline of ${what}: ${plural(chunks.length, 'chunk')} on ${plural(workers.length, 'worker')}, finished after ${formatMs(end)} ms.`,
    data: { labels: workers.map(row), datasets },
    options: { indexAxis: 'y' },
    scales: { x: { min: 0, suggestedMax: end }, y: { ticks: { color: t.text } } },
    legend: { position: 'bottom', labels: { boxWidth: 14 } },
    tooltip: { callbacks: { title: (items) => `chunk ${items[0].raw.chunk.chunk} on ${row(items[0].raw.chunk.worker)}`, label: tip } },
  });
}

/**
 * The timeline card #<prefix>-timeline (pickers #<prefix>-timeline-<name>, canvas
 * #<prefix>-chart-timeline, note #<prefix>-timeline-note; `pickers` default to one
 * 'engine'). `update(runs)` shows the runs with chunk records, each `{ engine, label,
 * chunks, note, what, data (more data-* for the card), preferred, pick, text }`: `pick` and
 * `text` are its value and option text in each picker (arrays for several pickers; default
 * engine and label). The pickers start on the last `preferred` run, else the last parallel
 * one; a learner's choice stays until `reset()`.
 */
export function timelineCard(prefix, { heading, pickers = [{ name: 'engine', label: 'Engine' }] }, onError) {
  const selects = pickers.map((p) => h('select', { id: `${prefix}-timeline-${p.name}`, attrs: { 'data-testid': `${prefix}-timeline-${p.name}` } }));
  const canvas = h('canvas', { id: `${prefix}-chart-timeline`, attrs: { role: 'img', 'data-testid': `${prefix}-chart-timeline`, 'aria-label': 'Per-worker timeline' } });
  const note = h('p', { class: 'hint', id: `${prefix}-timeline-note`, attrs: { 'data-testid': `${prefix}-timeline-note` } });
  const fields = pickers.map((p, i) => h('div', { class: 'inline-field' }, h('label', { htmlFor: selects[i].id, text: p.label }), selects[i]));
  const head = h('div', { class: 'timeline-head' }, h('h3', { id: `${prefix}-timeline-heading`, text: heading }), h('div', { class: 'timeline-pickers' }, fields));
  const attrs = { 'aria-labelledby': `${prefix}-timeline-heading`, 'data-testid': `${prefix}-timeline` };
  const node = h('section', { class: 'card timeline', id: `${prefix}-timeline`, hidden: true, attrs }, head, h('div', { class: 'chart-box' }, canvas), note);
  let runs = [];
  let pinned = false;
  let chart = null;
  const keys = (run) => [run.pick ?? run.engine].flat().map(String);
  const names = (run) => [run.text ?? run.label].flat();
  const matching = (upTo) => runs.filter((r) => selects.slice(0, upTo).every((s, j) => keys(r)[j] === s.value));
  const fallback = (list) => list.findLast((r) => r.preferred) ?? list.findLast((r) => r.engine !== 'sequential') ?? list[0];

  /** Refills the pickers from the `from`-th on, each offering what the earlier ones allow. */
  function fill(from) {
    for (let i = from; i < selects.length; i++) {
      const list = matching(i);
      const previous = selects[i].value;
      const offered = new Map(list.map((r) => [keys(r)[i], names(r)[i]]));
      clear(selects[i]);
      for (const [value, text] of offered) selects[i].append(h('option', { value, text }));
      if (list.length) selects[i].value = pinned && offered.has(previous) ? previous : keys(fallback(list))[i];
    }
  }

  function drawChosen() {
    chart?.destroy();
    chart = null;
    const run = selects.length ? matching(selects.length)[0] : fallback(runs);
    if (!run) return;
    const workers = new Set(run.chunks.map((c) => c.worker)).size;
    Object.assign(node.dataset, { engine: run.engine, workers: String(workers), chunks: String(run.chunks.length) }, run.data ?? {});
    note.textContent = run.note ?? '';
    try {
      chart = timelineChart(canvas, run.chunks, run);
    } catch (error) {
      onError?.(error);
    }
  }

  selects.forEach((select, i) =>
    select.addEventListener('change', () => {
      pinned = true;
      fill(i + 1);
      drawChosen();
    }),
  );
  return {
    node,
    /** Shows `list` (runs without chunk records are left out); hides the card when none is left. */
    update(list = []) {
      runs = list.filter((r) => r.chunks?.length);
      node.hidden = runs.length === 0;
      fill(0);
      drawChosen();
    },
    /** Forgets the learner's choice: a new run starts. */
    reset: () => (pinned = false),
  };
}
