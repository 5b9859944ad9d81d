// The lesson kit: every lesson is a declaration handed to `defineLesson`, which builds its
// intro, form, run cycle, messages, results (readings, key figures, charts, tables, CSV)
// and timeline, the same way for all of them. Not for numbers or verdicts: those come from
// the engines (Rust) through the bridge; the kit only lays out what comes back, always as
// text, never as HTML.
//
//   const lesson = defineLesson({
//     id: 'engines', title: 'Same interface, different engine',
//     intro: { lead: '…', body: ['…', { list: ['…'] }, { terms: [{ term, text, swatch }] }], snippet: { caption: '…', code: PY } },
//     controls: (caps) => [enginePicker(caps), { legend: 'Settings', fields: [
//       { kind: 'range', name: 'workers', label: 'Workers', min: 1, max: caps.maxWorkers, value: 4, hint: '…',
//         warn: (v, caps) => (v.workers > caps.cores ? 'more workers than cores' : '') },
//       { kind: 'select', name: 'n', label: 'n', values: [1e6, 1e7], format: formatCount, value: 1e7 } ] }],
//     run: { experiment: 'compare', params: (v, caps) => ({ …v }), progress: (p, v) => [p.done / p.total, 'working'] },
//     // or: async run(v, kit) { … await kit.call('map', params, { label, progress }) … return report; }
//     done: (report, v) => 'Done. …',
//     sections: [{ charts: [{ name: 'time', draw: (report) => ({ type: 'bar', … }) }],
//                  table: { caption: '…', rows: (report) => rows, columns: [{ name: 'Engine', key: 'label', type: 'engine' }, …] } }],
//     csv: { table: 'results' },
//     timeline: { heading: '…', runs: (report) => [{ engine, label, chunks, note }] },
//   });
//   export const { id, title, intro, mount, applyPreset, readState } = lesson;
//
// Declaration, every key optional but id, title and controls:
// - intro: { lead, body: [string | Node | { list: [..] } | { terms: [{ term, text, swatch, color }] }], snippet: { caption, code } },
//   or a function (container) => Node; stylesheet: a URL linked once (a lesson's own CSS).
// - controls(caps) → fieldsets: `{ legend, name?, class?, fields: [control] }`, or a group
//   control (`checks`, `radio`, enginePicker(caps)). Controls: `range` { min, max, step },
//   `log` { values } (a slider over a list), `select` { options: [{ value, text }] | values },
//   `check` (one box), `checks` / `radio` { legend, options: [{ value, label, checked, reason, note, swatch }] },
//   `text` (a textarea); all with name, label, value, hint, warn, format, disabled. Any of
//   min, max, values, hint, warn, disabled may be a function (values, caps) of the current
//   values; `live: true` redraws the results when it changes (a view toggle).
// - run: { experiment, params(values, caps), progress(p, values) → [fraction, text] }, or
//   async run(values, kit) → report. buttons: [{ name, text(values), run, start, done, finished }]
//   add run buttons (#<id>-<name>) beside Run. cancel(kit): replaces the bridge's cancel.
// - runText(values), runHint(values), blocked(values, caps) → reason to keep Run disabled,
//   start(values, caps) → opening message, done(report, values) → success message,
//   finished(report, values) → last progress text, formLabel, empty (text before a run).
// - reading(report, values, kit) → [{ engine, kind, text }] (default: report.findings
//   through kit/findings.js), figures(report, values, kit) → [{ label, value, engine, testid, data }],
//   has(report) (is there anything to show), resultsData(report) → data-* of #<id>-results.
// - sections: [{ name, heading, layout: 'grid' | 'stack', always, show(report, values), note,
//   charts: [{ name, draw(report, values, kit) → chart spec (kit/charts.js) or null }],
//   table: { name = 'results', caption, rows(report, values, kit), row(r) → data-*, note(report, values, kit),
//     columns: [{ name (table head), key (CSV head), value(r), text(r), type: 'engine'|'head'|'num'|'check', cell(r) → Node }] } }].
//   `always` sections show before any run and redraw on every change of the controls.
// - csv: { table: name } (that table's columns with a key) or { columns, rows(report) }, button.
// - timeline: { heading, pickers, runs(report, values, kit) } (see kit/timeline.js).
// - before(kit) → Node(s) placed before the form (a lesson's own part).
//
// The kit a run and the callbacks get: caps, bridge, id, label(engine), values(),
// control(name), call(name, params, { label, progress }), attempt(label, fn), progress(f, text),
// say(text, kind), warn(warnings, label), show(report), run(task, hooks), report, previous.
import { h, clear, download } from '../lib/dom.js';
import { applyPresetToControls, readControls } from '../lib/url-state.js';
import { buildControl } from './controls.js';
import { draw, onSchemeChange } from './charts.js';
import { timelineCard } from './timeline.js';
import { plural } from './format.js';

