// Lesson 4, "Everything crossing over is copied": (a) post a closure to a process-pool
// worker and get the browser's real DataCloneError, the counterpart of Python's pickling
// error, then fix it by naming a workload the worker already has; (b) time shipping one
// array to a worker by copy, by transfer and through shared memory, against the time
// the worker spends using it. The page only draws; every run goes through the bridge.
import { download } from '../lib/dom.js';
import { drawTimelineChart } from '../lib/charts.js';
import { formatMs, plural } from '../lib/reading.js';
import {
  addStylesheet,
  append,
  clear,
  h,
  logSlider,
  numCell,
  reportError,
  resultsTable,
  runControls,
  slider,
  tableRow,
  textCell,
  verifiedCell,
  warningSayer,
} from '../lib/chunking-ui.js';
import { toCsv } from '../lib/chunking-reading.js';
import { MODES, PAYLOAD_SIZES, describePayload, describeSweep, formatBytes, modeLabel, sweepSizes } from '../lib/copying-reading.js';
import { drawPayloadChart, drawPayloadSweepChart } from '../lib/copying-charts.js';

export const id = 'copying';
export const title = 'Everything crossing over is copied';

const DEFAULTS = { bytes: 1e7, repetitions: 5 };
/** The fix: map(square, range(8)) on the process pool. */
const FIX = { engine: 'processes', workload: 'square', n: 0, tasks: 8, chunksize: 1, repetitions: 1, warmup: 1 };

const PYTHON_SNIPPET = `from concurrent.futures import ProcessPoolExecutor

def square(x):
    # Defined at the top level, so pickle sends only
    # the name; the worker finds it in its own import.
    return x * x

if __name__ == "__main__":
    with ProcessPoolExecutor(max_workers=2) as pool:
        try:
            # A lambda has no importable name: pickling fails.
            print(list(pool.map(lambda x: x * x, range(8))))
        except Exception as error:
            print(type(error).__name__, error)

        # The fix: pass a named, top-level function.
        print(list(pool.map(square, range(8))))`;

/** Roughly what Python prints for the lambda (the address varies). */
const PYTHON_ERROR = "PicklingError: Can't pickle <function <lambda> at 0x7f…>: attribute lookup <lambda> on __main__ failed";

/** The lesson's reading part, which needs no engine: shown while the engines start. */
export function intro(container) {
  const node = h(
    'div',
    { class: 'intro' },
    h(
      'div',
      { class: 'prose' },
      h('p', {
        class: 'lead',
        text: 'A process-pool worker shares nothing with the page. Whatever you hand it travels as a message and arrives as a copy, made by the browser\'s structured clone, its counterpart of Python\'s pickle. Two things follow, and this lesson shows both.',
      }),
      h(
        'dl',
        { class: 'engine-list' },
        h('dt', { text: 'Only data can cross' }),
        h('dd', { text: 'Numbers, text, arrays and plain objects can be cloned; a function cannot, because it is code plus the variables it closes over. Pickle refuses lambdas and nested functions for the same reason. Both sides therefore send the name of a function the worker already has.' }),
        h('dt', { text: 'Copies cost time' }),
        h('dd', { text: 'Every byte sent is copied, so a big argument can take longer to ship than to process. Browsers offer two ways around it: transfer the buffer (it moves, and the sender loses it) or share the memory (nothing moves, but only a cross-origin isolated page may do it).' }),
      ),
    ),
    h(
      'figure',
      { class: 'snippet' },
      h('figcaption', { text: 'The Python version: a lambda fails to pickle, a named function works' }),
      h('pre', { attrs: { tabindex: '0', 'aria-label': 'Python example' } }, h('code', { class: 'language-python', text: PYTHON_SNIPPET })),
    ),
  );
  container.append(node);
  return node;
}

