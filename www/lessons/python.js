// Lesson: "Your own Python, on real cores". The learner edits and runs a real
// Python script; its ProcessPoolExecutor is backed by a pool of Pyodide
// interpreters, one per Web Worker (www/python/). Nothing Python-related is
// fetched until this lesson is first opened: mount() imports the session and
// starts the interpreters, which then stay warm between runs.
import { h, append, clear } from '../lib/dom.js';
import { drawTimelineChart } from '../lib/charts.js';
import { formatMs, plural } from '../lib/reading.js';

export const id = 'python';
export const title = 'Your own Python, on real cores';

const EXAMPLE = `import os
import time
from concurrent.futures import ProcessPoolExecutor

def crunch(seed):
    """CPU-bound on purpose: no waiting, only arithmetic."""
    acc = seed
    for k in range(1_500_000):
        acc = (acc + k * k) % 1_000_003
    print(f"crunch({seed}) -> {acc}")
    return acc

if __name__ == "__main__":
    jobs = range(4)

    began = time.perf_counter()
    one_by_one = [crunch(j) for j in jobs]
    sequential = time.perf_counter() - began

    began = time.perf_counter()
    with ProcessPoolExecutor() as pool:   # one worker per "Workers" setting
        side_by_side = list(pool.map(crunch, jobs))
    parallel = time.perf_counter() - began

    assert side_by_side == one_by_one
    print(f"cores reported: {os.cpu_count()}")
    print(f"sequential: {sequential:.2f} s")
    print(f"pool:       {parallel:.2f} s   ({sequential / parallel:.1f}x faster)")
`;

const MAX_LINES = 2000; // lines kept on screen; the rest are counted

let stylesheetAdded = false;
function addStylesheet() {
  if (stylesheetAdded) return;
  stylesheetAdded = true;
  document.head.append(h('link', { rel: 'stylesheet', href: new URL('../python/client/lesson.css', import.meta.url).href }));
}

