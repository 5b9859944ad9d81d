// The lesson kit: every lesson is a declaration handed to `defineLesson`, which builds its intro, form, run cycle, messages, results (readings, key
// figures, charts, tables, CSV) and timeline the same way for all. Not for numbers or verdicts: those come from the engines (Rust) through the
// bridge, and the kit lays them out as text, never as HTML.
//
//   export const { id, title, intro, mount, applyPreset, readState } = defineLesson({
//     id: 'speedup', title: 'Speedup versus workers', controls: (caps) => [enginePicker(caps), { legend: 'Settings', fields: […] }],
//     run: { experiment: 'sweepWorkers', params: (v) => ({ ...v, engines: v.engine }), progress: runsProgress },
//     sections: [{ charts: [{ name: 'sweep', draw: (report, v) => ({ type: 'line', … }) }], table: { caption, rows, columns } }],
//     timeline: { heading: '…', runs: (report) => [{ engine, chunks, note }] },
//   });
//
// Declaration keys (only id, title and controls are required):
// - intro: the URL of the static intro fragment (default lessons/<id>.html: a div.intro), shown while the engines
//   start; stylesheet (a URL linked once); before(kit) → Node(s) placed before the form.
// - controls(caps) → fieldsets `{ legend, name = 'sizes', class, fields }` or group controls (see kit/controls.js).
// - run { experiment, params(values, caps), progress(p, values, kit) → [fraction, text] (mapProgress, runsProgress) },
//   or async (values, kit) → report; buttons [{ name, text, run, start, done, finished, keep }] beside Run
//   (#<id>-<name>); cancel(kit).
// - runText, runHint, blocked (why Run is off) and button texts: (values, caps, preview); start(values, caps, kit) →
//   the opening message, done(report, values, kit) → the success message (a lesson's default: doneReading),
//   finished(…) → the last progress text; formLabel, empty.
// - reading(report, values, kit) → [{ engine, kind, text }] (default: report.findings in the words of
//   kit/findings.js); figures(…) → [{ label, value, engine, testid, data }]; has(report); resultsData(…) → data-*.
// - sections [{ name, heading, layout: 'grid' | 'stack', always (shown before any run, redrawn on every change),
//   show(report, values), note (text under the charts, or a function of the report; #<id>-<name>-note),
//   charts: [{ name, draw(report, values, kit) → a kit/charts.js spec or null }], table: { name = 'results',
//   caption, rows(report, values, kit), row(r) → data-*, note(…), fold(rows) → the summary of a <details> around
//   it, columns: [{ name (or a function of the values), key (CSV head), value(r), text(r), cell(r) → Node, hint(r)
//   (a line beneath), type: 'engine' | 'head' | 'num' | 'check' } or a summary's columns (see `expand`)] } }].
// - preview { experiment, params(values, caps) }: asked again whenever its params change while nothing runs (Run
//   waits for it); its answer is kit.preview, and the controls, texts and always-shown sections follow it.
// - csv { table = 'results' when there is one (its keyed columns) } or { columns, rows(report, values, kit) }, button;
//   timeline (kit/timeline.js; a run's label defaults to kit.label(engine)).
// Callbacks get `kit`: caps, label(engine), values(), control(name), call(name, params, { label, progress }), progress(fraction or null, text),
// say(text, kind), show(partial report), run(task, hooks), report, previous, preview, buttons (name → the extra buttons, which before(kit) may place
// elsewhere).
import { h, append, clear, download } from '../lib/dom.js';
import { applyPresetToControls, readControls } from '../lib/url-state.js';
import { buildControl } from './controls.js';
import { chartsLoaded, draw, loadCharts, onSchemeChange } from './charts.js';
import { readings } from './findings.js';
import { formatMs, plural } from './format.js';
import { timelineCard } from './timeline.js';

export { enginePicker, numeric, problemSize, threadsOff, workersField } from './controls.js';

/** What a run in phase `p.phase` is doing, in words, and whether it counts its runs. */
const PHASES = { reference: 'computing the reference checksum', warmup: 'warm-up run', timed: 'timed run' };
const phase = (p, workers) => (p.phase === 'startup' ? `starting ${plural(workers, 'pool worker')}` : (PHASES[p.phase] ?? 'working'));
const counted = (p) => p.phase === 'warmup' || p.phase === 'timed';

