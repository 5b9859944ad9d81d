// A process-pool worker: its own instance of the plain wasm build, its own memory.
// Like a child process that imports your script, it loads and instantiates the module
// itself, then computes whatever chunk it is sent. Inputs arrive as a copy and results
// leave as a copy, which is the browser's version of pickling.
import init, { runChunk } from '../pkg/plain/parallel_playground.js';

const now = () => performance.timeOrigin + performance.now();
const loadStarted = now();
await init();

self.onmessage = ({ data }) => {
  if (data?.type !== 'chunk') return;
  const start_ms = now();
  try {
    const results = runChunk(data.workload, data.inputs);
    self.postMessage({ type: 'result', id: data.id, results, start_ms, end_ms: now() });
  } catch (error) {
    self.postMessage({ type: 'error', id: data.id, message: String(error?.message ?? error) });
  }
};
self.postMessage({ type: 'ready', load_ms: now() - loadStarted });
