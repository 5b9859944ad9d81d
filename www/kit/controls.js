// The lesson kit's form controls, built from plain specs (see lesson-kit.js for the list
// of kinds). Every control keeps the page's id convention, which URL presets, "Copy link"
// and the tests rely on: `#<lesson>-<name>` for the input, `#<lesson>-<name>-value` for
// its <output>, `-hint` and `-note` (a warning) beside it, and `#<lesson>-<name>-<value>`
// for each box of a group (so engines are `#<lesson>-engine-<id>`). Text goes in as text
// only. Not for running anything: the kit reads `get()` and the lesson decides.
import { h } from '../lib/dom.js';

/**
 * A control's value for the engines: a number when it reads as one, else the text as it
 * stands, so the driver refuses it with a message instead of the page guessing.
 */
export function numeric(value) {
  const number = Number(value);
  return String(value).trim() !== '' && Number.isFinite(number) ? number : String(value);
}

/** `x`, or what it answers for the current `values` when it is a function. */
const at = (x, values, caps) => (typeof x === 'function' ? x(values, caps) : x);

/** A labelled field: head (label and optional output), the input, a hint and a warning note. */
function field(id, s, input, output) {
  const hint = s.hint === undefined ? null : h('span', { class: 'hint', id: `${id}-hint`, attrs: { 'data-testid': `${id}-hint` } });
  const warn = s.warn ? h('span', { class: 'hint warn', id: `${id}-note`, hidden: true, attrs: { role: 'note', 'data-testid': `${id}-note` } }) : null;
  const described = [hint?.id, warn?.id].filter(Boolean).join(' ');
  if (described) input.setAttribute('aria-describedby', described);
  const node = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: s.label }), output), input, hint, warn);
  return { node, hint, warn };
}

/** One box of a check or radio group, or a lone checkbox: `{ value, label, checked, reason, note, swatch }`. */
function box(id, option, type, name) {
  const input = h('input', { type, id, name, value: String(option.value ?? ''), checked: Boolean(option.checked) && !option.reason, disabled: Boolean(option.reason) || Boolean(option.locked), attrs: { 'data-testid': id } });
  const text = option.reason ? `unavailable: ${option.reason}` : option.note;
  const hint = text ? h('span', { class: `hint${option.reason ? ' reason' : ''}`, id: `${id}-reason`, attrs: { 'data-testid': `${id}-reason` }, text }) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  const swatch = option.swatch ? h('span', { class: 'swatch', dataset: { engine: option.swatch }, attrs: { 'aria-hidden': 'true' } }) : null;
  const node = h('div', { class: `check${option.reason ? ' unavailable' : ''}`, dataset: option.swatch ? { engine: option.swatch } : {} }, input, h('label', { htmlFor: id }, swatch, option.label), hint);
  return { node, input };
}

/**
 * Builds control `s` of lesson `prefix`. Answers `{ spec, name, node, inputs, get(),
 * set?(value), update(values, caps) }`; `update` applies the spec's functions of the
 * current values (limits, choices, hint, warning, disabled) and shows the value.
 */