/** Where a `map` call's progress report `p` is: `[fraction, text]`. */
export function mapProgress(p, { warmup, repetitions, workers }) {
  const fraction = p.phase === 'warmup' ? p.done : p.phase === 'timed' ? warmup + p.done : 0;
  return [fraction / (warmup + repetitions), `${phase(p, workers)}${counted(p) ? ` ${p.done + 1}/${p.total}` : ''}`];
}

/**
 * Where a call that spans many runs (`compare`, the sweeps) is: `[fraction, text]` from its one progress bar `p` ({ phase, done, total, engine,
 * workers, run, runs }).
 */
export function runsProgress(p, _values, kit) {
  return [p.done / p.total, `${p.engine ? `${kit.label(p.engine)}: ` : ''}${phase(p, p.workers)}${counted(p) ? ` ${p.run + 1}/${p.runs}` : ''}`];
}

/**
 * The columns a table's column spec stands for: `{ type: 'engine' }` is the engine's id (CSV only) and its name (the row's `label`, else
 * `label(engine)`); `{ summary(r) → { median, min, max }, prefix, name, range }` is the median (`<prefix>median_ms`), min and max (CSV only), then a
 * min–max column headed `range` (none when false); any other key overrides the median column's.
 */
const expand = (columns, label) =>
  columns.flatMap((c) => {
    if (c.type === 'engine') return [{ key: 'engine' }, { key: 'label', name: 'Engine', value: (r) => r[c.key ?? 'label'] ?? label(r.engine), ...c }];
    if (!c.summary) return [c];
    const [of, p] = [(r) => c.summary(r) ?? {}, c.prefix ?? ''];
    const median = { key: `${p}median_ms`, name: 'Median (ms)', type: 'num', value: (r) => of(r).median, text: (r) => formatMs(of(r).median), ...c };
    const range = c.range !== false && { name: c.range ?? 'Min–max (ms)', type: 'num', text: (r) => (c.summary(r) ? `${formatMs(of(r).min)}–${formatMs(of(r).max)}` : '—') };
    return [median, ...['min', 'max'].map((m) => ({ key: `${p}${m}_ms`, value: (r) => of(r)[m] })), range].filter(Boolean);
  });

/** How many points a sweep's report measured, over all its series. */
export const pointCount = (report) => report.series.reduce((n, s) => n + s.points.length, 0);

/** The first columns of a row of the busy loop's runs: the engine, its workers, the settings (CSV only), the times. */
export const RUN_COLUMNS = [
  { type: 'engine' },
  { key: 'workers', name: 'Workers', type: 'num' },
  ...['cores', 'tasks', 'n', 'repetitions'].map((key) => ({ key })),
  { summary: (r) => r.summary },
];

/** A success message in the core's words: "Done." and the first `count` of the readings `lines`. */
export const doneText = (lines, count = 1) => ['Done.', ...lines.slice(0, count).map((l) => l.text)].join(' ');
/** The success message of a lesson without a `done`: "Done." and its report's first finding in words. */
export const doneReading = (report, _values, kit) => doneText(readings(report.findings, kit.label, report));

/** One CSV field: quoted when needed; text a spreadsheet might run as a formula is defused. */
function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  const text = /^[=+\-@\t\r]/.test(String(value)) ? `'${value}` : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: a header line of the columns' keys, then one line per row. */
export function toCsv(columns, rows) {
  const keyed = columns.filter((c) => c.key);
  const line = (cells) => cells.map(csvField).join(',');
  return `${[line(keyed.map((c) => c.key)), ...rows.map((r) => line(keyed.map((c) => (c.value ? c.value(r) : r[c.key]))))].join('\r\n')}\r\n`;
}

const swatch = (engine) => h('span', { class: 'swatch', dataset: { engine }, attrs: { 'aria-hidden': 'true' } });