/** Builds the lesson inside `container`, with the bridge's `caps` and scriptable `bridge`. */
export function mount(container, { caps, bridge }) {
  addStylesheet(new URL('./copying.css', import.meta.url));
  container.classList.add('copying-lesson');
  if (!container.querySelector(':scope > .intro')) intro(container);
  const ui = buildPanel(container, { caps });
  const resolutionMs = caps.isolated ? 0.005 : 0.1;
  const state = { running: false, cancelling: false, results: new Map(), latest: null, fix: null, charts: {}, focusBack: null };
  const { say, setProgress } = ui.run$;

  // ---- shared running state ------------------------------------------------------
  function begin(source = null) {
    state.focusBack = source; // a part-(a) button keeps the focus it had when pressed
    state.running = true;
    container.dataset.state = 'running';
    ui.run$.setRunning(true, [ui.sizes]);
    ui.send.disabled = true;
    ui.fix.disabled = true;
  }

  function finish(outcome) {
    state.running = false;
    state.cancelling = false;
    container.dataset.state = outcome;
    ui.run$.setRunning(false, [ui.sizes]);
    ui.send.disabled = false;
    ui.fix.disabled = false;
    state.focusBack?.focus();
    state.focusBack = null;
  }

  // ---- (a) send a function -----------------------------------------------------------
  async function sendFunction() {
    if (state.running) return;
    begin(document.activeElement === ui.send ? ui.send : null);
    clear(ui.sendOut);
    ui.sendOut.append(h('p', { class: 'hint', text: 'Posting (x) => x * x to process-pool worker 0…' }));
    let outcome = 'done';
    try {
      const answer = await bridge.call('sendFunction', {});
      clear(ui.sendOut);
      ui.sendOut.dataset.sent = String(answer.sent);
      ui.sendOut.dataset.errorName = answer.name ?? '';
      if (answer.sent) {
        ui.sendOut.append(h('p', { class: 'message message-warning', text: `This browser did not refuse: ${answer.message}. Browsers normally cannot clone a function; the fix below is still the way to send work.` }));
      } else {
        ui.sendOut.append(
          h(
            'div',
            { class: 'error-pair' },
            h(
              'figure',
              { class: 'error-box', attrs: { 'data-testid': 'copying-send-error' } },
              h('figcaption', { text: 'What the browser said' }),
              h('pre', {}, h('code', {}, h('strong', { class: 'error-name', text: answer.name }), `: ${answer.message}`)),
            ),
            h('figure', { class: 'error-box python' }, h('figcaption', { text: 'What Python says for a lambda (roughly)' }), h('pre', {}, h('code', { text: PYTHON_ERROR }))),
          ),
          h('p', {
            text: `The browser refused with a ${answer.name}: postMessage can only copy data, and a closure is code tied to the memory of the place it was made. Python's pickle fails for the same reason. The fix is the same too: send the name of a function the worker already knows.`,
          }),
        );
      }
    } catch (error) {
      clear(ui.sendOut);
      outcome = reportError(error, (text, kind) => ui.sendOut.append(h('p', { class: `message message-${kind}`, text })), 'Sending the function');
      if (outcome === 'failed') outcome = 'error';
    }
    finish(outcome);
  }

  async function runFix() {
    if (state.running) return;
    begin(document.activeElement === ui.fix ? ui.fix : null);
    clear(ui.fixOut);
    ui.fixOut.append(h('p', { class: 'hint', text: 'Running map(square, range(8)) on the process pool…' }));
    let outcome = 'done';
    try {
      const result = await bridge.run({ ...FIX, workers: Math.min(2, caps.maxWorkers) });
      state.fix = result;
      renderFix(result);
    } catch (error) {
      clear(ui.fixOut);
      outcome = reportError(error, (text, kind) => ui.fixOut.append(h('p', { class: `message message-${kind}`, text })), 'The named workload');
      if (outcome === 'failed') outcome = 'error';
    }
    finish(outcome);
  }

  function renderFix(result) {
    clear(ui.fixOut);
    const { timeline, config } = result;
    const workers = [...new Set(timeline.map((c) => c.worker))].sort((a, b) => a - b);
    const verified = result.verified === true && result.checksum === result.expected;
    Object.assign(ui.fixOut.dataset, { chunks: String(timeline.length), workers: String(workers.length), verified: String(verified) });
    const inputsOf = (w) =>
      timeline
        .filter((c) => c.worker === w)
        .flatMap((c) => Array.from({ length: c.len }, (_, i) => c.first + i + config.n))
        .join(', ');
    ui.fixOut.append(
      h(
        'p',
        { class: `message ${verified ? 'message-success' : 'message-error'}` },
        `map(square, range(${config.tasks})) ran on the process pool: ${plural(timeline.length, 'chunk')} on ${plural(workers.length, 'worker')}, ${formatMs(result.summary.median)} ms after a warm-up run. `,
        verified ? h('span', { class: 'verified', text: '✓ ' }) : h('span', { class: 'unverified', text: '✗ ' }),
        `checksum `,
        h('code', { text: result.checksum }),
        verified ? ' matches the sequential run.' : ` differs from the sequential ${result.expected}.`,
      ),
      h(
        'ul',
        { class: 'fix-inputs' },
        workers.map((w) => h('li', { dataset: { worker: String(w) }, text: `worker ${w} squared ${inputsOf(w)}` })),
      ),
      h('p', {
        text: 'What crossed over was the name "square" and the numbers, never any code: each pool worker loaded its own copy of the workload module when it started, just as Python\'s workers import square from your script.',
      }),
    );
    destroy('fix');
    try {
      ui.fixTimelineBox.hidden = false;
      ui.fixTimelineBox.style.height = `${140 + workers.length * 36}px`;
      state.charts.fix = drawTimelineChart(ui.fixTimeline, timeline, { engine: 'processes', label: 'map(square, range(8))' });
    } catch (error) {
      ui.fixOut.append(h('p', { class: 'message message-error', text: `Timeline unavailable: ${error.message}.` }));
    }
  }

  ui.send.addEventListener('click', sendFunction);
  ui.fix.addEventListener('click', runFix);

  // ---- (b) payloads --------------------------------------------------------------------
  function settings() {
    return { bytes: ui.size.get(), repetitions: Number(ui.repetitions.input.value) };
  }

  function showValues() {
    const s = settings();
    ui.repetitions.output.value = String(s.repetitions);
    ui.run.textContent = `Measure ${formatBytes(s.bytes)}`;
    ui.sweep.textContent = s.bytes > 1e3 ? `Sweep 1 KB → ${formatBytes(s.bytes)}` : 'Sweep (choose a bigger size)';
    ui.sweepNote.textContent = `measures ${sweepSizes(s.bytes).map(formatBytes).join(', ')}`;
    const heavy = s.bytes >= 1e8;
    ui.sizeNote.hidden = !heavy;
    ui.sizeNote.textContent = heavy ? `${formatBytes(s.bytes)} needs about ${formatBytes(s.bytes * 3)} of memory while it runs and takes a while: Cancel stops it.` : '';
  }
  ui.form.addEventListener('input', showValues);
  ui.form.addEventListener('change', showValues);
  showValues();

  async function measure(sizes) {
    if (state.running) return;
    const s = settings();
    ui.run$.clearMessages();
    begin();
    say(`Shipping ${sizes.length === 1 ? formatBytes(sizes[0]) : sizes.map(formatBytes).join(', ')} to a pool worker three ways, ${plural(s.repetitions, 'time')} each.`);
    const warn = warningSayer(say);
    let outcome = 'done';
    for (const [index, bytes] of sizes.entries()) {
      const share = (fraction) => (index + fraction) / sizes.length;
      setProgress(share(0), `${formatBytes(bytes)}: starting`);
      try {
        const result = await bridge.call(
          'payload',
          { bytes, repetitions: s.repetitions },
          {
            onProgress: (p) => {
              if (!state.running || state.cancelling) return;
              setProgress(share(Math.min(1, p.done / p.total)), `${formatBytes(bytes)}: ${modeLabel(p.mode).toLowerCase()}, run ${(p.done % s.repetitions) + 1}/${s.repetitions}`);
            },
          },
        );
        warn(result.warnings);
        state.results.set(result.bytes, result);
        state.latest = result.bytes;
        render();
      } catch (error) {
        outcome = reportError(error, say, `Shipping ${formatBytes(bytes)}`);
        break;
      }
    }
    if (outcome === 'done') {
      setProgress(1, `Finished: ${plural(sizes.length, 'size')} measured.`);
      const lines = readings();
      say(`Done. ${lines.find((l) => l.mode === 'copy')?.text ?? lines[0]?.text ?? ''}`, 'success');
    } else {
      setProgress(ui.run$.progress.value, outcome === 'cancelled' ? 'Cancelled.' : 'Stopped.');
    }
    finish(outcome === 'failed' ? 'error' : outcome);
  }

  async function cancelRun() {
    if (!state.running || state.cancelling) return;
    state.cancelling = true;
    ui.run$.cancel.disabled = true;
    setProgress(ui.run$.progress.value, 'Cancelling…');
    try {
      await bridge.cancel();
    } catch (error) {
      say(`The engines did not restart after cancelling: ${error?.message ?? String(error)}`, 'error');
    }
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    measure([settings().bytes]);
  });
  ui.sweep.addEventListener('click', () => measure(sweepSizes(settings().bytes)));
  ui.run$.cancel.addEventListener('click', cancelRun);
  ui.csv.addEventListener('click', () => {
    const rows = tableRows();
    if (rows.length) download(`parallel-playground-copying-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.csv`, toCsv(rows, CSV_COLUMNS));
  });

  // ---- numbers and drawing --------------------------------------------------------------
  function readings() {
    const latest = state.results.get(state.latest);
    if (!latest) return [];
    const lines = describePayload({ bytes: latest.bytes, modes: latest.modes }, { resolutionMs });
    const sweep = describeSweep([...state.results.values()]);
    if (sweep) lines.push({ mode: 'sweep', text: sweep });
    return lines;
  }

  function tableRows() {
    return [...state.results.values()]
      .sort((a, b) => a.bytes - b.bytes)
      .flatMap((r) =>
        MODES.map((m) => {
          const x = r.modes.find((y) => y.mode === m.id);
          return {
            bytes: r.bytes,
            mode: m.id,
            label: m.label,
            available: Boolean(x?.available),
            reason: x?.reason ?? '',
            ship: x?.ship ?? null,
            compute: x?.compute ?? null,
            runs: x?.ship_runs ?? [],
          };
        }),
      );
  }

  function render() {
    const rows = tableRows();
    ui.results.hidden = rows.length === 0;
    ui.empty.hidden = rows.length > 0;
    ui.csv.disabled = rows.length === 0;
    clear(ui.reading);
    for (const line of readings()) ui.reading.append(h('li', { dataset: { mode: line.mode }, text: line.text }));
    clear(ui.table.body);
    for (const r of rows) {
      const cells = r.available
        ? [
            numCell('Ship median (ms)', formatMs(r.ship.median)),
            numCell('Ship min–max (ms)', `${formatMs(r.ship.min)}–${formatMs(r.ship.max)}`),
            numCell('Compute median (ms)', formatMs(r.compute.median)),
            numCell('Ship ÷ compute', r.compute.median > resolutionMs ? `${(r.ship.median / r.compute.median).toFixed(2)}` : '—'),
            verifiedCell(true, `${formatBytes(r.bytes)} arrived`, 'Checked'),
          ]
        : [h('td', { class: 'reason', attrs: { role: 'cell', colspan: '5' }, dataset: { label: 'Not measured' }, text: `unavailable: ${r.reason}` })];
      ui.table.body.append(
        tableRow(
          { dataset: { bytes: String(r.bytes), mode: r.mode, available: String(r.available) } },
          rowHeaderMode(r.mode, r.label),
          textCell('Size', formatBytes(r.bytes), 'num size'),
          ...cells,
        ),
      );
    }
    ui.tableNote.textContent = `Shipping runs from just before postMessage to the moment the worker starts handling the message; computing is the worker summing every byte it received (checked against the size sent). ${plural(settings().repetitions, 'repetition')} per mode and size${caps.isolated ? '' : '; this page\'s timers only tick every 0.1 ms'}.`;
    drawCharts();
  }

  function rowHeaderMode(mode, label) {
    return h('th', { attrs: { scope: 'row', role: 'rowheader' } }, h('span', { class: 'swatch mode-swatch', dataset: { mode }, attrs: { 'aria-hidden': 'true' } }), label);
  }

  function destroy(name) {
    state.charts[name]?.destroy();
    delete state.charts[name];
  }

  function drawCharts() {
    destroy('bars');
    destroy('sweep');
    const latest = state.results.get(state.latest);
    if (!latest) return;
    try {
      state.charts.bars = drawPayloadChart(ui.barsCanvas, latest);
      ui.barsCanvas.setAttribute(
        'aria-label',
        `Shipping ${formatBytes(latest.bytes)}: ${latest.modes.map((m) => (m.available ? `${modeLabel(m.mode)} ${formatMs(m.ship.median)} ms to ship, ${formatMs(m.compute.median)} ms to compute` : `${modeLabel(m.mode)} unavailable`)).join('; ')}.`,
      );
      const all = [...state.results.values()];
      ui.sweepBox.hidden = all.length < 2;
      if (all.length >= 2) {
        state.charts.sweep = drawPayloadSweepChart(ui.sweepCanvas, all);
        ui.sweepCanvas.setAttribute('aria-label', `Shipping time against payload size for ${all.length} sizes. ${describeSweep(all)}`);
      }
      ui.chartError.hidden = true;
    } catch (error) {
      ui.chartError.hidden = false;
      ui.chartError.textContent = `Charts unavailable: ${error.message}. The table still has every number.`;
    }
  }

  const scheme = matchMedia('(prefers-color-scheme: dark)');
  scheme.addEventListener('change', () => {
    drawCharts();
    if (state.fix) renderFix(state.fix);
  });

  container.dataset.state = 'idle';
  return { sendFunction, runFix, measure, cancel: cancelRun };
}

