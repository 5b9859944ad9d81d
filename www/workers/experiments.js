// The experiments the driver can run, one method per kind of run the lessons need, each `(values, context)`; those in `THREADED` need the threaded
// build. Settings are checked in Rust (`checkSettings`, by the method's name) before it starts, so `values` are complete and in range. A method
// measures and collects raw numbers; what they mean (summaries, speedups, fits, verdicts) is computed in Rust by `wasm.report(name, raw)`, whose
// answer the method returns. The context carries the wasm module, the process pool, the reference checksums, `cores`, `progress` and `guard`. Not
// for: reading numbers or writing sentences.
//
// Times: the sequential, GIL and threads engines are timed inside Rust, around the map alone (`runEngine` answers `ms`); the process pool is timed
// here around `pool.map`, since its chunks travel as messages between workers.

/** The experiments that run only on the threaded build. */
export const THREADED = ['count', 'phased'];

const wallClock = () => performance.timeOrigin + performance.now();

function mismatch(engine, actual, expected) {
  return new Error(`the ${engine} engine's results differ from the sequential results (checksum ${actual}, expected ${expected}); no timing is shown for a wrong answer`);
}

/**
 * The sequential checksum of `workload` over `tasks` inputs from `n`, computed once per driver (saying `reference` first): the reference every
 * engine's results must match.
 */
function reference(ctx, { workload, n, tasks }, say) {
  const key = `${workload}:${n}:${tasks}`;
  if (!ctx.references.has(key)) {
    say('reference', 0, 1);
    ctx.references.set(key, ctx.guard(() => ctx.wasm.runEngine({ engine: 'sequential', workload, n, tasks, workers: 1, chunksize: tasks })).checksum);
  }
  return ctx.references.get(key);
}

/** The runs of a measurement as `[phase, run, runs]`: `warmup` untimed ones, then `repetitions` timed. */
function* rounds({ warmup = 0, repetitions }) {
  for (let run = 0; run < warmup; run++) yield ['warmup', run, warmup];
  for (let run = 0; run < repetitions; run++) yield ['timed', run, repetitions];
}

/** Calls `once(untimed)` for each of `rounds(values)`, one after the other, each announced as `say(phase, run, runs)`; answers what they answered. */
async function repeat(values, say, once) {
  const answers = [];
  for (const [phase, run, runs] of rounds(values)) {
    say(phase, run, runs);
    answers.push(await once(phase === 'warmup'));
  }
  return answers;
}

/**
 * One progress bar over a whole call of `total` steps (runs), in parts: `part(where, steps)` answers the `say(phase, run, runs)` of the next `steps`,
 * which reports `{ phase, done, total }` over the whole call plus where it is (`engine`, `workers`, `chunksize`, …) and the run within its phase
 * (`run`, `runs`). A part's warm-ups come first and its timed runs last; anything else (the pool's start, the reference) is at its first step.
 */
function progressBar(ctx, total) {
  let finished = 0;
  return (where, steps) => {
    const base = finished;
    finished += steps;
    return (phase, run, runs) => {
      const done = base + (phase === 'timed' ? steps - runs + run : phase === 'warmup' ? run : 0);
      ctx.progress(phase, Math.min(done, total), total, { ...where, run, runs });
    };
  };
}

/**
 * Readies one engine at one setting for timed maps of `config`, each checked against the sequential reference, reported through `say(phase)`
 * (`startup` when the process pool starts, `reference`). The pool grows to `config.workers` if it is smaller; with `restart`, it is restarted
 * whatever its size, and `started` hears what either cost (see `ProcessPool.grow`). Answers `once(warmup)`, which runs one map, and `record()`: `{
 * engine, runs: [{ ms, warmup }], checksum, expected, timeline, startup_ms }`, the raw record of the runs so far.
 */
