// DOM pieces shared by the "Speedup versus workers" and "Measure, don't assume"
// lessons, built the same way as lesson 1's panel (same classes, ids with
// data-testid, text only: nothing here parses HTML).
import { h } from './dom.js';
import { plural } from './reading.js';

/**
 * A control's value as a number, or the raw text when it is not one: the driver then
 * refuses it with a message, instead of JSON turning NaN into "use the default".
 */
export function numeric(value) {
  const number = Number(value);
  return String(value).trim() !== '' && Number.isFinite(number) ? number : String(value);
}

export function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** Links `href` (a stylesheet next to a lesson) once, unless the page already links it. */
export function ensureStylesheet(href) {
  const url = new URL(href, document.baseURI).href;
  const present = [...document.querySelectorAll('link[rel="stylesheet"]')].some((link) => link.href === url);
  if (!present) document.head.append(h('link', { rel: 'stylesheet', href: url }));
}

/** A labelled range input with its value shown beside the label. */
export function slider({ id, label, min, max, value, hint }) {
  const input = h('input', { id, type: 'range', min: String(min), max: String(max), step: '1', value: String(value), attrs: { 'data-testid': id } });
  const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` }, text: String(value) });
  const hintNode = hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const field = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label }), output), input, hintNode);
  return { field, input, output, hint: hintNode };
}

/** A labelled select of `choices` (`[{ value, text }]`). */
export function selectField({ id, label, choices, value, hint }) {
  const select = h(
    'select',
    { id, attrs: { 'data-testid': id, 'aria-describedby': hint ? `${id}-hint` : null } },
    choices.map((c) => h('option', { value: String(c.value), text: c.text, selected: String(c.value) === String(value) })),
  );
  const field = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label })),
    select,
    hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null,
  );
  return { field, select };
}

/**
 * The engines fieldset: sequential always on (the baseline), the others ticked when
 * available and disabled with the bridge's reason when not. Answers `{ fieldset, boxes }`.
 */
export function engineChoice({ prefix, engines, sequentialNote = 'always runs: the baseline' }) {
  const boxes = {};
  const fieldset = h('fieldset', { class: 'engines-choice', id: `${prefix}-engines` }, h('legend', { text: 'Engines' }));
  for (const e of engines) {
    const boxId = `${prefix}-engine-${e.id}`;
    const box = h('input', { type: 'checkbox', id: boxId, name: 'engine', value: e.id, attrs: { 'data-testid': boxId } });
    if (e.id === 'sequential') {
      box.checked = true;
      box.disabled = true;
    } else {
      box.checked = e.available;
      box.disabled = !e.available;
    }
    const note =
      e.id === 'sequential'
        ? h('span', { class: 'hint', id: `${boxId}-reason`, text: sequentialNote })
        : !e.available
          ? h('span', { class: 'hint reason', id: `${boxId}-reason`, attrs: { 'data-testid': `${boxId}-reason` }, text: `unavailable: ${e.reason || 'not supported here'}` })
          : null;
    if (note) box.setAttribute('aria-describedby', note.id);
    boxes[e.id] = box;
    fieldset.append(
      h(
        'div',
        { class: `check${e.available ? '' : ' unavailable'}`, dataset: { engine: e.id } },
        box,
        h('label', { htmlFor: boxId }, h('span', { class: 'swatch', dataset: { engine: e.id }, attrs: { 'aria-hidden': 'true' } }), e.label),
        note,
      ),
    );
  }
  return { fieldset, boxes };
}

/** Run and Cancel buttons with a progress bar and its text. */
export function runControls(prefix) {
  const run = h('button', { type: 'submit', id: `${prefix}-run`, class: 'primary', attrs: { 'data-testid': `${prefix}-run` }, text: 'Run' });
  const cancel = h('button', { type: 'button', id: `${prefix}-cancel`, disabled: true, attrs: { 'data-testid': `${prefix}-cancel` }, text: 'Cancel' });
  const progress = h('progress', { id: `${prefix}-progress`, max: 1, value: 0, attrs: { 'data-testid': `${prefix}-progress`, 'aria-labelledby': `${prefix}-progress-text` } });
  const progressText = h('span', { id: `${prefix}-progress-text`, class: 'progress-text', attrs: { 'data-testid': `${prefix}-progress-text` }, text: 'Ready.' });
  const progressBox = h('div', { class: 'progress-box', id: `${prefix}-progress-box` }, progress, progressText);
  const actions = h('div', { class: 'actions' }, run, cancel, progressBox);
  return { run, cancel, progress, progressText, progressBox, actions };
}

/** The polite live region messages go to. */
export function messageArea(prefix) {
  return h('div', { id: `${prefix}-messages`, class: 'messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-messages` } });
}