const CSV_COLUMNS = [
  ['bytes', (r) => r.bytes],
  ['mode', (r) => r.mode],
  ['available', (r) => r.available],
  ['ship_median_ms', (r) => r.ship?.median],
  ['ship_min_ms', (r) => r.ship?.min],
  ['ship_max_ms', (r) => r.ship?.max],
  ['compute_median_ms', (r) => r.compute?.median],
  ['compute_min_ms', (r) => r.compute?.min],
  ['compute_max_ms', (r) => r.compute?.max],
  ['ship_runs_ms', (r) => r.runs.map((ms) => ms.toFixed(3)).join(' ')],
  ['reason', (r) => r.reason],
];

// ---- building the panel --------------------------------------------------------

function buildPanel(container, { caps }) {
  const ui = {};

  // (a) Send a function.
  ui.send = h('button', { type: 'button', id: 'copying-send', class: 'primary', attrs: { 'data-testid': 'copying-send' }, text: 'Send a closure to a pool worker' });
  ui.fix = h('button', { type: 'button', id: 'copying-fix', attrs: { 'data-testid': 'copying-fix' }, text: 'Run map(square, range(8)) instead' });
  ui.sendOut = h('div', { id: 'copying-send-result', class: 'send-result', attrs: { 'data-testid': 'copying-send-result', role: 'status', 'aria-live': 'polite' } });
  ui.fixOut = h('div', { id: 'copying-fix-result', class: 'send-result', attrs: { 'data-testid': 'copying-fix-result', role: 'status', 'aria-live': 'polite' } });
  ui.fixTimeline = h('canvas', { id: 'copying-chart-fix', attrs: { role: 'img', 'data-testid': 'copying-chart-fix', 'aria-label': 'Timeline of map(square, range(8)) on the process pool' } });
  ui.fixTimelineBox = h('div', { class: 'chart-box' }, ui.fixTimeline);
  ui.fixTimelineBox.hidden = true;
  const partA = h(
    'section',
    { class: 'card copying-part', id: 'copying-function', attrs: { 'aria-labelledby': 'copying-function-heading' } },
    h('h3', { id: 'copying-function-heading', text: '1. Send a function to a worker' }),
    h('p', {
      text: `The first button posts the closure (x) => x * x to a process-pool worker, as pool.map(lambda x: x * x, …) would. The second sends what Python's pool really sends for a top-level function: its name, "square", with the numbers.${caps.isolated ? '' : ' Both work on this page: the process pool needs no isolation.'}`,
    }),
    h('div', { class: 'actions' }, ui.send, ui.fix),
    ui.sendOut,
    ui.fixOut,
    ui.fixTimelineBox,
  );

  // (b) Payloads.
  ui.size = logSlider({ id: 'copying-size', label: 'Payload size', values: PAYLOAD_SIZES, value: DEFAULTS.bytes, format: formatBytes, hint: 'one array of bytes, on a log scale up to the 256 MB cap' });
  ui.sizeNote = h('span', { class: 'hint warn', id: 'copying-size-note', attrs: { role: 'note' }, hidden: true });
  ui.size.field.append(ui.sizeNote);
  ui.repetitions = slider({ id: 'copying-repetitions', label: 'Repetitions', min: 1, max: 10, value: DEFAULTS.repetitions, hint: 'times each mode ships the array; the chart shows the median and range' });
  const modeList = h(
    'ul',
    { class: 'mode-list' },
    MODES.map((m) => {
      const unavailable = m.id === 'shared' && !caps.isolated;
      return h(
        'li',
        { dataset: { mode: m.id }, class: unavailable ? 'unavailable' : '' },
        h('span', { class: 'swatch mode-swatch', dataset: { mode: m.id }, attrs: { 'aria-hidden': 'true' } }),
        h('strong', { text: m.label }),
        ` ${MODE_NOTES[m.id]}`,
        unavailable ? h('span', { class: 'hint reason', id: 'copying-shared-reason', text: ' Unavailable here: shared memory needs a cross-origin isolated page.' }) : null,
      );
    }),
  );
  ui.sizes = h('fieldset', { class: 'sizes', id: 'copying-sizes' }, h('legend', { text: 'Settings' }), ui.size.field, ui.repetitions.field);
  ui.run = h('button', { type: 'submit', id: 'copying-run', class: 'primary', attrs: { 'data-testid': 'copying-run' }, text: 'Measure' });
  ui.sweep = h('button', { type: 'button', id: 'copying-sweep', attrs: { 'data-testid': 'copying-sweep', 'aria-describedby': 'copying-sweep-note' }, text: 'Sweep' });
  ui.sweepNote = h('span', { class: 'hint', id: 'copying-sweep-note' });
  ui.run$ = runControls({ prefix: 'copying', runButtons: [ui.run, ui.sweep] });
  ui.form = h(
    'form',
    { id: 'copying-form', class: 'controls', attrs: { 'aria-label': 'Payload settings', novalidate: true } },
    h('div', { class: 'modes' }, h('p', { class: 'modes-title', text: 'Three ways to get the bytes there' }), modeList),
    ui.sizes,
    ui.run$.actions,
    ui.sweepNote,
  );
  const partB = h(
    'section',
    { class: 'card copying-part', id: 'copying-payload', attrs: { 'aria-labelledby': 'copying-payload-heading' } },
    h('h3', { id: 'copying-payload-heading', text: '2. What shipping an array costs' }),
    h('p', { text: 'The same array goes to a process-pool worker, which touches every byte (sums them) as real work would. Compare the time to get it there with the time spent using it.' }),
    ui.form,
  );

  ui.empty = h('p', { id: 'copying-empty', class: 'empty', text: 'Press Measure: the shipping times, the compute time and what they mean will appear here.' });
  ui.reading = h('ul', { id: 'copying-reading', class: 'reading', attrs: { 'data-testid': 'copying-reading', 'aria-label': 'What the numbers say' } });
  ui.barsCanvas = h('canvas', { id: 'copying-chart-bars', attrs: { role: 'img', 'data-testid': 'copying-chart-bars', 'aria-label': 'Shipping time against compute time' } });
  ui.sweepCanvas = h('canvas', { id: 'copying-chart-sweep', attrs: { role: 'img', 'data-testid': 'copying-chart-sweep', 'aria-label': 'Shipping time against payload size' } });
  ui.sweepBox = h('div', { class: 'chart-box chart-tall' }, ui.sweepCanvas);
  ui.sweepBox.hidden = true;
  ui.chartError = h('p', { class: 'message message-error', id: 'copying-chart-error', hidden: true });
  ui.table = resultsTable({
    id: 'copying-results-table',
    caption: 'Every size measured',
    columns: [{ name: 'Mode' }, { name: 'Size', num: true }, { name: 'Ship median (ms)', num: true }, { name: 'Ship min–max (ms)', num: true }, { name: 'Compute median (ms)', num: true }, { name: 'Ship ÷ compute', num: true }, { name: 'Checked' }],
  });
  ui.tableNote = h('p', { class: 'hint table-note', id: 'copying-table-note' });
  ui.csv = h('button', { type: 'button', id: 'copying-download-csv', disabled: true, attrs: { 'data-testid': 'copying-download-csv' }, text: 'Download CSV' });
  ui.results = h(
    'section',
    { id: 'copying-results', class: 'results', attrs: { 'aria-label': 'Payload results', 'data-testid': 'copying-results' }, hidden: true },
    h('div', { class: 'card reading-card' }, h('h3', { text: 'Reading the numbers' }), ui.reading),
    h('div', { class: 'card charts copying-charts' }, ui.chartError, h('div', { class: 'chart-box chart-bars' }, ui.barsCanvas), ui.sweepBox),
    h('div', { class: 'card table-card' }, h('div', { class: 'table-scroll table-long' }, ui.table.table), ui.tableNote, h('div', { class: 'actions' }, ui.csv)),
  );

  append(container, h('h3', { class: 'section-title', text: 'Try it' }), partA, partB, ui.run$.messages, ui.empty, ui.results);
  return ui;
}

const MODE_NOTES = {
  copy: 'The worker gets its own copy, as pickled arguments are: the time grows with every byte.',
  transfer: 'The buffer itself moves to the worker and is gone from the sender until it is handed back.',
  shared: 'Both sides see one SharedArrayBuffer: only a small note crosses over.',
};

export default { id, title, intro, mount };