export { enginePicker, numeric } from './controls.js';

/** Progress through one `map` call's warm-up and timed runs: `[fraction, text]`. */
export function mapProgress(p, { warmup, repetitions, workers }) {
  const total = warmup + repetitions;
  const fraction = p.phase === 'warmup' ? p.done / total : p.phase === 'timed' ? (warmup + p.done) / total : 0;
  const text = {
    startup: `starting ${plural(workers, 'pool worker')}`,
    reference: 'computing the reference checksum',
    warmup: `warm-up run ${p.done + 1}/${p.total}`,
    timed: `timed run ${p.done + 1}/${p.total}`,
  }[p.phase];
  return [fraction, text ?? 'working'];
}

/** One CSV field: quoted when needed; text a spreadsheet might run as a formula is defused. */
function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: a header line of the columns' keys, then one line per row. */
export function toCsv(columns, rows) {
  const csv = columns.filter((c) => c.key);
  const line = (cells) => cells.map(csvField).join(',');
  return `${[line(csv.map((c) => c.key)), ...rows.map((r) => line(csv.map((c) => (c.value ? c.value(r) : r[c.key]))))].join('\r\n')}\r\n`;
}

/** The ✓-and-checksum cell content, or ✗ when the result did not match sequential. */
function checksum(r, text) {
  return r.verified
    ? [h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }), h('span', { class: 'visually-hidden', text: 'verified, checksum ' }), h('code', { text })]
    : `✗ ${text}`;
}

/** A results table from column specs; `fill(rows)` replaces its rows. */
function resultsTable(prefix, spec) {
  const id = `${prefix}-${spec.name ?? 'results'}-table`;
  const columns = spec.columns.filter((c) => c.name);
  const body = h('tbody', { id: `${id}-body`, attrs: { role: 'rowgroup' } });
  // Explicit roles keep the table a table for screen readers when narrow screens restyle it as cards.
  const table = h(
    'table',
    { id, class: 'results-table', attrs: { role: 'table', 'data-testid': id } },
    h('caption', { text: spec.caption }),
    h('thead', { attrs: { role: 'rowgroup' } }, h('tr', { attrs: { role: 'row' } }, columns.map((c) => h('th', { class: c.type === 'num' ? 'num' : '', attrs: { scope: 'col', role: 'columnheader' }, text: c.name })))),
    body,
  );
  const note = h('p', { class: 'hint table-note', id: `${id}-note` });
  function cell(c, r) {
    const text = c.text ? c.text(r) : String((c.value ? c.value(r) : r[c.key]) ?? '—');
    if (c.type === 'engine' || c.type === 'head') {
      const swatch = c.type === 'engine' ? h('span', { class: 'swatch', dataset: { engine: r.engine }, attrs: { 'aria-hidden': 'true' } }) : null;
      return h('th', { attrs: { scope: 'row', role: 'rowheader' } }, swatch, c.cell ? c.cell(r) : text);
    }
    const kind = c.type === 'check' ? (r.verified ? 'verified' : 'unverified') : c.type === 'num' ? 'num' : '';
    return h('td', { class: kind, attrs: { role: 'cell' }, dataset: { label: c.name } }, c.cell ? c.cell(r) : c.type === 'check' ? checksum(r, text) : text);
  }
  return {
    spec,
    node: h('div', { class: 'table-scroll' }, table),
    note,
    fill(rows, noteText) {
      clear(body);
      for (const r of rows) body.append(h('tr', { attrs: { role: 'row' }, dataset: spec.row?.(r) ?? {} }, columns.map((c) => cell(c, r))));
      note.textContent = noteText ?? '';
    },
  };
}