export function buildControl(prefix, s, caps) {
  const id = `${prefix}-${s.name}`;
  const format = s.format ?? String;
  const shared = (parts, input, get) => ({
    spec: s,
    name: s.name,
    node: parts.node,
    inputs: [input],
    get,
    update(values) {
      if (parts.hint) parts.hint.textContent = at(s.hint, values, caps) ?? '';
      if (parts.warn) {
        parts.warn.textContent = at(s.warn, values, caps) || '';
        parts.warn.hidden = !parts.warn.textContent;
      }
      if (s.disabled !== undefined) input.disabled = Boolean(at(s.disabled, values, caps));
    },
  });

  if (s.kind === 'range' || s.kind === 'log') {
    const input = h('input', { id, type: 'range', step: String(s.step ?? 1), attrs: { 'data-testid': id } });
    const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` } });
    const parts = field(id, s, input, output);
    // Limits and choices that depend on other controls are known from the first update on.
    const early = (x, fallback) => (typeof x === 'function' ? fallback : x);
    let list = s.kind === 'log' ? early(s.values, [s.value]).slice() : null;
    // A log slider steps through `values`, so equal moves multiply the value by about the same factor.
    const nearest = (v) => list.reduce((best, c, i) => (Math.abs(Math.log(c / v)) < Math.abs(Math.log(list[best] / v)) ? i : best), 0);
    const get = () => (list ? list[Number(input.value)] : numeric(input.value));
    const limits = (values) => {
      if (list) input.max = String(list.length - 1);
      else Object.assign(input, { min: String(at(s.min, values, caps)), max: String(at(s.max, values, caps)) }); // the browser clamps the value
    };
    const control = shared(parts, input, get);
    const base = control.update;
    let first = true;
    control.set = (v) => {
      input.value = String(list ? nearest(Number(v)) : v);
    };
    control.update = (values) => {
      if (list && typeof s.values === 'function') {
        const next = at(s.values, values, caps);
        if (next.join() !== list.join()) {
          const keep = get();
          list = next.slice();
          limits(values);
          control.set(keep);
        }
      } else if (!list) limits(values);
      if (first) control.set(s.value);
      first = false;
      base(values);
      output.value = format(get());
      input.setAttribute('aria-valuetext', format(get()));
    };
    Object.assign(input, list ? { min: '0', max: String(list.length - 1) } : { min: String(early(s.min, 0)), max: String(early(s.max, 100)) });
    control.set(s.value);
    return control;
  }

  if (s.kind === 'select') {
    const options = s.options ?? s.values.map((value) => ({ value, text: format(value) }));
    const input = h('select', { id, attrs: { 'data-testid': id } }, options.map((o) => h('option', { value: String(o.value), text: o.text, selected: String(o.value) === String(s.value) })));
    return shared(field(id, s, input, null), input, () => numeric(input.value));
  }

  if (s.kind === 'text') {
    const input = h('textarea', { id, value: s.value ?? '', spellcheck: false, attrs: { 'data-testid': id, autocapitalize: 'off', autocomplete: 'off' } });
    return shared(field(id, s, input, null), input, () => input.value);
  }

  if (s.kind === 'check') {
    const one = box(id, { ...s, checked: s.value }, 'checkbox');
    if (s.hint) one.node.append(h('span', { class: 'hint', id: `${id}-hint`, text: s.hint }));
    return { ...shared({ node: one.node }, one.input, () => one.input.checked), inputs: [one.input] };
  }

  if (s.kind === 'checks' || s.kind === 'radio') {
    const radio = s.kind === 'radio';
    const boxes = s.options.map((o) => box(`${id}-${o.value}`, o, radio ? 'radio' : 'checkbox', id));
    const node = h('fieldset', { class: `engines-choice${s.class ? ` ${s.class}` : ''}`, id: radio ? id : `${id}s` }, h('legend', { text: s.legend }), boxes.map((b) => b.node));
    const picked = () => boxes.filter((b) => b.input.checked).map((b) => numeric(b.input.value));
    const control = shared({ node }, boxes[0].input, () => (radio ? picked()[0] : picked()));
    return { ...control, inputs: boxes.map((b) => b.input) };
  }

  throw new Error(`unknown control kind ${s.kind} for ${id}`);
}

/**
 * The engine picker: a check box per engine in `ids` (all four by default), sequential
 * always on (the baseline), unavailable ones off and disabled with the bridge's reason.
 * Its value, `values.engine`, lists the ticked ids in the lessons' order.
 */
export function enginePicker(caps, { ids = ['sequential', 'gil', 'threads', 'processes'], notes = {}, legend = 'Engines' } = {}) {
  const options = ids
    .map((engine) => caps.engines.find((e) => e.id === engine))
    .filter(Boolean)
    .map((e) => ({
      value: e.id,
      label: e.label,
      swatch: e.id,
      checked: e.id === 'sequential' || e.available,
      locked: e.id === 'sequential',
      reason: e.available ? '' : e.reason || 'not supported here',
      note: notes[e.id] ?? (e.id === 'sequential' ? 'always runs: the baseline' : undefined),
    }));
  return { kind: 'checks', name: 'engine', legend, options };
}
