// Building blocks for the lessons "Share results, not state", "Amdahl's law" and
// "Start-up and the entry point": form fields, the run/cancel/progress/messages cycle,
// tables with CSV, and the chart plumbing their charts share. They follow lesson 1's
// markup and classes (engines.js), so every lesson looks and behaves alike. Nothing here
// computes results: runs go through the bridge; this file only shows what comes back.
import { h, clear, download } from './dom.js';
import { withAlpha } from './charts.js';

// ---- the lesson's reading part -----------------------------------------------------

/**
 * The intro block: prose on the left (`lead`, then `body` nodes or strings as
 * paragraphs) and a Python snippet with a caption on the right.
 */
export function introBlock(container, { lead, body = [], caption, code }) {
  const prose = h(
    'div',
    { class: 'prose' },
    h('p', { class: 'lead', text: lead }),
    body.map((part) => (typeof part === 'string' ? h('p', { text: part }) : part)),
  );
  const snippet = h(
    'figure',
    { class: 'snippet' },
    h('figcaption', { text: caption }),
    h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: code })),
  );
  const node = h('div', { class: 'intro' }, prose, snippet);
  container.append(node);
  return node;
}

// ---- form fields ---------------------------------------------------------------------

/**
 * A field's value for the engines: a number when it reads as one, else the text as
 * typed, so the engines refuse it with a message instead of the page guessing.
 */
export function numberOrText(text) {
  const value = Number(text);
  return String(text).trim() !== '' && Number.isFinite(value) ? value : text;
}

/**
 * A labelled range slider with its value shown beside the label. `format(value)` gives
 * the shown text. The browser keeps a range input within min–max, so it is clamped by
 * construction.
 */
export function slider({ id, label, min, max, step = 1, value, hint, format = String }) {
  const input = h('input', { id, type: 'range', min: String(min), max: String(max), step: String(step), value: String(value), attrs: { 'data-testid': id } });
  const output = h('output', { id: `${id}-value`, class: 'value', attrs: { for: id, 'data-testid': `${id}-value` }, text: format(Number(input.value)) });
  const hintNode = hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null;
  if (hintNode) input.setAttribute('aria-describedby', hintNode.id);
  const field = h('div', { class: 'field' }, h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label }), output), input, hintNode);
  const show = () => {
    output.value = format(Number(input.value));
  };
  input.addEventListener('input', show);
  return { field, input, output, hint: hintNode, show };
}

/** A labelled select; `options` are `{ value, text }`. */
export function selectField({ id, label, options, value, hint }) {
  const input = h(
    'select',
    { id, attrs: { 'data-testid': id, 'aria-describedby': hint ? `${id}-hint` : null } },
    options.map((o) => h('option', { value: String(o.value), text: o.text, selected: String(o.value) === String(value) })),
  );
  const field = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head' }, h('label', { htmlFor: id, text: label })),
    input,
    hint ? h('span', { class: 'hint', id: `${id}-hint`, text: hint }) : null,
  );
  return { field, input };
}

/**
 * A checkbox in lesson 1's boxed style (`.check`). When `reason` is given the box is
 * disabled and the reason is shown beneath it; `note` is a hint shown otherwise.
 */
export function checkBox({ id, label, checked = false, reason = '', note = '', swatch = null, value = '' }) {
  const input = h('input', { type: 'checkbox', id, value, checked: checked && !reason, disabled: Boolean(reason), attrs: { 'data-testid': id } });
  const hint = reason
    ? h('span', { class: 'hint reason', id: `${id}-reason`, attrs: { 'data-testid': `${id}-reason` }, text: `unavailable: ${reason}` })
    : note
      ? h('span', { class: 'hint', id: `${id}-note`, text: note })
      : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  const mark = swatch ? h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' }, dataset: swatch }) : null;
  const field = h('div', { class: `check${reason ? ' unavailable' : ''}` }, input, h('label', { htmlFor: id }, mark, label), hint);
  return { field, input };
}

// ---- run, cancel, progress and messages -------------------------------------------

/**
 * The form with the lesson's fieldsets, a Run and a Cancel button and a progress bar,
 * plus the polite message area that goes below it.
 */