/** The intro: prose (lead, paragraphs, lists, terms) beside a captioned Python snippet. */
function buildIntro(container, spec) {
  if (typeof spec.intro === 'function') return spec.intro(container);
  const { lead, body = [], snippet } = spec.intro;
  const part = (item) => {
    if (typeof item === 'string') return h('p', { text: item });
    if (item instanceof Node) return item;
    if (item.list) return h('ul', {}, item.list.map((text) => h('li', { text })));
    return h(
      'dl',
      { class: 'engine-list' },
      item.terms.map((x) => {
        const swatch = x.swatch || x.color ? h('span', { class: 'swatch', dataset: x.swatch ? { engine: x.swatch } : {}, attrs: { 'aria-hidden': 'true' } }) : null;
        if (x.color) swatch.style.backgroundColor = x.color;
        return [h('dt', {}, swatch, x.term), h('dd', { text: x.text })];
      }),
    );
  };
  const node = h(
    'div',
    { class: 'intro' },
    h('div', { class: 'prose' }, h('p', { class: 'lead', text: lead }), body.map(part)),
    snippet
      ? h('figure', { class: 'snippet' }, h('figcaption', { text: snippet.caption }), h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: snippet.code })))
      : null,
  );
  container.append(node);
  return node;
}

function linkStylesheet(url) {
  const href = new URL(url, document.baseURI).href;
  if (![...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) document.head.append(h('link', { rel: 'stylesheet', href }));
}

/**
 * Turns a lesson declaration (see the top of this file) into the module app.js expects:
 * `{ id, title, intro, mount, applyPreset, readState }`.
 */
export function defineLesson(spec) {
  let mounted = null;
  const intro = (container) => {
    if (spec.stylesheet) linkStylesheet(spec.stylesheet);
    return buildIntro(container, spec);
  };
  return {
    id: spec.id,
    title: spec.title,
    intro,
    mount(container, context) {
      if (!container.querySelector(':scope > .intro')) intro(container);
      mounted = mountLesson(container, context, spec);
      return mounted.kit;
    },
    applyPreset: (container, preset) => mounted?.applyPreset(preset) ?? applyPresetToControls(container, spec.id, preset),
    readState: (container) => mounted?.readState() ?? readControls(container, spec.id),
  };
}

function mountLesson(container, { caps, bridge }, spec) {
  const { id } = spec;
  const say = (text, kind = 'info') => messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
  const state = { running: false, cancelling: false, report: null, previous: null, warned: new Set() };

  // ---- the form ----------------------------------------------------------------------
  const controls = [];
  const fieldsets = spec.controls(caps).map((group) => {
    if (!group.fields) {
      const control = buildControl(id, group, caps);
      controls.push(control);
      return control.node;
    }
    const built = group.fields.map((f) => buildControl(id, f, caps));
    controls.push(...built);
    return h('fieldset', { class: group.class ?? 'sizes', id: `${id}-${group.name ?? 'sizes'}` }, h('legend', { text: group.legend }), built.map((c) => c.node));
  });
  const values = () => Object.fromEntries(controls.map((c) => [c.name, c.get()]));
  const button = (name, primary) => h('button', { type: primary ? 'submit' : 'button', id: `${id}-${name}`, class: primary ? 'primary' : '', attrs: { 'data-testid': `${id}-${name}` }, text: 'Run' });
  const runButton = button('run', true);
  const extra = (spec.buttons ?? []).map((b) => ({ ...b, node: button(b.name, false) }));
  const runButtons = [runButton, ...extra.map((b) => b.node)];
  const cancelButton = h('button', { type: 'button', id: `${id}-cancel`, disabled: true, attrs: { 'data-testid': `${id}-cancel` }, text: 'Cancel' });
  const progress = h('progress', { id: `${id}-progress`, max: 1, value: 0, attrs: { 'data-testid': `${id}-progress`, 'aria-labelledby': `${id}-progress-text` } });
  const progressText = h('span', { id: `${id}-progress-text`, class: 'progress-text', attrs: { 'data-testid': `${id}-progress-text` }, text: 'Ready.' });
  const runHint = spec.runHint ? h('span', { class: 'hint', id: `${id}-run-hint`, attrs: { 'data-testid': `${id}-run-hint` } }) : null;
  if (runHint) runButton.setAttribute('aria-describedby', runHint.id);
  const form = h(
    'form',
    { id: `${id}-form`, class: 'controls card', attrs: { 'aria-label': spec.formLabel ?? 'Run settings', novalidate: true } },
    fieldsets,
    h('div', { class: 'actions' }, runButtons, cancelButton, h('div', { class: 'progress-box', id: `${id}-progress-box` }, progress, progressText)),
    runHint,
  );
  const messages = h('div', { id: `${id}-messages`, class: 'messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': `${id}-messages` } });
  const chartError = h('p', { class: 'message message-error', id: `${id}-chart-error`, hidden: true });

  // ---- the results -------------------------------------------------------------------
  const charts = new Map();
  const chartFailed = (error) => {
    chartError.hidden = false;
    chartError.textContent = `Charts unavailable: ${error.message}. The tables still have every number.`;
  };
  const tables = new Map();
  const csvButton = h('button', { type: 'button', id: `${id}-download-csv`, disabled: true, attrs: { 'data-testid': `${id}-download-csv` }, text: spec.csv?.button ?? 'Download CSV' });
  let csvPlaced = false;
  const sections = (spec.sections ?? []).map((s) => {
    const boxes = (s.charts ?? []).map((c) => {
      const canvas = h('canvas', { id: `${id}-chart-${c.name}`, attrs: { role: 'img', 'data-testid': `${id}-chart-${c.name}` } });
      return { ...c, canvas, box: h('div', { class: 'chart-box' }, canvas) };
    });
    const table = s.table ? resultsTable(id, s.table) : null;
    if (table) tables.set(table.spec.name ?? 'results', table);
    const withCsv = table && spec.csv?.table === (table.spec.name ?? 'results');
    csvPlaced ||= withCsv;
    const parts = [
      boxes.length ? h('div', { class: 'card charts' }, boxes.map((b) => b.box), s.note ? h('p', { class: 'hint table-note', text: s.note }) : null) : null,
      table ? h('div', { class: 'card table-card' }, table.node, table.note, withCsv ? h('div', { class: 'actions' }, csvButton) : null) : null,
    ];
    const node = h('div', { class: 'results', id: s.name ? `${id}-${s.name}` : null, attrs: { 'data-testid': s.name ? `${id}-${s.name}` : null } }, s.heading ? h('h3', { text: s.heading }) : null, h('div', { class: s.layout === 'stack' ? 'results' : 'results-grid' }, parts));
    return { ...s, node, boxes, table };
  });
  const figures = spec.figures ? h('dl', { class: 'key-figures', id: `${id}-figures`, attrs: { 'data-testid': `${id}-figures` } }) : null;
  const reading = h('ul', { id: `${id}-reading`, class: 'reading', attrs: { 'data-testid': `${id}-reading`, 'aria-label': 'What the numbers say' } });
  const timeline = spec.timeline ? timelineCard(id, spec.timeline, chartFailed) : null;
  const empty = h('p', { id: `${id}-empty`, class: 'empty', text: spec.empty ?? 'Press Run: the results will appear here.' });
  const results = h(
    'section',
    { id: `${id}-results`, class: 'results', hidden: true, attrs: { 'aria-label': 'Results', 'data-testid': `${id}-results` } },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), figures, reading, spec.csv && !csvPlaced ? h('div', { class: 'actions table-note' }, csvButton) : null),
    sections.filter((s) => !s.always).map((s) => s.node),
    timeline?.node,
  );
  let findings = null; // kit/findings.js, loaded the first time a report carries findings
  function readingLines(report, v) {
    if (spec.reading) return spec.reading(report, v, kit);
    if (!report?.findings) return [];
    if (findings) return findings.readings(report.findings, kit.label, report);
    import('./findings.js').then((module) => {
      findings = module;
      render();
    });
    return [];
  }

  /** Lays out `state.report` (and the always-shown sections) for the current values. */
  function render({ alwaysOnly = false } = {}) {
    const v = values();
    const report = state.report;
    const has = report !== null && report !== undefined && (spec.has?.(report) ?? true);
    chartError.hidden = true;
    for (const s of sections) {
      if (alwaysOnly && !s.always) continue;
      const shown = s.always || (has && (s.show?.(report, v) ?? true));
      s.node.hidden = !shown;
      for (const b of s.boxes) {
        charts.get(b.canvas)?.destroy();
        charts.delete(b.canvas);
        const chart = shown ? b.draw(report, v, kit) : null;
        b.box.hidden = !chart;
        if (!chart) continue;
        try {
          charts.set(b.canvas, draw(b.canvas, chart));
        } catch (error) {
          chartFailed(error);
        }
      }
      if (shown && s.table) s.table.fill(s.table.spec.rows(report, v, kit), s.table.spec.note?.(report, v, kit));
    }
    if (alwaysOnly) return;
    results.hidden = !has;
    empty.hidden = has;
    csvButton.disabled = !has;
    if (has && spec.resultsData) Object.assign(results.dataset, spec.resultsData(report));
    clear(reading);
    if (figures) clear(figures);
    if (!has) return timeline?.update([]);
    for (const line of readingLines(report, v)) reading.append(h('li', { dataset: { ...(line.engine ? { engine: line.engine } : {}), ...(line.kind ? { kind: line.kind } : {}) }, text: line.text }));
    for (const f of spec.figures?.(report, v, kit) ?? []) {
      const swatch = f.engine ? h('span', { class: 'swatch', dataset: { engine: f.engine }, attrs: { 'aria-hidden': 'true' } }) : null;
      figures.append(h('div', { attrs: { 'data-testid': f.testid ?? null }, dataset: f.data ?? {} }, h('dt', { text: f.label }), h('dd', {}, swatch, f.value)));
    }
    timeline?.update(spec.timeline.runs(report, v, kit));
  }

  // ---- the run cycle ---------------------------------------------------------------------
  function setProgress(fraction, text) {
    progress.value = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
    if (text !== undefined) progressText.textContent = text;
  }

  let blockedReason = '';
  function lock(running) {
    const hadFocus = document.activeElement;
    state.running = running;
    for (const f of fieldsets) f.disabled = running;
    for (const b of runButtons) b.disabled = running || Boolean(blockedReason);
    cancelButton.disabled = !running;
    if (running && runButtons.includes(hadFocus)) cancelButton.focus();
    if (!running && (hadFocus === cancelButton || hadFocus === document.body)) (state.started ?? runButton).focus();
  }

  /** Shows a stopping error once, as text, and answers the state the lesson ends in. */
  function report(error) {
    if (error?.name === 'CancelledError') {
      say('Cancelled.');
      return 'cancelled';
    }
    if (error?.name === 'ConfigError') for (const problem of error.errors?.length ? error.errors : [error.message]) say(`Settings refused: ${problem}`, 'error');
    else if (error?.name === 'BusyError') say(`${error.message} (another lesson may still be running).`, 'error');
    else say(`${error?.label ?? 'The run'} failed: ${error?.message ?? String(error)}`, 'error');
    return 'error';
  }

  /** One run of `task(values, kit)`, with `hooks` (start, done, finished, keep) in place of the lesson's. */
  async function run(task, hooks = spec) {
    if (state.running || blockedReason) return;
    const v = values();
    state.started = runButtons.includes(document.activeElement) ? document.activeElement : runButton;
    Object.assign(state, { cancelling: false, warned: new Set(), previous: state.report });
    if (!hooks.keep) state.report = null;
    clear(messages);
    timeline?.reset();
    render();
    container.dataset.state = 'running';
    lock(true);
    setProgress(0, 'Starting…');
    const opening = hooks.start?.(v, caps);
    if (opening) say(opening);
    let outcome = 'done';
    try {
      const answer = await task(v, kit);
      if (answer !== undefined) state.report = answer;
      render();
      setProgress(1, hooks.finished?.(state.report, v) ?? 'Finished.');
      const message = hooks.done?.(state.report, v);
      if (message) say(message, 'success');
    } catch (error) {
      outcome = report(error);
      render();
      setProgress(progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    state.cancelling = false;
    container.dataset.state = outcome;
    lock(false);
  }

  async function cancel() {
    if (!state.running || state.cancelling) return;
    state.cancelling = true;
    cancelButton.disabled = true;
    setProgress(progress.value, 'Cancelling…');
    try {
      await (spec.cancel ? spec.cancel(kit) : bridge.cancel());
    } catch (error) {
      say(`The engines did not restart after cancelling: ${error?.message ?? String(error)}`, 'error');
    }
  }

  const kit = {
    caps,
    bridge,
    id,
    values,
    run,
    cancel,
    say,
    control: (name) => controls.find((c) => c.name === name),
    label: (engine) => caps.engines.find((e) => e.id === engine)?.label ?? engine,
    get report() {
      return state.report;
    },
    get previous() {
      return state.previous;
    },
    /** Lays out `report` now, while the run goes on. */
    show(partial) {
      state.report = partial;
      render();
    },
    progress: setProgress,
    /** Says each warning once per run, after `label: `. */
    warn(warnings, label) {
      for (const w of warnings ?? []) {
        const text = label ? `${label}: ${w}` : w;
        if (!state.warned.has(text)) say(text, 'warning');
        state.warned.add(text);
      }
    },
    /** Calls experiment `name`; `progress(p)` → [fraction, text] moves the bar until Cancel is pressed. */
    async call(name, params, { label, progress: toProgress } = {}) {
      const onProgress = toProgress
        ? (p) => {
            if (state.running && !state.cancelling) setProgress(...toProgress(p));
          }
        : undefined;
      try {
        const result = await bridge.call(name, params, { onProgress });
        kit.warn(result?.warnings, label);
        return result;
      } catch (error) {
        if (label && error && typeof error === 'object') error.label ??= label;
        throw error;
      }
    },
    /** Runs `fn`; a failure of its own is said and answers undefined, so the run goes on. */
    async attempt(label, fn) {
      try {
        return await fn();
      } catch (error) {
        if (['CancelledError', 'ConfigError', 'BusyError'].includes(error?.name)) throw error;
        say(`${label} failed: ${error?.message ?? String(error)}`, 'error');
        return undefined;
      }
    },
  };

  // ---- wiring ------------------------------------------------------------------------------
  container.append(
    h('h3', { class: 'section-title', text: 'Try it' }),
    [spec.before?.(kit)].flat(),
    form,
    messages,
    chartError,
    sections.filter((s) => s.always).map((s) => s.node),
    empty,
    results,
  );

  const mainTask = typeof spec.run === 'function'
    ? spec.run
    : (v) => kit.call(spec.run.experiment, spec.run.params(v, caps), { progress: spec.run.progress && ((p) => spec.run.progress(p, v)) });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    run(mainTask);
  });
  for (const b of extra) b.node.addEventListener('click', () => run(b.run, b));
  cancelButton.addEventListener('click', cancel);
  csvButton.addEventListener('click', () => {
    const table = tables.get(spec.csv.table);
    const rows = (spec.csv.rows ?? table.spec.rows)(state.report, values(), kit);
    const stamp = new Date().toISOString().slice(0, 19).replace(/:/g, '');
    if (rows.length) download(`parallel-playground-${id}-${stamp}.csv`, toCsv(spec.csv.columns ?? table.spec.columns, rows));
  });

  /** Brings every control, the Run button and the always-shown sections up to date. */
  function refresh(event) {
    for (const c of controls) c.update(values(), caps);
    const v = values();
    runButton.textContent = spec.runText?.(v) ?? 'Run';
    for (const b of extra) b.node.textContent = typeof b.text === 'function' ? b.text(v) : b.text;
    if (runHint) runHint.textContent = spec.runHint(v, caps);
    const reason = spec.blocked?.(v, caps) || '';
    if (reason !== blockedReason && !state.running) progressText.textContent = reason || 'Ready.';
    blockedReason = reason;
    for (const b of runButtons) b.disabled = state.running || Boolean(reason);
    const live = controls.find((c) => c.inputs.includes(event?.target))?.spec.live;
    render({ alwaysOnly: !live });
  }
  form.addEventListener('input', refresh);
  form.addEventListener('change', refresh);
  onSchemeChange(() => render());
  refresh();
  container.dataset.state = 'idle';

  return {
    kit,
    /** URL presets: log sliders take the nearest listed value; url-state.js sets the rest. */
    applyPreset(preset) {
      const rest = { ...preset };
      const notes = [];
      for (const c of controls.filter((x) => x.spec.kind === 'log' && x.name in rest)) {
        c.set(rest[c.name]);
        if (c.get() !== rest[c.name]) notes.push(`${c.name}=${rest[c.name]} is not one of this lesson's choices; using ${c.spec.format?.(c.get()) ?? c.get()}.`);
        delete rest[c.name];
      }
      notes.push(...applyPresetToControls(container, id, rest));
      refresh();
      return notes;
    },
    /** The controls' settings for "Copy link", log sliders as their values rather than positions. */
    readState() {
      const read = readControls(container, id);
      for (const c of controls) if (c.spec.kind === 'log' && c.name in read) read[c.name] = c.get();
      return read;
    },
  };
}
