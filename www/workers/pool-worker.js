// A process-pool worker: its own instance of the wasm build, its own memory. Like a child process importing your script, it runs this module's
// top-level code again and instantiates the wasm itself, then handles whatever it is sent. Everything it receives is its own copy; nothing it changes
// is seen by anyone else.
//
// Its first message is the driver's compiled `WebAssembly.Module` and which build it is. A process shares its program's code with its siblings, not
// its memory: so does this worker. V8 shares one module's machine code, tier-ups included, across the workers it is posted to, so a fresh worker runs
// the loop at full speed at once instead of in the baseline tier its own compile would start in (see docs/performance.md). Instantiating the threaded
// build without a memory gives this worker a fresh one of its own.
const now = () => performance.timeOrigin + performance.now();
const loadStarted = now();
const { data: start } = await new Promise((resolve) => self.addEventListener('message', resolve, { once: true }));
const { default: init, runChunk } = await import(`../pkg/${start.build}/parallel_playground.js`);
await init({ module_or_path: start.module });

const handlers = {
  // One chunk of a map: inputs copied in, results copied out.
  chunk: ({ workload, inputs }) => ({ results: runChunk(workload, inputs) }),
  // A payload shipped for the copying lesson: touch every byte, as real work would.
  payload: ({ buffer, giveBack }, reply) => {
    const received_at = now();
    const bytes = new Uint8Array(buffer);
    let sum = 0;
    for (let i = 0; i < bytes.length; i++) sum = (sum + bytes[i]) | 0;
    const computed_at = now();
    const answer = { received_at, computed_at, sum };
    return giveBack ? reply({ ...answer, buffer }, [buffer]) : answer;
  },
  // "Append to the shared list": the list here is this worker's copy.
  append: ({ list, items }) => {
    for (let i = 0; i < items; i++) list.push(i);
    return { length: list.length };
  },
};

self.onmessage = ({ data }) => {
  const handler = handlers[data?.type];
  if (!handler) return;
  const start_ms = now();
  const reply = (answer, transfer = []) => self.postMessage({ type: 'result', id: data.id, start_ms, end_ms: now(), ...answer }, transfer);
  try {
    const answer = handler(data, reply);
    if (answer) reply(answer);
  } catch (error) {
    self.postMessage({ type: 'error', id: data.id, message: String(error?.message ?? error) });
  }
};
self.postMessage({ type: 'ready', load_ms: now() - loadStarted });