/** A results table from column specs (#<prefix>-<name>-table); `fill(rows, note, values)` replaces its rows. */
function resultsTable(prefix, spec) {
  const id = `${prefix}-${spec.name ?? 'results'}-table`;
  const columns = spec.columns.filter((c) => c.name);
  let heads = [];
  const body = h('tbody', { id: `${id}-body`, attrs: { role: 'rowgroup' } });
  const note = h('p', { class: 'hint table-note', id: `${id}-note` });
  const check = (r, text) =>
    r.verified
      ? [h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }), h('span', { class: 'visually-hidden', text: 'verified, checksum ' }), h('code', { text })]
      : `✗ ${text}`;
  const cell = (c, i, r) => {
    const text = c.text ? c.text(r) : String((c.value ? c.value(r) : r[c.key]) ?? '—');
    const shown = c.cell ? c.cell(r) : c.type === 'check' ? check(r, text) : text;
    const hint = c.hint?.(r);
    const content = hint ? [shown, h('br'), h('span', { class: 'hint', text: hint })] : shown;
    if (c.type === 'engine' || c.type === 'head') return h('th', { attrs: { scope: 'row', role: 'rowheader' } }, c.type === 'engine' && swatch(r.engine), content);
    const kind = c.type === 'check' ? (r.verified ? 'verified' : 'unverified') : c.type === 'num' ? 'num' : '';
    return h('td', { class: kind, attrs: { role: 'cell' }, dataset: { label: heads[i] } }, content);
  };
  // Explicit roles keep the table a table for screen readers when narrow screens restyle it as cards.
  const ths = columns.map((c) => h('th', { class: c.type === 'num' ? 'num' : '', attrs: { scope: 'col', role: 'columnheader' }, text: typeof c.name === 'string' ? c.name : '' }));
  const head = h('thead', { attrs: { role: 'rowgroup' } }, h('tr', { attrs: { role: 'row' } }, ths));
  const table = h('table', { id, class: 'results-table', attrs: { role: 'table', 'data-testid': id } }, h('caption', { text: spec.caption }), head, body);
  const scroll = h('div', { class: 'table-scroll' }, table);
  const summary = spec.fold && h('summary');
  return {
    spec,
    node: summary ? h('details', { id: `${id}-fold`, attrs: { 'data-testid': `${id}-fold` } }, summary, scroll) : scroll,
    note,
    fill(rows, text, values) {
      heads = columns.map((c) => (typeof c.name === 'function' ? c.name(values) : c.name));
      ths.forEach((th, i) => (th.textContent = heads[i]));
      if (summary) summary.textContent = spec.fold(rows);
      const cells = (r) => columns.map((c, i) => cell(c, i, r));
      append(clear(body), ...rows.map((r) => h('tr', { attrs: { role: 'row' }, dataset: spec.row?.(r) ?? {} }, cells(r))));
      note.textContent = text ?? '';
    },
  };
}

/** The text of one of the site's own files; a failed answer rejects with its HTTP status. */
export const fetchText = (url) => fetch(url).then((response) => (response.ok ? response.text() : Promise.reject(new Error(`HTTP ${response.status}`))));

/**
 * The intro: the lesson's own static fragment (`intro` is its URL, lessons/<id>.html), shown in a placeholder that holds its place before the form,
 * so nothing waits for it. Parsed as an inert document (nothing in it runs); a fetch that fails says so in plain text.
 */
function showIntro(container, url) {
  const node = h('div', { class: 'intro', attrs: { 'aria-busy': 'true' } });
  container.append(node);
  fetchText(url)
    .then((text) => node.replaceChildren(...new DOMParser().parseFromString(text, 'text/html').querySelector('.intro').childNodes))
    .catch((error) =>
      node.replaceChildren(h('p', { class: 'message message-error', text: `The introduction could not be loaded (${error?.message ?? error}); the lesson below still works.` })),
    )
    .finally(() => node.removeAttribute('aria-busy'));
  return node;
}

