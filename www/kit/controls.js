// The lesson kit's form controls, built from plain specs. Kinds: `range` { min, max, step }, `log` { values } (a slider stepping through a list, for
// sizes on a log scale), `select` { options: [{ value, text }] or values }, `check` (one box; value true/false), `checks` and `radio` { legend,
// options: [{ value, label, checked, reason, note, swatch }] } (values: the ticked list, or the one chosen), `text` (a textarea); each with name,
// label, value, hint, warn (a warning shown when it answers text), format (value → shown text), disabled and live (see lesson-kit.js); a log slider's
// `moved(from, to, values)` is the warning shown after new choices moved its value (until the learner moves it). min, max, values, hint, warn and
// disabled may be functions (values, caps, preview) of the current values and the lesson's preview. Ids keep the page's convention, which URL
// presets, "Copy link" and the tests rely on: `#<lesson>-<name>`, `-value` (the output), `-hint`, `-note` (the warning), and
// `#<lesson>-<name>-<value>` for a group's boxes, so engines are `#<lesson>-engine-<id>`. Not for running anything: the kit reads `get()`.
import { h } from '../lib/dom.js';
import { formatCount, plural } from './format.js';

/**
 * A control's value for the engines: a number when it reads as one, else the text as it
 * stands, so the driver refuses it with a message instead of the page guessing.
 */
export function numeric(value) {
  const number = Number(value);
  return String(value).trim() !== '' && Number.isFinite(number) ? number : String(value);
}

/** `x`, or what it answers for the current values when it is a function. */
const at = (x, values, caps, preview) => (typeof x === 'function' ? x(values, caps, preview) : x);

/** A labelled field: label and optional output, the input, a hint and a warning note. */
function field(id, s, input, output) {
  const hint = s.hint !== undefined && h('span', { class: 'hint', id: `${id}-hint`, attrs: { 'data-testid': `${id}-hint` } });
  const warn = (s.warn || s.moved) && h('span', { class: 'hint warn', id: `${id}-note`, hidden: true, attrs: { role: 'note', 'data-testid': `${id}-note` } });
  const described = [hint && hint.id, warn && warn.id].filter(Boolean).join(' ');
  if (described) input.setAttribute('aria-describedby', described);
  return { node: h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: s.label }), output), input, hint, warn), hint, warn };
}

/** One box of a group, or a lone checkbox, with its swatch and its reason or note. */
function box(id, o, type, name) {
  const input = h('input', {
    type,
    id,
    name,
    value: String(o.value ?? ''),
    checked: Boolean(o.checked) && !o.reason,
    disabled: Boolean(o.reason || o.locked),
    attrs: { 'data-testid': id },
  });
  const text = o.reason ? `unavailable: ${o.reason}` : o.note;
  const hint = text && h('span', { class: `hint${o.reason ? ' reason' : ''}`, id: `${id}-reason`, attrs: { 'data-testid': `${id}-reason` }, text });
  if (hint) input.setAttribute('aria-describedby', hint.id);
  const swatch = o.swatch && h('span', { class: 'swatch', dataset: { engine: o.swatch }, attrs: { 'aria-hidden': 'true' } });
  const label = h('label', { htmlFor: id }, swatch, o.label);
  return { input, node: h('div', { class: `check${o.reason ? ' unavailable' : ''}`, dataset: o.swatch ? { engine: o.swatch } : {} }, input, label, hint) };
}

/**
 * Builds control `s` of lesson `prefix`: `{ spec, name, node, inputs, get(), set(value),
 * update(values) }`; `update` applies the spec's functions of the current values.
 */
