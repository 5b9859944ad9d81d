// Lesson 9, "Your own Python, on real cores": the learner edits and runs a real Python script whose ProcessPoolExecutor is a pool of Pyodide
// interpreters, one per Web Worker (www/python/). A declaration for the lesson kit (its intro is python.html), which gives it the form, the run
// cycle, messages, Cancel, the key figures and the timeline; the printed output is its own. Nothing Python is fetched until the lesson mounts: then
// it imports the session and starts the interpreters while the learner reads, and they stay warm between runs.
import { h, clear } from '../lib/dom.js';
import { CancelledError } from '../lib/errors.js';
import { defineLesson, fetchText, workersField } from '../kit/lesson-kit.js';
import { formatMs, plural } from '../kit/format.js';

/** The script the editor opens with and "Restore example" brings back: a plain Python file, fetched when the lesson mounts. */
const EXAMPLE = new URL('./python-example.py', import.meta.url);
/** The course lesson's own code ideas, each a script in python-examples/<name>.py, loaded into the editor on demand (never run until Run). */
const FROM_LESSON = [
  ['four-tasks', 'Four tasks: one after another, then in processes'],
  ['sequential', 'The sequential loop on its own'],
  ['square', 'A top-level function, mapped in a pool'],
  ['lambda', 'A lambda, which cannot be pickled'],
  ['primes', 'Primes in chunks (map with chunksize)'],
  ['measure', 'Measure: os.cpu_count() and the speedup'],
  ['threads', 'The swap: ThreadPoolExecutor instead'],
];

const MAX_LINES = 2000; // lines kept on screen; the rest are counted
const NO_BLOCKING =
  'This browser can run Python here but cannot pause it while the pool works (it lacks JavaScript Promise Integration and this page is not cross-origin isolated), so ProcessPoolExecutor will stop with an error. A current Chromium-based browser runs everything.';
const seconds = (ms, digits = 1) => `${(ms / 1000).toFixed(digits)} s`;
/** Timeline entries of one kind: pool tasks, imports, or thread-pool tasks taking turns on the parent (python/py/playground/turns.py). */
const tasksOf = (result, kind = 'task') => result?.timeline.filter((e) => e.kind === kind) ?? [];

/** The session's phases as the progress bar shows them: `[fraction or null, text]`. */
const STATUS = {
  starting: (s) => [
    (s.ready + (s.main ? 1 : 0)) / (s.total + 1),
    `Starting Python: ${s.main ? 'parent ready' : 'parent starting'}, ${s.ready} of ${plural(s.total, 'worker')} ready`,
  ],
  ready: (s) => [1, `Python ready: parent and ${plural(s.total, 'worker')}.`],
  running: () => [null, 'Running your script…'],
  cancelling: () => [null, 'Cancelling…'],
  stopped: () => [0, 'Python stopped; it starts again with the next run.'],
};

/** The printed lines, tagged with who printed them, and the traceback of a failed run. */
function outputArea() {
  const list = h('ol', { class: 'py-output', id: 'python-output', attrs: { role: 'log', 'aria-label': 'Output', 'data-testid': 'python-output', tabindex: '0' } });
  const dropped = h('p', { class: 'hint', hidden: true });
  const traceback = h('pre', {
    class: 'py-traceback',
    id: 'python-traceback',
    hidden: true,
    attrs: { 'data-testid': 'python-traceback', tabindex: '0', 'aria-label': 'Traceback' },
  });
  let [pending, shown, lost, frame] = [[], 0, 0, 0];
  // Drawn at most once per frame, so a chatty script cannot freeze the page.
  const flush = () => {
    frame = 0;
    const batch = pending.splice(0);
    const kept = batch.slice(0, Math.max(0, MAX_LINES - shown));
    [shown, lost] = [shown + kept.length, lost + batch.length - kept.length];
    for (const line of kept) {
      const node = h(
        'li',
        { class: 'py-line', dataset: { worker: line.worker, stream: line.stream } },
        h('span', { class: 'py-tag', text: line.worker }),
        h('span', { class: 'py-text', text: line.text }),
      );
      node.t = line.t;
      // Lines from different workers travel separately; keep them in printing order.
      let before = list.lastElementChild;
      while (before && before.t > line.t) before = before.previousElementSibling;
      list.insertBefore(node, before ? before.nextSibling : list.firstChild);
    }
    dropped.hidden = lost === 0;
    dropped.textContent = `${plural(lost, 'more line')} not shown (only the first ${MAX_LINES} are).`;
    if (batch.length) list.scrollTop = list.scrollHeight;
  };
  return {
    node: h('section', { class: 'card py-section', attrs: { 'aria-label': 'Output' } }, h('h3', { text: 'Output' }), list, dropped, traceback),
    flush,
    add(line) {
      pending.push(line);
      frame ||= requestAnimationFrame(flush);
    },
    reset() {
      clear(list);
      [pending, shown, lost] = [[], 0, 0];
      dropped.hidden = traceback.hidden = true;
    },
    traceback: (text) => Object.assign(traceback, { textContent: text, hidden: false }),
  };
}