export function controlsForm({ prefix, fieldsets, runText = 'Run', label = 'Run settings' }) {
  const run = h('button', { type: 'submit', id: `${prefix}-run`, class: 'primary', attrs: { 'data-testid': `${prefix}-run` }, text: runText });
  const cancel = h('button', { type: 'button', id: `${prefix}-cancel`, disabled: true, attrs: { 'data-testid': `${prefix}-cancel` }, text: 'Cancel' });
  const progress = h('progress', { id: `${prefix}-progress`, max: 1, value: 0, attrs: { 'data-testid': `${prefix}-progress`, 'aria-labelledby': `${prefix}-progress-text` } });
  const progressText = h('span', { id: `${prefix}-progress-text`, class: 'progress-text', attrs: { 'data-testid': `${prefix}-progress-text` }, text: 'Ready.' });
  const progressBox = h('div', { class: 'progress-box', id: `${prefix}-progress-box` }, progress, progressText);
  const form = h(
    'form',
    { id: `${prefix}-form`, class: 'controls card', attrs: { 'aria-label': label, novalidate: true } },
    fieldsets,
    h('div', { class: 'actions' }, run, cancel, progressBox),
  );
  const messages = h('div', { id: `${prefix}-messages`, class: 'messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': `${prefix}-messages` } });
  return { form, run, cancel, progress, progressText, progressBox, messages, fieldsets };
}

/**
 * The run cycle every lesson shares: `.lesson-body[data-state]` goes idle → running →
 * done | cancelled | error; the settings lock while running; errors become messages;
 * Cancel asks the bridge to stop. `controls` comes from `controlsForm`.
 */