export function buildControl(prefix, s, caps) {
  const id = `${prefix}-${s.name}`;
  const format = s.format ?? String;
  let input;
  let parts;
  let get;
  let set = (v) => (input.value = String(v));
  let limits = () => {};
  let moved = null; // [from, to] when new choices moved a log slider's value

  if (s.kind === 'range' || s.kind === 'log') {
    input = h('input', { id, type: 'range', step: String(s.step ?? 1), attrs: { 'data-testid': id } });
    const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` } });
    parts = field(id, s, input, output);
    // Limits and choices that depend on other controls are known from the first update on.
    const early = (x, fallback) => (typeof x === 'function' ? fallback : x);
    let list = s.kind === 'log' ? [...early(s.values, [s.value])] : null;
    const nearest = (v) => list.reduce((best, c, i) => (Math.abs(Math.log(c / v)) < Math.abs(Math.log(list[best] / v)) ? i : best), 0);
    get = () => (list ? list[Number(input.value)] : numeric(input.value));
    set = (v) => (input.value = String(list ? nearest(Number(v)) : v));
    let first = true;
    input.addEventListener('input', () => (moved = null));
    limits = (values, preview) => {
      const keep = get();
      const choices = list && [...at(s.values, values, caps, preview)];
      const changed = list && String(choices) !== String(list);
      if (list) list = choices;
      // The browser keeps a range's value within its limits, so a new limit moves it.
      Object.assign(input, list ? { min: '0', max: String(list.length - 1) } : { min: String(at(s.min, values, caps, preview)), max: String(at(s.max, values, caps, preview)) });
      if (list || first) set(first ? s.value : keep);
      if (changed && !first) moved = get() === keep ? null : [keep, get()];
      first = false;
      output.value = format(get());
      input.setAttribute('aria-valuetext', format(get()));
    };
    Object.assign(input, list ? { min: '0', max: String(list.length - 1) } : { min: String(early(s.min, 0)), max: String(early(s.max, 100)) });
    set(s.value);
  } else if (s.kind === 'select') {
    const option = (o) => h('option', { value: String(o.value), text: o.text, selected: String(o.value) === String(s.value) });
    input = h('select', { id, attrs: { 'data-testid': id } }, (s.options ?? s.values.map((value) => ({ value, text: format(value) }))).map(option));
    parts = field(id, s, input, null);
    get = () => numeric(input.value);
  } else if (s.kind === 'text') {
    input = h('textarea', { id, value: s.value ?? '', spellcheck: false, attrs: { 'data-testid': id, autocapitalize: 'off', autocomplete: 'off' } });
    parts = field(id, s, input, null);
    get = () => input.value;
  } else if (s.kind === 'check') {
    ({ input, node: parts } = box(id, { ...s, checked: s.value }, 'checkbox'));
    parts = { node: parts, hint: s.hint !== undefined && h('span', { class: 'hint', id: `${id}-hint` }) };
    if (parts.hint) parts.node.append(parts.hint);
    get = () => input.checked;
    set = (v) => (input.checked = Boolean(v));
  } else if (s.kind === 'checks' || s.kind === 'radio') {
    const radio = s.kind === 'radio';
    const boxes = s.options.map((o) => box(`${id}-${o.value}`, o, radio ? 'radio' : 'checkbox', id));
    const picked = () => boxes.filter((b) => b.input.checked).map((b) => numeric(b.input.value));
    const legend = h('legend', { text: s.legend });
    const node = h('fieldset', { class: `engines-choice${s.class ? ` ${s.class}` : ''}`, id: radio ? id : `${id}s` }, legend, ...boxes.map((b) => b.node));
    return { spec: s, name: s.name, node, inputs: boxes.map((b) => b.input), get: () => (radio ? picked()[0] : picked()), set() {}, update() {} };
  } else {
    throw new Error(`unknown control kind ${s.kind} for ${id}`);
  }

  return {
    spec: s,
    name: s.name,
    node: parts.node,
    inputs: [input],
    get,
    set: (v) => set(v),
    update(values, preview) {
      limits(values, preview);
      if (parts.hint) parts.hint.textContent = at(s.hint, values, caps, preview) ?? '';
      if (parts.warn) {
        parts.warn.textContent = at(s.warn, values, caps, preview) || (moved && s.moved?.(...moved, values)) || '';
        parts.warn.hidden = !parts.warn.textContent;
      }
      if (s.disabled !== undefined) input.disabled = Boolean(at(s.disabled, values, caps, preview));
    },
  };
}

/**
 * The engine picker: a box per engine of `ids` the bridge offers, sequential always on
 * (the baseline), unavailable ones off and disabled with the bridge's reason. Its value,
 * `values.engine`, lists the ticked ids in the lessons' order.
 */
export function enginePicker(caps, { ids = ['sequential', 'gil', 'threads', 'processes'], notes = {}, legend = 'Engines' } = {}) {
  const option = (e) => {
    const baseline = e.id === 'sequential';
    const reason = e.available ? '' : e.reason || 'not supported here';
    return { value: e.id, label: e.label, swatch: e.id, checked: true, locked: baseline, reason, note: notes[e.id] ?? (baseline ? 'always runs: the baseline' : undefined) };
  };
  return { kind: 'checks', name: 'engine', legend, options: ids.flatMap((engine) => caps.engines.filter((e) => e.id === engine)).map(option) };
}

/**
 * The Workers slider of a lesson that runs one worker count: 1 to the bridge's maximum,
 * starting at the cores (2 to 4), with a warning past the cores; `more` overrides any key.
 */
export function workersField(caps, more = {}) {
  const value = Math.min(caps.maxWorkers, Math.max(Math.min(2, caps.maxWorkers), Math.min(caps.cores, 4)));
  const warn = (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): extra workers can only take turns` : '');
  const hint = `threads or pool workers; this device reports ${plural(caps.cores, 'core')}`;
  return { kind: 'range', name: 'workers', label: 'Workers', min: 1, max: caps.maxWorkers, value, hint, warn, ...more };
}

/** The busy loop's size: a select of n, the iterations each task adds up, from `values`. */
export const problemSize = (values, value) => ({
  kind: 'select',
  name: 'n',
  label: 'Problem size n per task',
  values,
  format: formatCount,
  value,
  hint: 'each task adds up k × k for about n values of k',
});

/** Why the threads engine cannot run on this page, in the bridge's words; '' when it can. */
export function threadsOff(caps) {
  const threads = caps.engines.find((e) => e.id === 'threads');
  return threads?.available ? '' : threads?.reason || 'needs a cross-origin isolated page';
}
