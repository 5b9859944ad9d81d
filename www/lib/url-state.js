// Presets in the URL: what a course author can set with query parameters, checked before anything uses them. Values are parsed, never evaluated or
// injected as HTML; anything unknown or malformed becomes a sentence for the page to show.

const ENGINE_IDS = ['sequential', 'gil', 'threads', 'processes'];
const WORKLOADS = ['sum_of_squares', 'is_prime', 'square'];

/** Parameters a lesson's controls can take (the rest configure the page itself), in the order they are applied. */
export const CONTROL_PARAMETERS = ['engine', 'workload', 'workers', 'tasks', 'n', 'chunksize', 'payload', 'serial', 'repetitions', 'warmup'];

/** Every parameter the playground reads, with how to parse it. */
export const PARAMETERS = {
  lesson: { kind: 'lesson' },
  embed: { kind: 'flag' },
  autorun: { kind: 'flag' },
  theme: { kind: 'choice', values: ['auto', 'light', 'dark'] },
  // Every control parameter is a whole number except the three below.
  ...Object.fromEntries(CONTROL_PARAMETERS.map((key) => [key, { kind: 'number', whole: true }])),
  engine: { kind: 'list', values: ENGINE_IDS },
  workload: { kind: 'choice', values: WORKLOADS },
  serial: { kind: 'number', whole: false },
};

const shown = (text) => JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
const listOf = (values) => values.join(', ');

/** How each kind of parameter reads its trimmed text: `{ value }`, or `{ why }` it was ignored. */
const PARSERS = {
  flag: (text) => (['1', 'true', 'yes', ''].includes(text) ? { value: true } : ['0', 'false', 'no'].includes(text) ? { value: false } : { why: 'use 1 or 0' }),
  lesson: (text, _spec, lessonIds) => (lessonIds.includes(text) ? { value: text } : { why: `the lessons are ${listOf(lessonIds)}` }),
  choice: (text, spec) => (spec.values.includes(text) ? { value: text } : { why: `use one of ${listOf(spec.values)}` }),
  list(text, spec) {
    const items = text.split(/\s*,\s*/).filter(Boolean);
    const known = items.length > 0 && items.every((item) => spec.values.includes(item));
    return known ? { value: [...new Set(items)] } : { why: `use a comma-separated list of ${listOf(spec.values)}` };
  },
  number(text, spec) {
    const number = text === '' ? NaN : Number(text);
    if (!Number.isFinite(number)) return { why: 'it is not a number' };
    return spec.whole && !Number.isInteger(number) ? { why: 'it must be a whole number' } : { value: number };
  },
};

/**
 * Reads `search` (a query string) into `{ preset, problems }`: `preset` holds every
 * well-formed value, `problems` one sentence per parameter that was ignored.
 */
export function readPreset(search, { lessonIds }) {
  const preset = {};
  const problems = [];
  for (const [key, raw] of new URLSearchParams(search)) {
    const spec = Object.hasOwn(PARAMETERS, key) ? PARAMETERS[key] : null;
    const { value, why } = spec ? PARSERS[spec.kind](raw.trim(), spec, lessonIds) : {};
    if (!spec) problems.push(`The URL parameter ${shown(key)} is not one the playground knows; it was ignored.`);
    else if (why) problems.push(`The URL parameter ${key}=${shown(raw)} was ignored: ${why}.`);
    else preset[key] = value;
  }
  return { preset, problems };
}

/** A link to `base` (the page's URL) with `state` as query parameters. */
export function presetLink(base, state) {
  const url = new URL(base);
  url.search = '';
  url.hash = '';
  for (const [key, value] of Object.entries(state)) {
    if (value === undefined || value === null || value === false) continue;
    url.searchParams.set(key, Array.isArray(value) ? value.join(',') : value === true ? '1' : String(value));
  }
  return url.href;
}

/**
 * Applies a preset to a lesson's controls found by the naming convention
 * `#<lesson>-<parameter>` (range, number or select) and `#<lesson>-engine-<id>`
 * (checkboxes). Values outside a control's range are clamped; a select takes only one of
 * its options. Answers one sentence per value that was changed or could not be used.
 */
export function applyPresetToControls(root, lessonId, preset) {
  const notes = [];
  for (const key of CONTROL_PARAMETERS) {
    if (!(key in preset)) continue;
    const value = preset[key];
    if (key === 'engine') {
      for (const id of ENGINE_IDS) {
        const box = root.querySelector(`#${lessonId}-engine-${id}`);
        if (box?.disabled && value.includes(id) && id !== 'sequential') notes.push(`engine ${id} is not available on this page, so it stays off.`);
        if (!box || box.disabled) continue;
        box.checked = value.includes(id);
        box.dispatchEvent(new Event('change', { bubbles: true }));
      }
      continue;
    }
    const control = root.querySelector(`#${lessonId}-${key}`);
    if (!(control instanceof HTMLSelectElement || control instanceof HTMLInputElement)) continue;
    if (control instanceof HTMLSelectElement) {
      const option = [...control.options].find((o) => Number(o.value) === value || o.value === String(value));
      if (option) control.value = option.value;
      else
        notes.push(
          `${key}=${value} is not one of this lesson's choices (${[...control.options].map((o) => o.textContent).join(', ')}); kept ${control.selectedOptions[0]?.textContent ?? 'the default'}.`,
        );
    } else {
      const min = control.min === '' ? -Infinity : Number(control.min);
      const max = control.max === '' ? Infinity : Number(control.max);
      const clamped = Math.min(max, Math.max(min, value));
      if (clamped !== value) notes.push(`${key}=${value} is outside this lesson's range ${control.min}–${control.max}; using ${clamped}.`);
      control.value = String(clamped);
    }
    control.dispatchEvent(new Event('input', { bubbles: true }));
    control.dispatchEvent(new Event('change', { bubbles: true }));
  }
  return notes;
}

/** Reads a lesson's controls back by the same naming convention, for "Copy link". */
export function readControls(root, lessonId) {
  const state = {};
  for (const key of CONTROL_PARAMETERS) {
    if (key === 'engine') {
      const chosen = ENGINE_IDS.filter((id) => root.querySelector(`#${lessonId}-engine-${id}`)?.checked);
      if (chosen.length) state.engine = chosen;
      continue;
    }
    const control = root.querySelector(`#${lessonId}-${key}`);
    if (control && 'value' in control && control.value !== '') state[key] = control.value;
  }
  return state;
}