/** Turns a declaration (see the top of this file) into the module app.js expects. */
export function defineLesson(spec) {
  let mounted = null;
  const intro = (container) => {
    const href = spec.stylesheet && new URL(spec.stylesheet, document.baseURI).href;
    if (href && ![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) document.head.append(h('link', { rel: 'stylesheet', href }));
    return showIntro(container, spec.intro ?? new URL(`../lessons/${spec.id}.html`, import.meta.url));
  };
  const csv = spec.sections?.some((s) => s.table && (s.table.name ?? 'results') === 'results') ? { table: 'results' } : undefined;
  const mount = (container, context) => {
    if (!container.querySelector(':scope > .intro')) intro(container);
    mounted = mountLesson(container, context, { done: doneReading, csv, ...spec });
    return mounted.kit;
  };
  // app.js asks for a lesson's settings only once it is mounted.
  const applyPreset = (_container, preset) => mounted.applyPreset(preset);
  const readState = () => mounted.readState();
  return { id: spec.id, title: spec.title, intro, mount, applyPreset, readState };
}

function mountLesson(container, { caps, bridge }, spec) {
  const { id } = spec;
  // A lesson mounted without the engines (the Python lesson's own caps) names a run by its id.
  const label = (engine) => caps.engines?.find((e) => e.id === engine)?.label ?? engine;
  const tag = (name, props = {}, ...children) => h(name, { ...props, attrs: { 'data-testid': props.id, ...props.attrs } }, ...children);

  // ---- the form ----------------------------------------------------------------------
  const controls = [];
  const fieldsets = spec.controls(caps).map((group) => {
    const built = (group.fields ?? [group]).map((f) => buildControl(id, f, caps));
    controls.push(...built);
    const nodes = built.map((c) => c.node);
    return group.fields ? h('fieldset', { class: group.class ?? 'sizes', id: `${id}-${group.name ?? 'sizes'}` }, h('legend', { text: group.legend }), nodes) : nodes[0];
  });
  const values = () => Object.fromEntries(controls.map((c) => [c.name, c.get()]));
  const runButton = tag('button', { type: 'submit', id: `${id}-run`, class: 'primary', text: 'Run', attrs: { 'aria-describedby': spec.runHint && `${id}-run-hint` } });
  const extra = (spec.buttons ?? []).map((b) => ({ ...b, node: tag('button', { type: 'button', id: `${id}-${b.name}` }) }));
  const runButtons = [runButton, ...extra.map((b) => b.node)];
  const cancelButton = tag('button', { type: 'button', id: `${id}-cancel`, disabled: true, text: 'Cancel' });
  const progress = tag('progress', { id: `${id}-progress`, max: 1, value: 0, attrs: { 'aria-labelledby': `${id}-progress-text` } });
  const progressText = tag('span', { id: `${id}-progress-text`, class: 'progress-text', text: 'Ready.' });
  const runHint = spec.runHint && tag('span', { class: 'hint', id: `${id}-run-hint` });
  const actions = h('div', { class: 'actions' }, runButtons, cancelButton, h('div', { class: 'progress-box', id: `${id}-progress-box` }, progress, progressText));
  const form = h('form', { id: `${id}-form`, class: 'controls card', attrs: { 'aria-label': spec.formLabel ?? 'Run settings', novalidate: true } }, fieldsets, actions, runHint);
  const messages = tag('div', { id: `${id}-messages`, class: 'messages', attrs: { role: 'status', 'aria-live': 'polite' } });
  const say = (text, kind = 'info') => messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));

  // ---- the results -------------------------------------------------------------------
  const chartError = h('p', { class: 'message message-error', id: `${id}-chart-error`, hidden: true });
  const chartFailed = (error) => Object.assign(chartError, { hidden: false, textContent: `Charts unavailable: ${error.message}. The tables still have every number.` });
  const csvButton = tag('button', { type: 'button', id: `${id}-download-csv`, disabled: true, text: spec.csv?.button ?? 'Download CSV' });
  const sections = (spec.sections ?? []).map((s) => {
    const boxes = (s.charts ?? []).map((c) => {
      const canvas = tag('canvas', { id: `${id}-chart-${c.name}`, attrs: { role: 'img' } });
      return { ...c, canvas, box: h('div', { class: 'chart-box' }, canvas) };
    });
    const table = s.table && resultsTable(id, { ...s.table, columns: expand(s.table.columns, label) });
    const csvHere = table && spec.csv?.table === (s.table.name ?? 'results');
    const named = s.name && `${id}-${s.name}`;
    const note = s.note && tag('p', { class: 'hint table-note', id: named && `${named}-note`, text: typeof s.note === 'string' ? s.note : '' });
    const charts = boxes.length > 0 && h('div', { class: 'card charts' }, ...boxes.map((b) => b.box), note);
    const tableCard = table && h('div', { class: 'card table-card' }, table.node, table.note, csvHere && h('div', { class: 'actions' }, csvButton));
    const grid = h('div', { class: s.layout === 'stack' ? 'results' : 'results-grid' }, charts, tableCard);
    const node = tag('div', { class: 'results', id: named }, s.heading && h('h3', { text: s.heading }), grid);
    return { ...s, node, boxes, table, csvHere, noteNode: note };
  });
  /** The nodes of the sections shown before any run (`always`), or of the others. */
  const sectionNodes = (always) => sections.filter((s) => Boolean(s.always) === always).map((s) => s.node);
  const figures = spec.figures && tag('dl', { class: 'key-figures', id: `${id}-figures` });
  const reading = tag('ul', { id: `${id}-reading`, class: 'reading', attrs: { 'aria-label': 'What the numbers say' } });
  const timeline = spec.timeline && timelineCard(id, spec.timeline, chartFailed);
  const empty = h('p', { id: `${id}-empty`, class: 'empty', text: spec.empty ?? 'Press Run: the results will appear here.' });
  const csvBesideReading = spec.csv && !sections.some((s) => s.csvHere) && h('div', { class: 'actions table-note' }, csvButton);
  const readingCard = h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), figures, reading, csvBesideReading);
  const results = tag('section', { id: `${id}-results`, class: 'results', hidden: true, attrs: { 'aria-label': 'Results' } }, readingCard, sectionNodes(false), timeline?.node);

  /** Lays out `kit.report` for the current values; with `alwaysOnly`, just the always-shown sections. */
  function render(alwaysOnly = false) {
    const v = values();
    const report = kit.report;
    const has = report !== null && report !== undefined && (spec.has?.(report) ?? true);
    chartError.hidden = true;
    // Until the chart library has loaded (on the first chart due), the rest is laid out and the charts follow it.
    let drawable;
    const canDraw = () => (drawable ??= chartsLoaded(() => render(alwaysOnly), chartFailed));
    for (const s of sections.filter((x) => x.always || !alwaysOnly)) {
      const shown = s.always || (has && (s.show?.(report, v) ?? true));
      s.node.hidden = !shown;
      for (const b of s.boxes) {
        b.chart?.destroy();
        const chart = shown ? b.draw(report, v, kit) : null;
        b.box.hidden = !chart;
        try {
          b.chart = chart && canDraw() ? draw(b.canvas, chart) : null;
        } catch (error) {
          chartFailed(error);
        }
      }
      if (shown && typeof s.note === 'function') s.noteNode.textContent = s.note(report, v, kit) ?? '';
      if (shown && s.table) s.table.fill(s.table.spec.rows(report, v, kit), s.table.spec.note?.(report, v, kit), v);
    }
    if (alwaysOnly) return;
    results.hidden = !has;
    empty.hidden = has;
    csvButton.disabled = !has;
    clear(reading);
    if (figures) clear(figures);
    if (!has) return timeline?.update([]);
    if (spec.resultsData) Object.assign(results.dataset, spec.resultsData(report, v));
    const lines = spec.reading ? spec.reading(report, v, kit) : readings(report.findings, kit.label, report);
    const data = (line) => Object.fromEntries(['engine', 'kind'].filter((k) => line[k]).map((k) => [k, line[k]]));
    append(reading, ...lines.map((line) => h('li', { dataset: data(line), text: line.text })));
    const figure = (f) => h('div', { attrs: { 'data-testid': f.testid }, dataset: f.data ?? {} }, h('dt', { text: f.label }), h('dd', {}, f.engine && swatch(f.engine), f.value));
    if (figures) append(figures, ...spec.figures(report, v, kit).map(figure));
    if (timeline && canDraw()) timeline.update(spec.timeline.runs(report, v, kit).map((run) => ({ label: label(run.engine), ...run })));
  }

  // ---- the run cycle -------------------------------------------------------------------
  let running = false;
  let cancelling = false;
  let blocked = '';
  let started = runButton;
  let warned = new Set();
  /** Moves the bar to `fraction` (0–1, or null: busy for a time nobody knows) and says `text`. */
  const setProgress = (fraction, text) => {
    if (fraction === null) progress.removeAttribute('value');
    else progress.value = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
    if (text !== undefined) progressText.textContent = text;
  };
  /** Locks the settings while running, and moves the focus between Run and Cancel. */
  function lock(on) {
    const focused = document.activeElement;
    running = on;
    for (const f of fieldsets) f.disabled = on;
    for (const b of runButtons) b.disabled = on || Boolean(blocked);
    cancelButton.disabled = !on;
    if (on && runButtons.includes(focused)) cancelButton.focus();
    if (!on && (focused === cancelButton || focused === document.body)) started.focus();
  }
  /** The one place errors become messages (text only); answers the state the run ends in. */
  function stopped(error) {
    if (error?.name === 'CancelledError') say('Cancelled.');
    else if (error?.name === 'ConfigError') for (const problem of error.errors?.length ? error.errors : [error.message]) say(`Settings refused: ${problem}`, 'error');
    else if (error?.name === 'BusyError') say(`${error.message} (another lesson may still be running).`, 'error');
    else say(`${error?.label ?? 'The run'} failed: ${error?.message ?? String(error)}`, 'error');
    return error?.name === 'CancelledError' ? 'cancelled' : 'error';
  }

  const kit = {
    caps,
    values,
    say,
    progress: setProgress,
    report: null,
    previous: null,
    preview: null,
    buttons: Object.fromEntries(extra.map((b) => [b.name, b.node])),
    control: (name) => controls.find((c) => c.name === name),
    label,
    /** Lays out a partial report while the run goes on. */
    show(partial) {
      kit.report = partial;
      render();
    },
    /** Calls experiment `name`; `progress(p)` → [fraction, text] moves the bar until Cancel; each warning is said once a run. */
    async call(name, params, { label, progress: toProgress } = {}) {
      const onProgress = toProgress && ((p) => running && !cancelling && setProgress(...toProgress(p)));
      try {
        const result = await bridge.call(name, params, { onProgress });
        for (const text of (result?.warnings ?? []).map((w) => (label ? `${label}: ${w}` : w))) {
          if (!warned.has(text)) say(text, 'warning');
          warned.add(text);
        }
        return result;
      } catch (error) {
        if (label && error instanceof Error) error.label ??= label;
        throw error;
      }
    },
    /** One run of `task(values, kit)` through idle → running → done | cancelled | error. */
    async run(task, hooks = spec) {
      if (running || blocked) return;
      // The bridge takes one call at a time, and a preview may still change the settings.
      while (previewing) await previewing;
      if (running) return;
      const v = values();
      started = runButtons.includes(document.activeElement) ? document.activeElement : runButton;
      cancelling = false;
      warned = new Set();
      kit.previous = kit.report;
      if (!hooks.keep) kit.report = null;
      clear(messages);
      timeline?.reset();
      render();
      container.dataset.state = 'running';
      lock(true);
      setProgress(0, 'Starting…');
      const opening = hooks.start?.(v, caps, kit);
      if (opening) say(opening);
      let outcome = 'done';
      const charts = loadCharts().catch(() => {}); // so the charts are drawn by the time the state says done (render reports a failure)
      try {
        const answer = await task(v, kit);
        await charts;
        if (answer !== undefined) kit.report = answer;
        render();
        setProgress(1, hooks.finished?.(kit.report, v, kit) ?? 'Finished.');
        const message = hooks.done?.(kit.report, v, kit);
        if (message) say(message, 'success');
      } catch (error) {
        outcome = stopped(error);
        await charts;
        render();
        setProgress(progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
      }
      cancelling = false;
      container.dataset.state = outcome;
      lock(false);
    },
    async cancel() {
      if (!running || cancelling) return;
      cancelling = true;
      cancelButton.disabled = true;
      setProgress(progress.value, 'Cancelling…');
      try {
        await (spec.cancel ? spec.cancel(kit) : bridge.cancel());
      } catch (error) {
        say(`The engines did not restart after cancelling: ${error?.message ?? String(error)}`, 'error');
      }
    },
  };

  // ---- wiring ------------------------------------------------------------------------------
  append(container, h('h3', { class: 'section-title', text: 'Try it' }), spec.before?.(kit), form, messages, chartError, sectionNodes(true), empty, results);
  const { run } = spec;
  const main = typeof run === 'function' ? run : (v) => kit.call(run.experiment, run.params(v, caps), { progress: run.progress && ((p) => run.progress(p, v, kit)) });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    kit.run(main);
  });
  for (const b of extra) b.node.addEventListener('click', () => kit.run(b.run, b));
  cancelButton.addEventListener('click', kit.cancel);
  csvButton.addEventListener('click', () => {
    const table = sections.find((s) => s.csvHere)?.table.spec;
    const rows = (spec.csv.rows ?? table.rows)(kit.report, values(), kit);
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '');
    if (rows.length) download(`parallel-playground-${id}-${stamp}.csv`, toCsv(spec.csv.columns ?? table.columns, rows));
  });

  // ---- the preview: asked while nothing runs, one call at a time (the bridge takes one) ----
  let previewKey = null;
  let previewing = null;
  function askPreview() {
    const params = spec.preview && !running && !previewing && spec.preview.params(values(), caps);
    if (!params || JSON.stringify(params) === previewKey) return;
    previewKey = JSON.stringify(params);
    previewing = bridge
      .call(spec.preview.experiment, params)
      .then(
        (answer) => (kit.preview = answer),
        (error) => {
          kit.preview = null;
          // Another lesson is running, or a Cancel caught it: ask again on the next change.
          if (['BusyError', 'CancelledError'].includes(error?.name)) previewKey = null;
          else say(`The preview failed: ${error?.message ?? String(error)}`, 'error');
        },
      )
      .finally(() => {
        previewing = null;
        refresh(); // what reads the preview, and a new one if the settings changed meanwhile
      });
  }

  /** Brings the controls, the buttons and the always-shown sections up to date. */
  function refresh(event) {
    for (const c of controls) c.update(values(), kit.preview);
    const v = values();
    runButton.textContent = spec.runText?.(v, caps, kit.preview) ?? 'Run';
    for (const b of extra) b.node.textContent = typeof b.text === 'function' ? b.text(v, caps, kit.preview) : b.text;
    if (runHint) runHint.textContent = spec.runHint(v, caps, kit.preview);
    const reason = spec.blocked?.(v, caps, kit.preview) || '';
    if (reason !== blocked && !running) progressText.textContent = reason || 'Ready.';
    blocked = reason;
    for (const b of runButtons) b.disabled = running || Boolean(reason);
    render(!controls.find((c) => c.inputs.includes(event?.target))?.spec.live);
    askPreview();
  }
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  onSchemeChange(() => render());
  refresh();
  container.dataset.state = 'idle';

  return {
    kit,
    /** URL presets: url-state.js sets the controls, then log sliders take their nearest listed value. */
    applyPreset(preset) {
      const logs = controls.filter((c) => c.spec.kind === 'log' && c.name in preset);
      const notes = applyPresetToControls(container, id, Object.fromEntries(Object.entries(preset).filter(([key]) => !logs.some((c) => c.name === key))));
      refresh(); // a log slider's choices may depend on the settings just made
      const setLogs = (out) => {
        for (const c of logs) {
          c.set(preset[c.name]);
          if (c.get() !== preset[c.name]) out.push(`${c.name}=${preset[c.name]} is not one of this lesson's choices; using ${c.spec.format?.(c.get()) ?? c.get()}.`);
        }
        refresh();
        return out;
      };
      if (!previewing || !logs.length) return setLogs(notes);
      // Choices that come with the preview are known once no preview is on its way.
      (async () => {
        while (previewing) await previewing;
        for (const note of setLogs([])) say(`From the URL: ${note}`, 'warning');
      })();
      return notes;
    },
    /** The settings for "Copy link", log sliders as their values rather than positions. */
    readState() {
      const read = readControls(container, id);
      for (const c of controls) if (c.spec.kind === 'log' && c.name in read) read[c.name] = c.get();
      return read;
    },
  };
}
