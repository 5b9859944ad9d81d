// A pool worker: one Pyodide interpreter that plays a child process. It imports the learner's script as `__mp_main__` when an executor starts using
// it, then runs pickled tasks one at a time. Started (as a nested worker) by the main-interpreter worker, which sends `init` first.
//
// Its prints go straight to the page through its own MessagePort, tagged with its index. Its answers go to the main worker by postMessage, or through
// a shared-memory mailbox when the main interpreter blocks with Atomics.wait.

import { loadInterpreter, wallClock, errorText } from './interpreter.js';
import { MailboxWriter } from './channel.js';

const early = []; // what arrives while the interpreter starts
self.onmessage = ({ data }) => (data.type === 'init' ? start(data) : early.push(data));

async function start({ index, gen, port, cpuCount, interrupt, mailbox, control, snapshot }) {
  let lines = 0;
  const onLine = (stream, text) => {
    lines += 1;
    port.postMessage({ gen, worker: index, stream, text, t: wallClock() });
  };
  const failed = (error) => void postMessage({ type: 'failed', gen, message: errorText(error) });
  const loaded = await loadInterpreter({ snapshot, onLine }).catch(failed);
  if (!loaded) return;
  const { py, load_ms, flush, restored } = loaded;
  const flags = interrupt ? new Int32Array(interrupt) : null;
  if (flags) py.setInterruptBuffer(flags);
  const child = py.pyimport('playground.child');
  child.install(cpuCount);
  const writer = mailbox ? new MailboxWriter(mailbox, control, () => postMessage({ type: 'doorbell' })) : null;

  const answer = (message) => {
    message.lines = lines;
    if (writer) writer.write(message);
    else postMessage(message, message.payload ? [message.payload.buffer] : []);
  };

  // Calls into Python; a KeyboardInterrupt that lands outside the learner's code (or any other surprise) still answers, so the parent never waits
  // forever.
  let lastError = '';
  const call = (fn, ...args) => {
    try {
      const proxy = fn(...args);
      if (!proxy?.toJs) return proxy;
      const value = proxy.toJs();
      proxy.destroy();
      return value;
    } catch (error) {
      lastError = errorText(error);
      return null;
    } finally {
      flush();
      // An interrupt that arrives after the work is done must not hit the next task.
      if (flags) Atomics.store(flags, 0, 0);
    }
  };

  const handle = (message) => {
    const { type, run, executor } = message;
    if (type === 'forget') return call(child.forget, executor);
    const start = wallClock();
    if (type === 'bootstrap') {
      const booted = call(child.bootstrap, run, executor, message.source, message.init);
      const [ok, error, traceback] = booted ?? [false, `the import broke down outside your code: ${lastError.trim().split('\n').at(-1)}`, ''];
      answer({ type: 'booted', run, worker: index, gen, executor, ok, error: error ?? '', traceback: traceback ?? '', start, end: wallClock() });
    } else if (type === 'task') {
      // Without even a stand-in, `crash` tells the parent what happened.
      const [ok, payload] = call(child.run_task, run, executor, message.payload) ?? call(child.stand_in, lastError) ?? [false, undefined];
      const { task, label, items } = message;
      const crash = payload ? undefined : 'its interpreter stopped responding';
      answer({ type: 'result', run, worker: index, gen, executor, task, ok, payload, crash, label, items, start, end: wallClock() });
    }
  };
  postMessage({ type: 'ready', gen, load_ms, restored });
  self.onmessage = ({ data }) => handle(data);
  early.forEach(handle);
}