export function mount(container, context = {}) {
  addStylesheet();
  container.classList.add('py-lesson');
  const cores = context.caps?.cores ?? (navigator.hardwareConcurrency || 1);
  const ui = buildPanel(container, cores);
  const state = { session: null, running: false, chart: null, lines: [], shown: 0, dropped: 0, pending: [], frame: 0 };

  // ---- output, drawn at most once per frame so a chatty script can't freeze the page
  function queueLine(line) {
    state.pending.push(line);
    if (!state.frame) state.frame = requestAnimationFrame(flushLines);
  }

  function flushLines() {
    state.frame = 0;
    const batch = state.pending.splice(0);
    for (const line of batch) {
      if (state.shown >= MAX_LINES) {
        state.dropped += 1;
        continue;
      }
      state.shown += 1;
      const node = h('li', { class: 'py-line', dataset: { worker: line.worker, stream: line.stream } }, h('span', { class: 'py-tag', text: line.worker }), h('span', { class: 'py-text', text: line.text }));
      node.t = line.t;
      // Lines from different workers travel separately; keep them in printing order.
      let before = ui.output.lastElementChild;
      while (before && before.t > line.t) before = before.previousElementSibling;
      ui.output.insertBefore(node, before ? before.nextSibling : ui.output.firstChild);
    }
    ui.dropped.hidden = state.dropped === 0;
    ui.dropped.textContent = `${plural(state.dropped, 'more line')} not shown (only the first ${MAX_LINES} are).`;
    if (batch.length) ui.output.scrollTop = ui.output.scrollHeight;
  }

  function resetOutput() {
    clear(ui.output);
    state.pending = [];
    state.shown = 0;
    state.dropped = 0;
    ui.dropped.hidden = true;
    ui.traceback.hidden = true;
  }

  // ---- progress and messages
  function setProgress(value, text) {
    if (value === null) ui.progress.removeAttribute('value');
    else ui.progress.value = value;
    ui.progressText.textContent = text;
  }

  function say(text, kind = 'info') {
    clear(ui.messages);
    ui.messages.append(h('p', { class: `message message-${kind}`, dataset: { kind }, text }));
  }

  function onStatus(status) {
    if (status.phase === 'starting') {
      const total = status.total + 1;
      const ready = status.ready + (status.main ? 1 : 0);
      setProgress(ready / total, `Starting Python: ${status.main ? 'parent ready' : 'parent starting'}, ${status.ready} of ${plural(status.total, 'worker')} ready`);
    } else if (status.phase === 'ready') {
      setProgress(1, `Python ready: parent and ${plural(status.total, 'worker')}.`);
    } else if (status.phase === 'running') {
      setProgress(null, 'Running your script…');
    } else if (status.phase === 'cancelling') {
      setProgress(null, 'Cancelling…');
    } else if (status.phase === 'stopped') {
      setProgress(0, 'Python stopped; it starts again with the next run.');
    }
  }

  function setRunning(running) {
    state.running = running;
    ui.run.disabled = running;
    ui.cancel.disabled = !running;
    ui.workers.disabled = running;
    ui.reset.disabled = running;
    container.dataset.state = running ? 'running' : 'idle';
  }

  function showStartup(info) {
    if (!info || info.reused) return;
    if (info.mode === 'none') {
      say('This browser can run Python here but cannot pause it while the pool works (it lacks JavaScript Promise Integration and this page is not cross-origin isolated), so ProcessPoolExecutor will stop with an error. A current Chromium-based browser runs everything.', 'warning');
    }
    const slowest = Math.max(...info.workers.map((w) => w.load_ms));
    ui.startup.textContent = `${(info.startup_ms / 1000).toFixed(1)} s`;
    ui.startupHint.textContent = `Parent ${(info.main_ms / 1000).toFixed(1)} s; slowest of ${plural(info.workers.length, 'worker')} ${(slowest / 1000).toFixed(1)} s, all starting side by side. Paid once: the interpreters stay warm between runs.`;
  }

  async function ensureSession() {
    if (state.session) return state.session;
    const { PythonSession } = await import('../python/client/session.js');
    state.session = new PythonSession({ onOutput: queueLine, onStatus });
    return state.session;
  }

  async function startPool() {
    const workers = Number(ui.workers.value);
    try {
      const session = await ensureSession();
      const info = await session.start(workers);
      showStartup(info);
    } catch (error) {
      say(`Python could not start: ${error?.message ?? error}`, 'error');
      setProgress(0, 'Python is not running.');
    }
  }

  async function run() {
    if (state.running) return;
    resetOutput();
    clear(ui.messages);
    setRunning(true);
    try {
      const session = await ensureSession();
      const workers = Number(ui.workers.value);
      if (session.workers !== workers) setProgress(0, `Starting ${plural(workers, 'worker')}…`);
      const result = await session.run(ui.editor.value, { workers });
      if (result.startup_ms > 0 && session.workers === workers) ui.startup.textContent = `${(result.startup_ms / 1000).toFixed(1)} s`;
      showResult(result);
    } catch (error) {
      say(error?.message ?? String(error), 'error');
      setProgress(0, 'Stopped.');
    } finally {
      setRunning(false);
    }
  }

  function showResult(result) {
    flushLines();
    ui.runTime.textContent = `${(result.run_ms / 1000).toFixed(2)} s`;
    const tasks = result.timeline.filter((e) => e.kind === 'task');
    const imports = result.timeline.filter((e) => e.kind === 'import');
    const used = new Set(tasks.map((e) => e.worker)).size;
    ui.tasks.textContent = tasks.length ? `${tasks.length} on ${plural(used, 'worker')}` : 'none';
    if (result.cancelled) {
      say('Cancelled. Whatever was running was stopped; the next run starts clean.', 'warning');
      setProgress(0, 'Cancelled.');
    } else if (result.ok) {
      say(`Finished in ${(result.run_ms / 1000).toFixed(2)} s${tasks.length ? `, with ${plural(tasks.length, 'task')} run in the pool` : ''}.`, 'success');
      setProgress(1, 'Done.');
    } else {
      say(`Your script stopped with ${result.error.type}: ${firstLine(result.error.message)}`, 'error');
      setProgress(1, 'Finished with an error.');
      ui.traceback.textContent = result.error.traceback || `${result.error.type}: ${result.error.message}`;
      ui.traceback.hidden = false;
    }
    drawTimeline(tasks, imports);
  }

  function drawTimeline(tasks, imports) {
    state.chart?.destroy();
    state.chart = null;
    ui.timelineBox.hidden = tasks.length === 0;
    if (!tasks.length) return;
    const workers = new Set(tasks.map((e) => e.worker)).size;
    ui.timelineCanvasBox.style.height = `${130 + workers * 38}px`;
    const bars = tasks.map((e) => ({ worker: e.worker, start_ms: e.start_ms, end_ms: e.end_ms, chunk: e.task, first: e.task, len: 1 }));
    const importMs = imports.length ? Math.max(...imports.map((e) => e.end_ms - e.start_ms)) : 0;
    ui.timelineNote.textContent =
      `Each bar is one task (or one chunk of a map) inside a pool worker. ` +
      (imports.length ? `Before its first task, each worker imported your script as __mp_main__ (at most ${formatMs(importMs)} ms). ` : '') +
      'Gaps are pickling and messages between the parent and the workers; work the parent does itself (a sequential loop, say) is not in the pool, so it shows as empty time.';
    try {
      state.chart = drawTimelineChart(ui.timelineCanvas, bars, { engine: 'processes', label: 'your script' });
      const end = Math.max(...tasks.map((e) => e.end_ms));
      ui.timelineCanvas.setAttribute('aria-label', `Timeline: ${plural(tasks.length, 'task')} on ${plural(workers, 'worker')}, the last finishing ${formatMs(end)} ms into the run.`);
    } catch (error) {
      ui.timelineNote.textContent = `The chart is unavailable: ${error.message}.`;
    }
  }

  async function cancel() {
    if (!state.running || !state.session) return;
    ui.cancel.disabled = true;
    await state.session.cancel();
  }

  ui.form.addEventListener('submit', (event) => {
    event.preventDefault();
    run();
  });
  ui.editor.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  ui.cancel.addEventListener('click', cancel);
  ui.reset.addEventListener('click', () => {
    ui.editor.value = EXAMPLE;
    ui.editor.focus();
  });
  ui.workers.addEventListener('input', () => {
    ui.workersOut.value = ui.workers.value;
    const n = Number(ui.workers.value);
    ui.workersNote.hidden = n <= cores;
    ui.workersNote.textContent = `more workers than cores (${cores}): extra workers take turns`;
  });
  ui.workers.addEventListener('change', () => {
    if (!state.running) startPool();
  });

  container.dataset.state = 'idle';
  startPool(); // warm up while the learner reads
  return { run, cancel };
}