async function prepareMap(config, ctx, say, { restart = false, started = () => {} } = {}) {
  const { wasm } = ctx;
  const { engine, workload, n, tasks, workers, chunksize } = config;
  if (['gil', 'threads'].includes(engine) && !wasm.hasThreads()) throw new Error(`the ${engine} engine needs a cross-origin isolated page (SharedArrayBuffer)`);
  let startup_ms = null;
  if (engine === 'processes' && (restart || ctx.pool.size < workers)) {
    say('startup', 0, 1);
    const start = restart ? await ctx.pool.restart(workers) : await ctx.pool.grow(workers);
    started(start);
    startup_ms = start.startup_ms;
  }
  const expected = reference(ctx, config, say);
  const [inputs, plan] = engine === 'processes' ? [wasm.taskInputs(n, tasks), wasm.planChunks(tasks, chunksize)] : [];
  const runs = [];
  let last = null;
  const once = async (warmup) => {
    if (engine === 'processes') {
      const began = performance.now();
      const { results, chunks } = await ctx.pool.map({ workload, workers, inputs, plan });
      last = { checksum: wasm.checksum(results), ms: performance.now() - began, chunks };
    } else {
      last = ctx.guard(() => wasm.runEngine({ engine, workload, n, tasks, workers, chunksize }));
    }
    if (last.checksum !== expected) throw mismatch(engine, last.checksum, expected);
    runs.push({ ms: last.ms, warmup });
  };
  return { once, record: () => ({ engine, runs, checksum: last.checksum, expected, timeline: last.chunks, startup_ms }) };
}

/** `warmup` untimed then `repetitions` timed maps of `config` (see `prepareMap`), announced through `say`. */
async function measureMap(config, ctx, say, options) {
  const map = await prepareMap(config, ctx, say, options);
  await repeat(config, say, map.once);
  return map.record();
}

/**
 * The sequential baseline with the `baseline` settings, then every other engine of `values.engines` at each of `points` (settings over `values`), on
 * one progress bar. The runs go in rounds, every case once a round (warm-ups first): A B C A B C, not A A B B C C. Run one case after another,
 * whatever slows the machine for a moment (the page still loading, a background compile, another program) lands on the few points measured then and
 * bends the curve there; in rounds it lands on every point alike, and each point is read against a baseline measured beside it. Answers `{ baseline,
 * engines: [{ engine, points: [{ ...point, ...measured }] }] }`.
 */
async function sweep(values, ctx, baseline, points, options) {
  const [, ...swept] = values.engines;
  const cases = [{ engine: 'sequential', setting: baseline }, ...swept.flatMap((engine) => points.map((setting) => ({ engine, setting })))];
  const total = cases.length * (values.warmup + values.repetitions);
  let done = 0;
  for (const c of cases) {
    const config = { ...values, engine: c.engine, ...c.setting };
    c.where = { engine: c.engine, workers: config.workers, ...c.setting };
    c.map = await prepareMap(config, ctx, (phase) => ctx.progress(phase, done, total, c.where), options);
  }
  for (const [phase, run, runs] of rounds(values)) {
    for (const c of cases) {
      ctx.progress(phase, done, total, { ...c.where, run, runs });
      await c.map.once(phase === 'warmup');
      done++;
    }
  }
  const [first, ...rest] = cases.map((c) => c.map.record());
  return { baseline: first, engines: swept.map((engine, e) => ({ engine, points: points.map((point, p) => ({ ...point, ...rest[e * points.length + p] })) })) };
}

/**
 * The raw measurements behind the last `sweepChunks` report (with the settings they belong to) and the last payload report: a call with `keep` adds
 * its own to them, so a lesson can measure one more point without measuring the rest again. A restarted driver (after Cancel) starts empty.
 */
const kept = { chunks: null, payload: [] };

/**
 * Ships a buffer of each of `plan`'s sizes to pool worker 0 by copy, transfer and shared memory, `repetitions` times each: the payload report on
 * them, with `keep` also on the sizes of the last report that were not shipped again.
 */