/** The lesson's session, created (and Python's client fetched) on first use. */
function session(kit) {
  kit.python.session ??= import('../python/client/session.js').then(
    ({ PythonSession }) => new PythonSession({ onOutput: kit.python.output.add, onStatus: (s) => STATUS[s.phase] && kit.progress(...STATUS[s.phase](s)) }),
  );
  return kit.python.session;
}

/** Starts (or resizes) the pool while nothing runs, and shows what that took. */
async function warm(kit) {
  try {
    const info = await (await session(kit)).start(kit.values().workers);
    if (info.reused) return;
    if (info.mode === 'none') kit.say(NO_BLOCKING, 'warning');
    const slowest = Math.max(...info.workers.map((w) => w.load_ms));
    const note = `Parent ${seconds(info.main_ms)}; slowest of ${plural(info.workers.length, 'worker')} ${seconds(slowest)}, all starting side by side. Paid once: the interpreters stay warm between runs.`;
    kit.show({ ...kit.report, startup: { ms: info.startup_ms, note } });
  } catch (error) {
    kit.say(`Python could not start: ${error?.message ?? error}`, 'error');
    kit.progress(0, 'Python is not running.');
  }
}

const lesson = defineLesson({
  id: 'python',
  title: 'Your own Python, on real cores',
  stylesheet: new URL('../python/client/lesson.css', import.meta.url),
  intro: new URL('./python.html', import.meta.url),
  formLabel: 'Your Python script',
  controls: (caps) => {
    const max = Math.min(8, 2 * caps.cores);
    return [
      {
        legend: 'From the lesson',
        class: 'sizes py-row',
        fields: [
          {
            kind: 'select',
            name: 'example',
            label: 'Load a script',
            value: '',
            options: [{ value: '', text: "Choose one of the lesson's scripts…" }, ...FROM_LESSON.map(([value, text]) => ({ value, text }))],
            hint: 'replaces the script in the editor; press Run to run it',
          },
        ],
      },
      { kind: 'text', name: 'code', label: 'Your script (main.py)', hint: 'Ctrl+Enter runs it. Restore the example at any time.' },
      {
        legend: 'Python pool',
        class: 'sizes py-row',
        fields: [
          workersField(caps, {
            max,
            value: Math.min(caps.cores, max),
            hint: `pool interpreters, 1 to ${max}; ProcessPoolExecutor() uses them all. This device reports ${plural(caps.cores, 'core')}.`,
            warn: (v) => (v.workers > caps.cores ? `more workers than cores (${caps.cores}): extra workers take turns` : ''),
          }),
        ],
      },
    ];
  },
  keep: true, // the start-up figure stays while the next run goes
  /** One run of the learner's script; the output streams in while it goes. */
  async run(v, kit) {
    kit.python.output.reset();
    kit.python.reset.disabled = true;
    kit.show({ startup: kit.report?.startup, result: null });
    try {
      const python = await session(kit);
      if (python.workers !== v.workers) kit.progress(0, `Starting ${plural(v.workers, 'worker')}…`);
      const result = await python.run(v.code, { workers: v.workers });
      kit.python.output.flush();
      const fresh = result.startup_ms > 0 && python.workers === v.workers;
      const report = { startup: fresh ? { ...kit.report?.startup, ms: result.startup_ms } : kit.report?.startup, result };
      if (result.cancelled) {
        kit.show(report);
        throw new CancelledError();
      }
      if (!result.ok) {
        const line = String(result.error.message ?? '').split('\n')[0];
        kit.say(`Your script stopped with ${result.error.type}: ${line.length > 160 ? `${line.slice(0, 157)}…` : line}`, 'error');
        kit.python.output.traceback(result.error.traceback || `${result.error.type}: ${result.error.message}`);
      }
      return report;
    } finally {
      kit.python.reset.disabled = false;
    }
  },
  cancel: async (kit) => (await kit.python.session)?.cancel(),
  finished: ({ result }) => (result.ok ? 'Done.' : 'Finished with an error.'),
  done: ({ result }) => {
    const [tasks, turns] = [tasksOf(result).length, tasksOf(result, 'turn').length];
    const parts = [tasks && `${plural(tasks, 'task')} run in the pool`, turns && `${plural(turns, 'thread-pool task')} taking turns in the parent`].filter(Boolean);
    return result.ok ? `Finished in ${seconds(result.run_ms, 2)}${parts.length ? `, with ${parts.join(' and ')}` : ''}.` : '';
  },

  empty: "Python starts in the background; its start-up and your script's timings will appear here.",
  has: (report) => Boolean(report.startup || report.result),
  figures: ({ startup, result }) => {
    const tasks = tasksOf(result);
    const used = new Set(tasks.map((e) => e.worker)).size;
    return [
      { label: 'Python start-up (once)', value: startup ? seconds(startup.ms) : '—', testid: 'python-startup' },
      { label: 'Your script (start-up excluded)', value: result ? seconds(result.run_ms, 2) : '—', testid: 'python-run-time' },
      { label: 'Tasks in the pool', value: !result ? '—' : tasks.length ? `${tasks.length} on ${plural(used, 'worker')}` : 'none', testid: 'python-tasks' },
    ];
  },
  reading: ({ startup }) => (startup?.note ? [{ text: startup.note }] : []),
  timeline: {
    heading: 'Who ran which task, when',
    pickers: [],
    runs: ({ result }) => {
      const [imports, turns] = [tasksOf(result, 'import'), tasksOf(result, 'turn')];
      const slowest = Math.max(0, ...imports.map((e) => e.end_ms - e.start_ms));
      const note =
        'Each bar is one task (or one chunk of a map) inside a pool worker. ' +
        (imports.length ? `Before its first task, each worker imported your script as __mp_main__ (at most ${formatMs(slowest)} ms). ` : '') +
        (turns.length ? "Bars on the main lane are ThreadPoolExecutor tasks taking turns on the parent's one interpreter: one after another, never side by side. " : '') +
        'Gaps are pickling and messages between the parent and the workers; work the parent does itself (a sequential loop, say) is not in the pool, so it shows as empty time.';
      const chunks = [...tasksOf(result), ...turns].map(({ worker, start_ms, end_ms, task }) => ({ worker, start_ms, end_ms, chunk: task, first: task, len: 1 }));
      return [{ engine: 'processes', label: 'your script', what: 'your script', chunks, note }];
    },
  },
});