function firstLine(text) {
  const line = String(text ?? '').split('\n')[0];
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}

function buildPanel(container, cores) {
  const ui = {};
  const max = Math.min(8, 2 * cores);
  const initial = Math.min(cores, max);

  const intro = h(
    'div',
    { class: 'prose' },
    h('p', {
      class: 'lead',
      text: 'This is real Python (CPython 3.14 compiled to WebAssembly), and its ProcessPoolExecutor really uses several cores: the parent and every pool worker are separate interpreters, each in its own Web Worker, with their own memory.',
    }),
    h(
      'ul',
      {},
      h('li', { text: 'Arguments and results travel by pickle, so a lambda fails just as it would on your machine.' }),
      h('li', { text: 'Every worker imports your script as __mp_main__ first, as spawn-mode multiprocessing does: top-level code runs again in each worker, and the if __name__ == "__main__": guard matters.' }),
      h('li', { text: 'Each printed line is tagged with who printed it: main (the parent) or worker 0, worker 1, …' }),
    ),
    h('p', { class: 'hint', text: 'Starting the interpreters takes a few seconds, once; that time is shown apart from your script\'s.' }),
  );

  ui.editor = h('textarea', { id: 'python-code', class: 'py-editor', value: EXAMPLE, spellcheck: false, attrs: { 'data-testid': 'python-code', autocapitalize: 'off', autocomplete: 'off', 'aria-describedby': 'python-code-hint' } });
  const editorField = h(
    'div',
    { class: 'py-editor-field' },
    h('label', { htmlFor: 'python-code', text: 'Your script (main.py)' }),
    ui.editor,
    h('span', { class: 'hint', id: 'python-code-hint', text: 'Ctrl+Enter runs it. Restore the example at any time.' }),
  );

  ui.workers = h('input', { id: 'python-workers', type: 'range', min: '1', max: String(max), step: '1', value: String(initial), attrs: { 'data-testid': 'python-workers', 'aria-describedby': 'python-workers-hint' } });
  ui.workersOut = h('output', { class: 'value', attrs: { for: 'python-workers', 'data-testid': 'python-workers-value' }, text: String(initial) });
  ui.workersNote = h('span', { class: 'hint warn', attrs: { role: 'note' }, hidden: true });
  const workersField = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head' }, h('label', { htmlFor: 'python-workers', text: 'Workers' }), ui.workersOut),
    ui.workers,
    h('span', { class: 'hint', id: 'python-workers-hint', text: `pool interpreters, 1 to ${max}; ProcessPoolExecutor() uses them all. This device reports ${plural(cores, 'core')}.` }),
    ui.workersNote,
  );

  ui.run = h('button', { type: 'submit', class: 'primary', id: 'python-run', attrs: { 'data-testid': 'python-run' }, text: 'Run' });
  ui.cancel = h('button', { type: 'button', id: 'python-cancel', disabled: true, attrs: { 'data-testid': 'python-cancel' }, text: 'Cancel' });
  ui.reset = h('button', { type: 'button', id: 'python-reset', attrs: { 'data-testid': 'python-reset' }, text: 'Restore example' });
  ui.progress = h('progress', { id: 'python-progress', max: 1, value: 0, attrs: { 'data-testid': 'python-progress', 'aria-labelledby': 'python-progress-text' } });
  ui.progressText = h('span', { id: 'python-progress-text', class: 'progress-text', attrs: { 'data-testid': 'python-progress-text' }, text: 'Python is not started yet.' });
  const actions = h('div', { class: 'actions' }, ui.run, ui.cancel, ui.reset, h('div', { class: 'progress-box' }, ui.progress, ui.progressText));

  ui.form = h('form', { class: 'controls card', id: 'python-form', attrs: { 'aria-label': 'Your Python script', novalidate: true } }, editorField, h('div', { class: 'py-row' }, workersField), actions);
  ui.messages = h('div', { class: 'messages', id: 'python-messages', attrs: { role: 'status', 'aria-live': 'polite', 'data-testid': 'python-messages' } });

  ui.startup = h('dd', { attrs: { 'data-testid': 'python-startup' }, text: '—' });
  ui.startupHint = h('span', { class: 'hint' });
  ui.runTime = h('dd', { attrs: { 'data-testid': 'python-run-time' }, text: '—' });
  ui.tasks = h('dd', { attrs: { 'data-testid': 'python-tasks' }, text: '—' });
  const timings = h(
    'dl',
    { class: 'py-timings' },
    h('div', {}, h('dt', { text: 'Python start-up (once)' }), ui.startup),
    h('div', {}, h('dt', { text: 'Your script (start-up excluded)' }), ui.runTime),
    h('div', {}, h('dt', { text: 'Tasks in the pool' }), ui.tasks),
  );

  ui.output = h('ol', { class: 'py-output', id: 'python-output', attrs: { role: 'log', 'aria-label': 'Output', 'data-testid': 'python-output', tabindex: '0' } });
  ui.dropped = h('p', { class: 'hint', hidden: true });
  ui.traceback = h('pre', { class: 'py-traceback', id: 'python-traceback', hidden: true, attrs: { 'data-testid': 'python-traceback', tabindex: '0', 'aria-label': 'Traceback' } });

  ui.timelineCanvas = h('canvas', { id: 'python-chart-timeline', attrs: { role: 'img', 'data-testid': 'python-chart-timeline', 'aria-label': 'Per-worker timeline' } });
  ui.timelineCanvasBox = h('div', { class: 'chart-box' }, ui.timelineCanvas);
  ui.timelineNote = h('p', { class: 'hint' });
  ui.timelineBox = h(
    'section',
    { class: 'card timeline py-section', id: 'python-timeline', hidden: true, attrs: { 'aria-labelledby': 'python-timeline-heading' } },
    h('div', { class: 'timeline-head' }, h('h3', { id: 'python-timeline-heading', text: 'Who ran which task, when' })),
    ui.timelineCanvasBox,
    ui.timelineNote,
  );

  append(
    container,
    intro,
    h('h3', { class: 'section-title', text: 'Try it' }),
    ui.form,
    ui.messages,
    h('section', { class: 'card py-section', attrs: { 'aria-label': 'Output and timings' } }, timings, ui.startupHint, h('h3', { class: 'py-section', text: 'Output' }), ui.output, ui.dropped, ui.traceback),
    ui.timelineBox,
  );
  return ui;
}

export default { id, title, mount };