async function shipPayloads(ctx, plan, repetitions, keep) {
  await ctx.pool.grow(1);
  const part = progressBar(ctx, plan.length * 3 * repetitions);
  const sizes = [];
  for (const bytes of plan) {
    const modes = [];
    for (const mode of ['copy', 'transfer', 'shared']) {
      const say = part({ mode, bytes }, repetitions);
      if (mode === 'shared' && self.crossOriginIsolated !== true) {
        modes.push({ mode, available: false, reason: 'shared memory needs a cross-origin isolated page' });
        continue;
      }
      let buffer = mode === 'shared' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
      new Uint8Array(buffer).fill(1);
      const runs = await repeat({ repetitions }, say, async () => {
        const sent = wallClock();
        const reply = await ctx.pool.request(0, { type: 'payload', buffer, giveBack: mode === 'transfer' }, mode === 'transfer' ? [buffer] : []);
        if (reply.sum !== (bytes | 0)) throw new Error(`the worker saw ${reply.sum} instead of ${bytes} bytes set`);
        if (mode === 'transfer') buffer = reply.buffer;
        return { ship: reply.received_at - sent, compute: reply.computed_at - reply.received_at };
      });
      modes.push({ mode, available: true, reason: '', ship: runs.map((r) => r.ship), compute: runs.map((r) => r.compute) });
    }
    sizes.push({ bytes, modes });
  }
  const before = keep ? kept.payload.filter((s) => !plan.includes(s.bytes)) : [];
  kept.payload = [...before, ...sizes];
  // What the page's timer can tell apart from zero, as the report reads it.
  const resolution_ms = self.crossOriginIsolated === true ? 0.005 : 0.1;
  return ctx.wasm.report('sweepPayload', { resolution_ms, sizes: kept.payload });
}