/** Mounts the kit's panel, adds the output and "Restore example", and starts Python. */
export function mount(container, context) {
  container.classList.add('py-lesson');
  const kit = lesson.mount(container, context);
  const output = outputArea();
  const reset = h('button', { type: 'button', id: 'python-reset', text: 'Restore example', attrs: { 'data-testid': 'python-reset' } });
  kit.python = { output, reset, session: null };
  container.querySelector('#python-messages').after(output.node);
  container.querySelector('#python-cancel').after(reset);
  const editor = kit.control('code').inputs[0];
  editor.classList.add('py-editor');
  editor.parentElement.classList.add('py-editor-field');
  editor.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !(event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    editor.form.requestSubmit();
  });
  let example = '';
  fetchText(EXAMPLE).then(
    (text) => {
      example = text;
      editor.value ||= text; // unless the learner has begun typing
    },
    (error) => kit.say(`The example script could not be loaded (${error.message}); write your own.`, 'error'),
  );
  reset.addEventListener('click', () => {
    editor.value = example;
    picker.value = editor.dataset.loaded = '';
    editor.focus();
  });
  // A chosen script replaces the editor's once it arrives (unless another was chosen meanwhile); data-loaded names it.
  const picker = kit.control('example').inputs[0];
  picker.addEventListener('change', () => {
    const [name, text] = FROM_LESSON.find(([value]) => value === picker.value) ?? [];
    if (!name) return;
    fetchText(new URL(`./python-examples/${name}.py`, import.meta.url)).then(
      (script) => {
        if (picker.value !== name) return;
        editor.value = script;
        editor.dataset.loaded = name;
      },
      (error) => kit.say(`The script "${text}" could not be loaded (${error.message}).`, 'error'),
    );
  });
  kit.control('workers').inputs[0].addEventListener('change', () => warm(kit));
  warm(kit); // while the learner reads
  return kit;
}

export const { id, title, intro, applyPreset, readState } = lesson;
