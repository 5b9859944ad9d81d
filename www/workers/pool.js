// The process pool: module workers that each instantiate the driver's compiled wasm module with a memory of their own, so they share code but no
// data. Everything sent to them is copied (structured clone), the browser's counterpart of pickling. Used only from the driver worker.

const wallClock = () => performance.timeOrigin + performance.now();

export class ProcessPool {
  /** `code` is `{ build, module }`: the build's name and its compiled `WebAssembly.Module`. */
  constructor(code) {
    this.code = code;
    this.members = [];
    this.nextId = 0;
  }

  get size() {
    return this.members.length;
  }

  /**
   * Starts workers until there are `size`; answers null when there were enough, or `{ startup_ms, workers: [{ worker, load_ms, ready_ms }] }` for the
   * workers started (`load_ms` in the worker, `ready_ms` since this call began).
   */
  async grow(size) {
    if (this.members.length >= size) return null;
    const started = wallClock();
    const members = await Promise.all(Array.from({ length: size - this.members.length }, (_, i) => this.#start(this.members.length + i)));
    this.members.push(...members);
    return { startup_ms: wallClock() - started, workers: members.map((m) => ({ worker: m.index, load_ms: m.load_ms, ready_ms: m.ready_at - started })) };
  }

  /** Ends every worker and starts `size` new ones; answers how long each took, as `grow` does. */
  restart(size) {
    for (const member of this.members.splice(0)) member.worker.terminate();
    return this.grow(size);
  }

  #start(index) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(new URL('./pool-worker.js', import.meta.url), { type: 'module' });
      const member = { index, worker, pending: new Map(), load_ms: null, ready_at: null };
      worker.onmessage = ({ data }) => {
        if (data.type === 'ready') {
          Object.assign(member, { load_ms: data.load_ms, ready_at: wallClock() });
          return resolve(member);
        }
        const call = member.pending.get(data.id);
        member.pending.delete(data.id);
        if (data.type === 'error') call?.reject(new Error(`process-pool worker ${index}: ${data.message}`));
        else call?.resolve(data);
      };
      worker.postMessage(this.code);
      worker.onerror = (event) => {
        event.preventDefault();
        const error = new Error(`process-pool worker ${index} failed: ${event.message || 'it could not start'}`);
        for (const call of member.pending.values()) call.reject(error);
        this.members = this.members.filter((m) => m !== member);
        worker.terminate();
        reject(error);
      };
    });
  }

  /** Sends one message to worker `index` and waits for its reply. */
  request(index, message, transfer = []) {
    const member = this.members[index];
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      member.pending.set(id, { resolve, reject });
      member.worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Posts something to a worker as is, so a value that cannot be cloned throws here. */
  post(index, message) {
    this.members[index].worker.postMessage(message);
  }

  /**
   * `map` over the first `workers` workers: each pulls the next chunk when it is free. `plan` holds flat `[first, len]` pairs; answers results in
   * input order and one record per chunk (ms since the map began), including when it was sent and received.
   */
  async map({ workload, workers, inputs, plan }) {
    const results = new BigUint64Array(inputs.length);
    const chunks = [];
    const origin = wallClock();
    let next = 0;
    const lane = async (worker) => {
      for (let chunk = next++; 2 * chunk < plan.length; chunk = next++) {
        const [first, len] = plan.subarray(2 * chunk, 2 * chunk + 2);
        const sent_ms = wallClock() - origin;
        // No transfer list: the inputs are copied, as pickled arguments are.
        const reply = await this.request(worker, { type: 'chunk', workload, inputs: inputs.slice(first, first + len) });
        results.set(reply.results, first);
        const [start_ms, end_ms, received_ms] = [reply.start_ms, reply.end_ms, wallClock()].map((t) => t - origin);
        chunks.push({ chunk, worker, first, len, wait_ms: 0, sent_ms, start_ms, end_ms, received_ms });
      }
    };
    await Promise.all(Array.from({ length: workers }, (_, worker) => lane(worker)));
    chunks.sort((a, b) => a.chunk - b.chunk);
    return { results, chunks };
  }
}