export const experiments = {
  /** The public `run`: one engine's warm-up and timed maps, every run checked. */
  async map(config, ctx) {
    const say = (phase, run, runs) => ctx.progress(phase, run, runs, phase === 'reference' ? {} : { engine: config.engine });
    const { engine, ...measured } = await measureMap(config, ctx, say);
    const summary = ctx.wasm.summarize(Float64Array.from(measured.runs.filter((r) => !r.warmup).map((r) => r.ms)));
    return { config, ...measured, summary, verified: true };
  },

  /**
   * The same map on several engines, sequential first as the baseline (lessons 1 and 7). With `cold`, the process pool is restarted just before its
   * engine runs, so its start-up and its first, cold run are measured.
   */
  async compare(values, ctx) {
    // A pool started here (fresh with `cold`, or grown to size) is reported with each worker's own load time.
    let pool = null;
    const started = (start) => (pool = { startup_ms: start.startup_ms, load_ms: start.workers.map((w) => w.load_ms) });
    const { baseline, engines } = await sweep(values, ctx, { workers: 1 }, [{}], { restart: values.cold, started });
    const { workers, tasks, n } = values;
    return ctx.wasm.report('compare', { cores: ctx.cores, workers, tasks, n, engines: [baseline, ...engines.map((e) => e.points[0])], pool });
  },

  /** The sequential baseline once, then every other engine with k = 1 … `workers` (lesson 2). */
  async sweepWorkers(values, ctx) {
    const ks = Array.from({ length: values.workers }, (_, i) => ({ workers: i + 1 }));
    const { baseline, engines } = await sweep(values, ctx, { workers: 1 }, ks);
    const { workers: largest, tasks, n } = values;
    return ctx.wasm.report('sweepWorkers', { cores: ctx.cores, largest, tasks, n, baseline, engines });
  },

  /**
   * The sequential loop once (one chunk), then each other engine at every chunk size of the plan Rust computes (lesson 3); with `sweep` off, at the
   * chosen size only.
   */
  async sweepChunks(values, ctx) {
    const { workers, tasks, chunksize: chosen, workload, n, repetitions, warmup } = values;
    const sizes = values.sweep ? ctx.wasm.chunkSizes(tasks, workers, chosen) : [chosen];
    const points = sizes.map((chunksize) => ({ chunksize }));
    const { baseline: sequential, engines } = await sweep(values, ctx, { workers: 1, chunksize: tasks }, points);
    const key = JSON.stringify([values.engines, workload, n, tasks, workers, repetitions, warmup]);
    if (values.keep && kept.chunks?.key === key) {
      for (const e of engines) {
        const before = kept.chunks.engines.find((k) => k.engine === e.engine)?.points ?? [];
        e.points = [...before.filter((p) => !sizes.includes(p.chunksize)), ...e.points];
      }
    }
    kept.chunks = { key, engines };
    return ctx.wasm.report('sweepChunks', { workers, tasks, chosen, workload, n, repetitions, warmup, sequential: sequential.runs, checksum: sequential.checksum, engines });
  },

  /** One buffer per size of the plan up to `bytes`, shipped three ways (lesson 4). */
  sweepPayload: ({ bytes, repetitions, keep }, ctx) => shipPayloads(ctx, ctx.wasm.payloadSizes(bytes), repetitions, keep),

  /** One payload size, shipped three ways: the `sweepPayload` report on it. */
  payload: ({ bytes, repetitions, keep }, ctx) => shipPayloads(ctx, [bytes], repetitions, keep),

  /** Share results, not state: three ways for threads to count into one total. */
  async count({ workers, increments, repetitions }, ctx) {
    const part = progressBar(ctx, 3 * repetitions);
    const strategies = [];
    for (const strategy of ['racy_increment', 'atomic_increment', 'return_and_combine']) {
      const runs = await repeat({ repetitions }, part({ strategy }, repetitions), () => ctx.guard(() => ctx.wasm.countShared({ strategy, workers, increments })));
      strategies.push({ strategy, runs });
    }
    return ctx.wasm.report('count', { workers, increments, strategies });
  },

  /** Share results, not state, in the process pool: each worker appends to its own copy. */
  async sharedList({ workers }, ctx) {
    await ctx.pool.grow(workers);
    const list = [];
    const appended = 1000;
    const replies = await Promise.all(Array.from({ length: workers }, (_, w) => ctx.pool.request(w, { type: 'append', list, items: appended })));
    return ctx.wasm.report('sharedList', { parent_length: list.length, appended_per_worker: appended, worker_lengths: replies.map((r) => r.length) });
  },

  /**
   * Amdahl's law measured: a serial part, then a parallel part, for 1..workers, each beside the plain loop over the same job. In rounds, like
   * `sweep`, and with the pair's order swapped every round, so neither the loop nor the job is always the one to run on a machine that has just
   * warmed up.
   */
  async phased({ workers: most, serial_fraction, total, gustafson, repetitions, warmup }, ctx) {
    const { wasm } = ctx;
    const steps = most * (warmup + repetitions);
    const points = [];
    for (let k = 1; k <= most; k++) {
      const size = gustafson ? wasm.scaledTotal(total, serial_fraction, k) : total;
      const loop = { engine: 'sequential', workload: 'sum_of_squares', n: size, tasks: 1, workers: 1, chunksize: 1 };
      const expected = reference(ctx, loop, (phase) => ctx.progress(phase, 0, steps, { workers: k }));
      points.push({ workers: k, total: size, loop, expected, sequential: [], parallel: [], last: null });
    }
    let [done, round] = [0, 0];
    for (const [phase, run, runs] of rounds({ warmup, repetitions })) {
      const swap = round++ % 2 === 1;
      for (const point of points) {
        ctx.progress(phase, done++, steps, { workers: point.workers, run, runs });
        const job = () => (point.last = ctx.guard(() => wasm.runPhased({ total: point.total, serial_fraction, workers: point.workers })));
        const plain = () => ctx.guard(() => wasm.runEngine(point.loop));
        const first = swap ? job() : plain();
        const [seq, par] = swap ? [plain(), first] : [first, job()];
        if (par.checksum !== point.expected) throw mismatch('threads', par.checksum, point.expected);
        if (phase === 'warmup') continue;
        point.sequential.push(seq.ms);
        point.parallel.push(par.ms);
      }
    }
    const raw = points.map(({ loop, expected, last, ...point }) => ({ ...point, serial_ms: last.serial_ms, parallel_ms: last.parallel_ms }));
    // The last run's chunk records whole (the report keeps only their times), for the tooltips.
    const timeline = points.at(-1).last.chunks;
    return { ...wasm.report('phased', { serial_fraction, gustafson, cores: ctx.cores, points: raw, timeline }), timeline };
  },

  /** What Amdahl's and Gustafson's laws predict for k = 1 … `up_to`, as written and on this device's cores, before measuring (lesson 6). */
  predict: (values, ctx) => ctx.wasm.report('predict', { ...values, cores: ctx.cores }),

  /** Everything crossing to a worker is copied: try to send a function. */
  async sendFunction(_values, ctx) {
    await ctx.pool.grow(1);
    try {
      ctx.pool.post(0, { type: 'chunk', workload: (x) => x * x, inputs: [1n] });
    } catch (error) {
      return { sent: false, name: error.name, message: error.message };
    }
    return { sent: true, name: null, message: 'the function was sent (this browser cloned it)' };
  },

  /** Start-up and the entry point: a fresh pool, each worker loading its own module. */
  async restartPool({ workers }, ctx) {
    ctx.progress('startup', 0, 1);
    return ctx.wasm.report('restartPool', await ctx.pool.restart(workers));
  },

  /**
   * Start-up paid back (lesson 8): for each run length `n`, the sequential map, a fresh pool (restarted and timed), its first run, then the warm
   * pool's runs. The first restart is reported worker by worker as `pool`.
   */
  async amortisation({ workers, repetitions, tasks, sizes }, ctx) {
    // Each size is its sequential runs, the pool's start with its first run, and the warm runs.
    const part = progressBar(ctx, sizes.length * (2 * repetitions + 2));
    const rows = [];
    let pool = null;
    for (const n of sizes) {
      const at = (step, steps) => part({ n, step }, steps);
      const map = { workload: 'sum_of_squares', n, tasks, chunksize: 1, warmup: 0, repetitions };
      const sequential = await measureMap({ ...map, engine: 'sequential', workers: 1 }, ctx, at('sequential', repetitions));
      const onPool = { ...map, engine: 'processes', workers };
      const first = await measureMap({ ...onPool, repetitions: 1 }, ctx, at('first', 2), { restart: true, started: (start) => (pool ??= start) });
      const warm = await measureMap(onPool, ctx, at('warm', repetitions));
      const verified = first.checksum === sequential.checksum && warm.checksum === sequential.checksum;
      const runs = { sequential: sequential.runs, first: first.runs, warm: warm.runs };
      rows.push({ n, tasks, ...runs, startup_ms: first.startup_ms, verified, checksum: warm.checksum, timeline: first.timeline });
    }
    return ctx.wasm.report('amortisation', { workers, sizes: rows, pool });
  },

  /** Fits: Amdahl's serial fraction, or a straight line (per-chunk overhead). */
  fit({ model, xs, ys }, ctx) {
    const [x, y] = [xs, ys].map((v) => Float64Array.from(v));
    return model === 'amdahl' ? { serial_fraction: ctx.wasm.fitSerialFraction(x, y) ?? null } : { line: ctx.wasm.fitLine(x, y) };
  },

  /**
   * What `sweepChunks` would do with these settings, without measuring: the sizes it measures, the chunk sizes a learner can choose from, and the
   * chosen size's chunks.
   */
  chunkPlan: ({ tasks, workers, chunksize }, ctx) => ctx.wasm.chunkPlan(tasks, workers, chunksize),

  /** The payload sizes `sweepPayload` would measure up to `bytes`, without measuring. */
  payloadPlan: ({ bytes }, ctx) => ({ sizes: ctx.wasm.payloadSizes(bytes) }),
};