/** Appends one message (text only) of `kind` info|warning|error|success to `area`. */
export function say(area, text, kind = 'info') {
  area.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
}

/**
 * Shows `error` through `report(text, kind)` and answers whether the whole run stops
 * ('cancelled', 'error') or may go on with the next engine ('failed').
 */
export function describeError(error, label, report) {
  if (error?.name === 'CancelledError') {
    report('Cancelled.', 'info');
    return 'cancelled';
  }
  if (error?.name === 'ConfigError') {
    const problems = error.errors?.length ? error.errors : [error.message];
    for (const problem of problems) report(`Settings refused: ${problem}`, 'error');
    return 'error';
  }
  if (error?.name === 'BusyError') {
    report(error.message, 'error');
    return 'error';
  }
  report(`${label} failed: ${error?.message ?? String(error)}`, 'error');
  return 'failed';
}

/** A table cell with a number, labelled for the narrow card layout. */
export function numCell(label, text, extra = {}) {
  return h('td', { class: 'num', attrs: { role: 'cell' }, dataset: { label, ...extra }, text });
}

/** The ✓ + checksum cell (or ✗ when the result did not match sequential). */
export function checksumCell(verified, checksum) {
  return verified
    ? h(
        'td',
        { class: 'verified', attrs: { role: 'cell' }, dataset: { label: 'Checksum' } },
        h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }),
        h('span', { class: 'visually-hidden', text: 'verified, checksum ' }),
        h('code', { text: checksum }),
      )
    : h('td', { class: 'unverified', attrs: { role: 'cell' }, dataset: { label: 'Checksum' }, text: `✗ ${checksum}` });
}

/** The engine's name with its colour swatch, as a row header. */
export function engineHeader(engine, label) {
  return h('th', { attrs: { scope: 'row', role: 'rowheader' } }, h('span', { class: 'swatch', dataset: { engine }, attrs: { 'aria-hidden': 'true' } }), label);
}

/** A results table with explicit roles (kept when narrow screens restyle it as cards). */
export function resultsTable({ id, caption, columns, numeric }) {
  const body = h('tbody', { id: `${id}-body`, attrs: { role: 'rowgroup' } });
  const table = h(
    'table',
    { id, class: 'results-table', attrs: { role: 'table', 'data-testid': id } },
    h('caption', { text: caption }),
    h(
      'thead',
      { attrs: { role: 'rowgroup' } },
      h('tr', { attrs: { role: 'row' } }, columns.map((name, i) => h('th', { attrs: { scope: 'col', role: 'columnheader' }, class: numeric(i) ? 'num' : '', text: name }))),
    ),
    body,
  );
  return { table, body };
}

/** "starting 3 pool workers", "timed run 2/5", … for one progress report. */
export function describePhase(p, workers) {
  switch (p.phase) {
    case 'startup':
      return `starting ${plural(workers, 'pool worker')}`;
    case 'reference':
      return 'computing the reference checksum';
    case 'warmup':
      return `warm-up run ${p.done + 1}/${p.total}`;
    case 'timed':
      return `timed run ${p.done + 1}/${p.total}`;
    default:
      return 'working';
  }
}

/** How far through one `map` call a progress report is, from 0 to 1. */
export function progressFraction(p, { warmup, repetitions }) {
  const total = warmup + repetitions;
  if (p.phase === 'warmup') return p.done / total;
  if (p.phase === 'timed') return (warmup + p.done) / total;
  return 0;
}

/** A file name stamp: 2026-01-31T120000. */
export function stamp() {
  return new Date().toISOString().slice(0, 19).replace(/:/g, '');
}