export function createController(container, controls, bridge) {
  const state = { running: false, cancelling: false, warned: new Set() };

  function say(text, kind = 'info') {
    controls.messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
  }

  function setProgress(fraction, text) {
    controls.progress.value = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
    if (text !== undefined) controls.progressText.textContent = text;
  }

  function setRunning(running) {
    const hadFocus = document.activeElement;
    state.running = running;
    for (const fieldset of controls.fieldsets) fieldset.disabled = running;
    controls.run.disabled = running || controls.run.dataset.blocked === 'true';
    controls.cancel.disabled = !running;
    if (running && hadFocus === controls.run) controls.cancel.focus();
    if (!running && (hadFocus === controls.cancel || hadFocus === document.body)) controls.run.focus();
  }

  /** Shows the driver's warnings once each, prefixed with `label`. */
  function warn(warnings, label = '') {
    for (const warning of warnings ?? []) {
      const text = label ? `${label}: ${warning}` : warning;
      if (state.warned.has(text)) continue;
      state.warned.add(text);
      say(text, 'warning');
    }
  }

  /** Shows `error` and answers the state the lesson ends in. */
  function report(error, label = '') {
    if (error?.name === 'CancelledError') {
      say('Cancelled.', 'info');
      return 'cancelled';
    }
    if (error?.name === 'ConfigError') {
      const problems = error.errors?.length ? error.errors : [error.message];
      for (const problem of problems) say(`Settings refused: ${problem}`, 'error');
      return 'error';
    }
    if (error?.name === 'BusyError') {
      say(`${error.message} (another lesson may still be running).`, 'error');
      return 'error';
    }
    say(`${label ? `${label} failed: ` : ''}${error?.message ?? String(error)}`, 'error');
    return 'error';
  }

  /**
   * Runs `task()` as one lesson run. `task` may throw the bridge's errors; it returns a
   * success message (or nothing). Resolves to the final state.
   */
  async function run(task) {
    if (state.running) return 'running';
    state.cancelling = false;
    state.warned = new Set();
    clear(controls.messages);
    container.dataset.state = 'running';
    setRunning(true);
    setProgress(0, 'Starting…');
    let outcome = 'done';
    try {
      const message = await task();
      setProgress(1, 'Finished.');
      if (message) say(message, 'success');
    } catch (error) {
      outcome = report(error);
      setProgress(controls.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    state.cancelling = false;
    container.dataset.state = outcome;
    setRunning(false);
    return outcome;
  }

  async function cancel() {
    if (!state.running || state.cancelling) return;
    state.cancelling = true;
    controls.cancel.disabled = true;
    setProgress(controls.progress.value, 'Cancelling…');
    try {
      await bridge.cancel();
    } catch (error) {
      say(`The engines did not restart after cancelling: ${error?.message ?? String(error)}`, 'error');
    }
  }

  /** Progress callbacks ignore reports that arrive after Cancel was pressed. */
  function progressFrom(toFraction) {
    return (p) => {
      if (!state.running || state.cancelling) return;
      const [fraction, text] = toFraction(p);
      setProgress(fraction, text);
    };
  }

  /** Keeps Run disabled (with `reason` shown) or enables it again. */
  function block(reason) {
    controls.run.dataset.blocked = reason ? 'true' : 'false';
    controls.run.disabled = Boolean(reason) || state.running;
    if (reason) controls.progressText.textContent = reason;
  }

  controls.cancel.addEventListener('click', cancel);
  container.dataset.state = 'idle';
  return { say, warn, report, run, cancel, setProgress, progressFrom, block, get running() { return state.running; } };
}

// ---- tables and CSV ----------------------------------------------------------------

/**
 * A results table in lesson 1's style. `columns` are `{ label, num }`; rows are given to
 * `fill` as `{ dataset, cells }`, each cell a string or `{ text | node, num, head, dataset }`.
 * Cells carry their column name for the narrow-screen card layout.
 */
export function resultsTable({ id, caption, columns }) {
  const body = h('tbody', { id: `${id}-body`, attrs: { role: 'rowgroup' } });
  const table = h(
    'table',
    { id, class: 'results-table', attrs: { role: 'table', 'data-testid': id } },
    h('caption', { text: caption }),
    h(
      'thead',
      { attrs: { role: 'rowgroup' } },
      h('tr', { attrs: { role: 'row' } }, columns.map((c) => h('th', { attrs: { scope: 'col', role: 'columnheader' }, class: c.num ? 'num' : '', text: c.label }))),
    ),
    body,
  );
  function fill(rows) {
    clear(body);
    for (const row of rows) {
      const tr = h('tr', { attrs: { role: 'row' }, dataset: row.dataset ?? {} });
      row.cells.forEach((cell, i) => {
        const spec = typeof cell === 'object' && cell !== null && !(cell instanceof Node) ? cell : { text: cell };
        const column = columns[i] ?? {};
        if (spec.head) {
          tr.append(h('th', { attrs: { scope: 'row', role: 'rowheader' }, dataset: spec.dataset ?? {} }, spec.node ?? spec.text));
        } else {
          const num = spec.num ?? column.num;
          tr.append(h('td', { class: [num ? 'num' : '', spec.class ?? ''].join(' ').trim(), attrs: { role: 'cell' }, dataset: { label: column.label, ...(spec.dataset ?? {}) } }, spec.node ?? spec.text));
        }
      });
      body.append(tr);
    }
  }
  return { table, body, fill };
}

/** A table cell showing a verified checksum (✓ and the hex digits) or a failed one (✗). */
export function checksumCell(checksum, verified) {
  if (!verified) return { class: 'unverified', text: `✗ ${checksum ?? 'missing'}` };
  return {
    class: 'verified',
    node: h('span', {}, h('span', { attrs: { 'aria-hidden': 'true' }, text: '✓ ' }), h('span', { class: 'visually-hidden', text: 'verified, checksum ' }), h('code', { text: checksum })),
  };
}

/** One CSV field: quoted when needed; text a spreadsheet might run as a formula is defused. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  if (typeof value === 'boolean') return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text: a header line, then one line per row (arrays of values). */
export function toCsv(header, rows) {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

/** Offers `text` as `parallel-playground-<name>-<time>.csv`. */
export function downloadCsv(name, text) {
  download(`parallel-playground-${name}-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, text);
}

// ---- charts --------------------------------------------------------------------------

/**
 * Okabe–Ito colours not taken by the engines (those are sky blue, vermillion, bluish
 * green and orange): for series that are not engines.
 */
export const EXTRA_COLORS = { blue: '#0072B2', purple: '#CC79A7', yellow: '#F0E442' };

function cssVar(name, fallback) {
  const value = typeof document === 'undefined' ? '' : getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** The page's current text, muted, grid and surface colours. */
export function theme() {
  return {
    text: cssVar('--fg', '#1b1f24'),
    muted: cssVar('--muted', '#57606a'),
    grid: cssVar('--grid', 'rgba(0,0,0,0.1)'),
    surface: cssVar('--surface', '#ffffff'),
  };
}

/** Chart.js with fonts and colours set from the page's theme; throws a readable error if missing. */
export function prepareChart() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('the chart library (vendor/chart.umd.js) did not load, so no chart can be drawn');
  const t = theme();
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 13;
  Chart.defaults.color = t.text;
  Chart.defaults.borderColor = t.grid;
  const still = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  Chart.defaults.animation = still ? false : { duration: 300 };
  return { Chart, t };
}

const NARROW = 480;

/** `text` is a string, an array of lines, or `{ wide, narrow }`. */
export function fitText(text, width) {
  return typeof text === 'string' || Array.isArray(text) ? text : width < NARROW ? text.narrow : text.wide;
}

/**
 * Title and axis-title options sized to the canvas's box, and an `onResize` that swaps
 * in the short forms when the chart gets narrow.
 */
export function chartTexts(canvas, t, { title, x, y }) {
  const width = canvas.parentElement?.clientWidth ?? 800;
  const axis = (text) => ({ display: Boolean(text), text: fitText(text ?? '', width), color: t.muted, font: { size: 12 } });
  return {
    title: { display: true, text: fitText(title, width), color: t.text, font: { size: 15, weight: '600' }, padding: { bottom: 8 } },
    x: axis(x),
    y: axis(y),
    onResize(chart, size) {
      chart.options.plugins.title.text = fitText(title, size.width);
      if (x) chart.options.scales.x.title.text = fitText(x, size.width);
      if (y) chart.options.scales.y.title.text = fitText(y, size.width);
    },
  };
}

/**
 * Vertical min–max whiskers on the points of line charts: a dataset with `ranges`
 * (`ranges[i] = [min, max]`) gets one per point.
 */
export const pointRangePlugin = {
  id: 'pointRanges',
  defaults: { width: 1.5 },
  afterDatasetsDraw(chart, _args, options) {
    const { ctx } = chart;
    chart.data.datasets.forEach((dataset, index) => {
      if (!Array.isArray(dataset.ranges) || !chart.isDatasetVisible(index)) return;
      const meta = chart.getDatasetMeta(index);
      const scale = chart.scales[meta.yAxisID];
      meta.data.forEach((point, i) => {
        const range = dataset.ranges[i];
        if (!range || !range.every(Number.isFinite)) return;
        const [lo, hi] = range.map((v) => scale.getPixelForValue(v));
        const { x } = point.getProps(['x'], true);
        ctx.save();
        ctx.strokeStyle = dataset.borderColor;
        ctx.lineWidth = options.width;
        ctx.beginPath();
        ctx.moveTo(x, lo);
        ctx.lineTo(x, hi);
        for (const end of [lo, hi]) {
          ctx.moveTo(x - 5, end);
          ctx.lineTo(x + 5, end);
        }
        ctx.stroke();
        ctx.restore();
      });
    });
  },
};

/** A legend entry for a dashed reference line drawn by `referenceLinePlugin`. */
export function dashedLegendItem(text, color) {
  return { text, datasetIndex: -1, pointStyle: 'line', strokeStyle: color, fillStyle: color, fontColor: color, lineWidth: 2, lineDash: [6, 4], hidden: false };
}

/** Legend options that append `extra` items and ignore clicks on them. */
export function legendWith(Chart, extra) {
  return {
    position: 'bottom',
    labels: {
      boxWidth: 14,
      usePointStyle: true,
      generateLabels(chart) {
        const own = Chart.defaults.plugins.legend.labels.generateLabels(chart).map((item) => ({ ...item, pointStyle: 'rect' }));
        return [...own, ...extra];
      },
    },
    onClick(event, item, legend) {
      if (item.datasetIndex < 0) return;
      Chart.defaults.plugins.legend.onClick.call(this, event, item, legend);
    },
  };
}

/** A bar dataset's fill and edge from one colour. */
export function barColors(color, alpha = 0.85) {
  return { backgroundColor: withAlpha(color, alpha), borderColor: color, borderWidth: 1 };
}

/**
 * Keeps a lesson's charts: `draw(name, box, fn)` destroys the old chart of that name and
 * draws a new one; a failure becomes the text of `errorNode`, the tables keep the numbers.
 */
export function chartKeeper(errorNode) {
  const charts = new Map();
  return {
    draw(name, fn) {
      charts.get(name)?.destroy();
      charts.delete(name);
      try {
        const chart = fn();
        if (chart) charts.set(name, chart);
        return chart;
      } catch (error) {
        errorNode.hidden = false;
        errorNode.textContent = `Charts unavailable: ${error.message}. The tables still have every number.`;
        return null;
      }
    },
    destroy(name) {
      charts.get(name)?.destroy();
      charts.delete(name);
    },
  };
}

/** A canvas in a sized box, described for screen readers by `label`. */
export function chartCanvas(id, label, height) {
  const canvas = h('canvas', { id, attrs: { role: 'img', 'data-testid': id, 'aria-label': label } });
  const box = h('div', { class: 'chart-box' }, canvas);
  if (height) box.style.height = `${height}px`;
  return { canvas, box };
}

/** Calls `redraw` when the colour scheme changes, so charts follow the page's theme. */
export function onSchemeChange(redraw) {
  if (typeof matchMedia !== 'function') return;
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', redraw);
}

