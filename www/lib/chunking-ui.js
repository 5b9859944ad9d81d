// Panel pieces shared by the chunking and copying lessons: labelled sliders (plain and
// stepping through a list of values on a log scale), engine check boxes, Run/Cancel
// with a progress bar, a polite message area, and the lessons' own stylesheet. Every
// text goes in through h(), so nothing shown here is ever parsed as HTML.
import { h, append, clear } from './dom.js';
import { plural } from './reading.js';

/** Adds `<link rel=stylesheet href=url>` to the page once. */
export function addStylesheet(url) {
  const href = new URL(url).href;
  if ([...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.href === href)) return;
  document.head.append(h('link', { rel: 'stylesheet', href }));
}

/** A labelled range input with its value shown beside the label. */
export function slider({ id, label, min, max, value, step = 1, hint }) {
  const input = h('input', { id, type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), attrs: { 'data-testid': id } });
  const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` }, text: String(value) });
  const hintNode = hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const field = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label }), output), input, hintNode);
  return { field, input, output, hint: hintNode };
}

/**
 * A slider that steps through `values` (ascending), so equal movements multiply the value
 * by about the same factor: a log scale. `format(value)` is what the learner reads.
 * Answers the slider plus `get()`, `set(value)` (nearest listed value) and `setValues()`.
 */
export function logSlider({ id, label, values, value, format = String, hint }) {
  const s = slider({ id, label, min: 0, max: values.length - 1, value: 0, hint });
  let list = values.slice();
  const clampIndex = (index) => Math.min(list.length - 1, Math.max(0, Math.round(Number(index) || 0)));
  const get = () => list[clampIndex(s.input.value)];
  const show = () => {
    const v = get();
    s.output.value = format(v);
    s.input.setAttribute('aria-valuetext', format(v));
  };
  const nearest = (v) => {
    let best = 0;
    list.forEach((candidate, i) => {
      if (Math.abs(Math.log(candidate) - Math.log(v)) < Math.abs(Math.log(list[best]) - Math.log(v))) best = i;
    });
    return best;
  };
  const set = (v) => {
    s.input.value = String(nearest(v));
    show();
  };
  const setValues = (next, keep) => {
    list = next.slice();
    s.input.max = String(list.length - 1);
    set(keep);
  };
  s.input.addEventListener('input', show);
  set(value);
  return { ...s, get, set, setValues, values: () => list.slice() };
}

/** One check box per engine, the sequential baseline always on; unavailable ones say why. */
export function engineChoice({ prefix, engines, legend = 'Engines', notes = {} }) {
  const boxes = {};
  const fieldset = h('fieldset', { class: 'engines-choice', id: `${prefix}-engines` }, h('legend', { text: legend }));
  for (const e of engines) {
    const boxId = `${prefix}-engine-${e.id}`;
    const baseline = e.id === 'sequential';
    const box = h('input', { type: 'checkbox', id: boxId, name: 'engine', value: e.id, checked: baseline || e.available, disabled: baseline || !e.available, attrs: { 'data-testid': boxId } });
    const noteText = !e.available ? `unavailable: ${e.reason || 'not supported here'}` : notes[e.id];
    const note = noteText ? h('span', { class: `hint${e.available ? '' : ' reason'}`, id: `${boxId}-reason`, text: noteText }) : null;
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

/**
 * Run and Cancel buttons with a progress bar, a polite message area, and the running
 * state: `setRunning`, `setProgress`, `say`, `clearMessages`. `runButtons` may hold
 * several submit-like buttons (all disabled while running).
 */
export function runControls({ prefix, runButtons }) {
  const cancel = h('button', { type: 'button', id: `${prefix}-cancel`, disabled: true, attrs: { 'data-testid': `${prefix}-cancel` }, text: 'Cancel' });
  const progress = h('progress', { id: `${prefix}-progress`, max: 1, value: 0, attrs: { 'data-testid': `${prefix}-progress`, 'aria-labelledby': `${prefix}-progress-text` } });
  const progressText = h('span', { id: `${prefix}-progress-text`, class: 'progress-text', attrs: { 'data-testid': `${prefix}-progress-text` }, text: 'Ready.' });
  const actions = h('div', { class: 'actions' }, runButtons, cancel, h('div', { class: 'progress-box', id: `${prefix}-progress-box` }, progress, progressText));
  const messages = h('div', { id: `${prefix}-messages`, class: 'messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-messages` } });

  const say = (text, kind = 'info') => {
    messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
  };
  const setProgress = (fraction, text) => {
    progress.value = Math.max(0, Math.min(1, fraction));
    progressText.textContent = text;
  };
  /** Locks `fieldsets` and the run buttons while running, and moves focus sensibly. */
  const setRunning = (running, fieldsets = []) => {
    const hadFocus = document.activeElement;
    for (const f of fieldsets) f.disabled = running;
    for (const b of runButtons) b.disabled = running;
    cancel.disabled = !running;
    if (running && runButtons.includes(hadFocus)) cancel.focus();
    if (!running && (hadFocus === cancel || hadFocus === document.body)) runButtons[0].focus();
  };
  return { actions, cancel, progress, progressText, messages, say, setProgress, setRunning, clearMessages: () => clear(messages) };
}

/**
 * Shows a rejected call's error with `say` and answers the panel's state:
 * 'cancelled', 'error' (refused or busy: nothing ran) or 'failed' (the run broke).
 */
export function reportError(error, say, label = 'The run') {
  if (error?.name === 'CancelledError') {
    say('Cancelled: the engines were stopped and restarted; the numbers measured so far are kept.', 'info');
    return 'cancelled';
  }
  if (error?.name === 'ConfigError') {
    for (const problem of error.errors?.length ? error.errors : [error.message]) say(`Settings refused: ${problem}`, 'error');
    return 'error';
  }
  if (error?.name === 'BusyError') {
    say(error.message, 'error');
    return 'error';
  }
  say(`${label} failed: ${error?.message ?? String(error)}`, 'error');
  return 'failed';
}

/** Says each warning once per run (the driver repeats them for every call). */
export function warningSayer(say) {
  const seen = new Set();
  return (warnings, prefix = '') => {
    for (const w of warnings ?? []) {
      if (seen.has(w)) continue;
      seen.add(w);
      say(`${prefix}${w}`, 'warning');
    }
  };
}

/** A table cell saying a result matched the sequential one, with its checksum. */
export function verifiedCell(verified, checksum, label = 'Checked') {
  return verified
    ? h('td', { class: 'verified', attrs: { role: 'cell' }, dataset: { label } }, h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }), h('span', { class: 'visually-hidden', text: 'verified, checksum ' }), h('code', { text: checksum }))
    : h('td', { class: 'unverified', attrs: { role: 'cell' }, dataset: { label }, text: `✗ ${checksum ?? ''}` });
}

/**
 * A results table with a caption and column heads; answers `{ table, body }`. Explicit
 * roles keep it a table for screen readers when narrow screens restyle rows as cards.
 */
export function resultsTable({ id, caption, columns }) {
  const body = h('tbody', { id: `${id}-body`, attrs: { role: 'rowgroup' } });
  const table = h(
    'table',
    { id, class: 'results-table', attrs: { role: 'table', 'data-testid': id } },
    h('caption', { text: caption }),
    h('thead', { attrs: { role: 'rowgroup' } }, h('tr', { attrs: { role: 'row' } }, columns.map((c) => h('th', { attrs: { scope: 'col', role: 'columnheader' }, class: c.num ? 'num' : '', text: c.name })))),
    body,
  );
  return { table, body };
}

/** A table row; `props` may add a class or data attributes. */
export function tableRow(props, ...cells) {
  return h('tr', { ...props, attrs: { role: 'row', ...(props.attrs ?? {}) } }, ...cells);
}

/** A numeric cell, labelled for the narrow-screen card layout. */
export function numCell(label, text) {
  return h('td', { class: 'num', attrs: { role: 'cell' }, dataset: { label }, text });
}

/** A text cell, labelled for the narrow-screen card layout. */
export function textCell(label, text, className = '') {
  return h('td', { class: className, attrs: { role: 'cell' }, dataset: { label }, text });
}

/** A row header, with the engine's colour swatch when `engine` is given. */
export function rowHeader(label, engine) {
  const swatch = engine ? h('span', { class: 'swatch', dataset: { engine }, attrs: { 'aria-hidden': 'true' } }) : null;
  return h('th', { attrs: { scope: 'row', role: 'rowheader' } }, swatch, label);
}

/** How far through a `map` call's warm-up and timed runs a progress report is (0–1). */
export function mapFraction(p, warmup, repetitions) {
  const total = warmup + repetitions;
  if (p.phase === 'warmup') return p.done / total;
  if (p.phase === 'timed') return (warmup + p.done) / total;
  return 0;
}

/** A progress report as words. */
export function describeMapPhase(p, workers) {
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

export { h, append, clear };
