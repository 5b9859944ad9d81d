// The experiments the driver can run, one entry per kind of run the lessons need.
//
// Each entry says whether it needs the threaded build and has `run(values, context)`.
// Its settings are checked in Rust (`checkSettings`, by the entry's name) before it
// starts, so `values` are complete and in range. An entry measures and collects raw
// numbers; what they mean (summaries, speedups, fits, verdicts) is computed in Rust by
// `wasm.report(name, raw)`, whose answer the entry returns. The context carries the
// wasm module, the process pool, the reference checksums, `cores`, `progress` and
// `guard`. Not for: reading numbers or writing sentences.
//
// Times: the sequential, GIL and threads engines are timed inside Rust, around the map
// alone (`runEngine` answers `ms`); the process pool is timed here around `pool.map`,
// since its chunks travel as messages between workers.

function mismatch(engine, actual, expected) {
  return new Error(`the ${engine} engine's results differ from the sequential results (checksum ${actual}, expected ${expected}); no timing is shown for a wrong answer`);
}

/**
 * The sequential checksum of `workload` over `tasks` inputs from `n`, computed once per
 * driver: the reference every engine's results must match.
 */
function reference(ctx, { workload, n, tasks }, say = () => ctx.progress('reference', 0, 1)) {
  const key = `${workload}:${n}:${tasks}`;
  if (!ctx.references.has(key)) {
    say('reference');
    const answer = ctx.guard(() => ctx.wasm.runEngine({ engine: 'sequential', workload, n, tasks, workers: 1, chunksize: tasks }));
    ctx.references.set(key, answer.checksum);
  }
  return ctx.references.get(key);
}

/** One `map` on `config.engine`: `{ checksum, ms, chunks }`, `ms` for the map alone. */
async function mapOnce(config, ctx) {
  const { wasm } = ctx;
  const { engine, workload, n, tasks, workers, chunksize } = config;
  if (engine === 'processes') {
    const inputs = wasm.taskInputs(n, tasks);
    const plan = wasm.planChunks(tasks, chunksize);
    const started = performance.now();
    const { results, chunks } = await ctx.pool.map({ workload, workers, inputs, plan });
    const ms = performance.now() - started;
    return { checksum: wasm.checksum(results), ms, chunks };
  }
  if (engine !== 'sequential' && !wasm.hasThreads()) {
    throw new Error(`the ${engine} engine needs a cross-origin isolated page (SharedArrayBuffer)`);
  }
  return ctx.guard(() => wasm.runEngine({ engine, workload, n, tasks, workers, chunksize }));
}

/** Grows the process pool to `workers`, calling `starting()` first if that starts any. */
function growPool(ctx) {
  return (workers, starting) => {
    if (ctx.pool.size < workers) starting();
    return ctx.pool.grow(workers);
  };
}

/**
 * `warmup` untimed then `repetitions` timed maps of `config`, each checked against the
 * sequential reference. `say(phase, run, runs)` reports each step (`startup` when the
 * process pool starts, `reference`, `warmup`, `timed`); `startPool(workers, starting)`
 * gets the pool ready, calls `starting()` if it starts workers, and answers what that
 * cost (see `ProcessPool.grow`). Answers `{ engine, runs: [{ ms, warmup }], checksum,
 * expected, timeline, startup_ms }`: the raw record of one engine at one setting.
 */
async function measureMap(config, ctx, say, startPool = growPool(ctx)) {
  let startup_ms = null;
  if (config.engine === 'processes') {
    const start = await startPool(config.workers, () => say('startup', 0, 1));
    startup_ms = start?.startup_ms ?? null;
  }
  const expected = reference(ctx, config, () => say('reference', 0, 1));
  const runs = [];
  let last = null;
  for (let i = 0; i < config.warmup + config.repetitions; i++) {
    const warmup = i < config.warmup;
    if (warmup) say('warmup', i, config.warmup);
    else say('timed', i - config.warmup, config.repetitions);
    const value = await mapOnce(config, ctx);
    if (value.checksum !== expected) throw mismatch(config.engine, value.checksum, expected);
    runs.push({ ms: value.ms, warmup });
    last = value;
  }
  return { engine: config.engine, runs, checksum: last.checksum, expected, timeline: last.chunks, startup_ms };
}

/**
 * One progress bar over a whole sweep of `points` maps of `perPoint` runs each: every
 * report says `{ phase, done, total }` over all of them (runs), plus where the sweep is
 * (`engine`, `workers`, `chunksize`, …) and the run within its phase (`run`, `runs`).
 */
function sweepProgress(ctx, points, perPoint) {
  let finished = 0;
  const total = points * perPoint;
  return {
    at(where) {
      const base = finished;
      finished += perPoint;
      return (phase, run, runs) => {
        const done = base + (phase === 'timed' ? perPoint - runs + run : phase === 'warmup' ? run : 0);
        ctx.progress(phase, Math.min(done, total), total, { ...where, run, runs });
      };
    },
  };
}

/** The settings of one `map` inside a sweep, from the sweep's checked values. */
function mapConfig(values, engine, overrides = {}) {
  const { workload, n, tasks, workers, chunksize, repetitions, warmup } = values;
  return { engine, workload, n, tasks, workers, chunksize, repetitions, warmup, ...overrides };
}

/**
 * The raw measurements behind the last `sweepChunks` report (with the settings they
 * belong to) and the last payload report: a call with `keep` adds its own to them, so a
 * lesson can measure one more point without measuring the rest again. A restarted
 * driver (after Cancel) starts empty.
 */
const kept = { chunks: null, payload: null };

/** What the page's timer can tell apart from zero, as the payload report reads it. */
function timerResolutionMs() {
  return self.crossOriginIsolated === true ? 0.005 : 0.1;
}

/** Ships a `bytes`-long buffer to pool worker 0 by copy, transfer and shared memory. */
async function shipPayload(ctx, { bytes, repetitions }, say) {
  await ctx.pool.ensure(1);
  const wallClock = () => performance.timeOrigin + performance.now();
  const modes = [];
  const canShare = self.crossOriginIsolated === true;
  for (const [index, mode] of ['copy', 'transfer', 'shared'].entries()) {
    if (mode === 'shared' && !canShare) {
      modes.push({ mode, available: false, reason: 'shared memory needs a cross-origin isolated page' });
      continue;
    }
    const ship = [];
    const compute = [];
    let buffer = mode === 'shared' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    new Uint8Array(buffer).fill(1);
    for (let i = 0; i < repetitions; i++) {
      say(mode, index * repetitions + i, 3 * repetitions);
      const transfer = mode === 'transfer' ? [buffer] : [];
      const sent = wallClock();
      const reply = await ctx.pool.request(0, { type: 'payload', buffer, giveBack: mode === 'transfer' }, transfer);
      if (reply.sum !== (bytes | 0)) throw new Error(`the worker saw ${reply.sum} instead of ${bytes} bytes set`);
      if (mode === 'transfer') buffer = reply.buffer;
      ship.push(reply.received_at - sent);
      compute.push(reply.computed_at - reply.received_at);
    }
    modes.push({ mode, available: true, reason: '', ship, compute });
  }
  return { bytes, modes };
}

/**
 * The payload report on `sizes` shipped just now; with `keep`, also on the sizes of the
 * last report that were not shipped again.
 */
function payloadReport(ctx, sizes, keep) {
  const before = keep ? (kept.payload ?? []).filter((s) => !sizes.some((t) => t.bytes === s.bytes)) : [];
  kept.payload = [...before, ...sizes];
  return ctx.wasm.report('sweepPayload', { resolution_ms: timerResolutionMs(), sizes: kept.payload });
}

export const experiments = {
  /** The public `run`: one engine's warm-up and timed maps, every run checked. */
  map: {
    async run(config, ctx) {
      const say = (phase, run, runs) => ctx.progress(phase, run, runs, phase === 'reference' ? {} : { engine: config.engine });
      const measured = await measureMap(config, ctx, say);
      const summary = ctx.wasm.summarize(Float64Array.from(measured.runs.filter((r) => !r.warmup).map((r) => r.ms)));
      return {
        config,
        runs: measured.runs,
        summary,
        checksum: measured.checksum,
        expected: measured.expected,
        verified: true,
        timeline: measured.timeline,
        startup_ms: measured.startup_ms,
      };
    },
  },

  /**
   * The same map on several engines, sequential first as the baseline (lessons 1 and
   * 7). With `cold`, the process pool is restarted just before its engine runs, so its
   * start-up and its first, cold run are measured.
   */
  compare: {
    async run(values, ctx) {
      const progress = sweepProgress(ctx, values.engines.length, values.warmup + values.repetitions);
      const engines = [];
      let pool = null;
      // A pool started here (fresh with `cold`, or grown to size) is reported with each
      // worker's own load time.
      const grow = growPool(ctx);
      const startPool = async (workers, starting) => {
        if (values.cold) starting();
        const start = values.cold ? await ctx.pool.restart(workers) : await grow(workers, starting);
        if (start) pool = { startup_ms: start.startup_ms, load_ms: start.workers.map((w) => w.load_ms) };
        return start;
      };
      for (const engine of values.engines) {
        const config = mapConfig(values, engine, engine === 'sequential' ? { workers: 1 } : {});
        engines.push(await measureMap(config, ctx, progress.at({ engine, workers: config.workers }), startPool));
      }
      const { workers, tasks, n } = values;
      return ctx.wasm.report('compare', { cores: ctx.cores, workers, tasks, n, engines, pool });
    },
  },

  /** The sequential baseline once, then every other engine with k = 1 … `workers` (lesson 2). */
  sweepWorkers: {
    async run(values, ctx) {
      const [, ...swept] = values.engines;
      const progress = sweepProgress(ctx, 1 + swept.length * values.workers, values.warmup + values.repetitions);
      const baseline = await measureMap(mapConfig(values, 'sequential', { workers: 1 }), ctx, progress.at({ engine: 'sequential', workers: 1 }));
      const engines = [];
      for (const engine of swept) {
        const points = [];
        for (let k = 1; k <= values.workers; k++) {
          const measured = await measureMap(mapConfig(values, engine, { workers: k }), ctx, progress.at({ engine, workers: k }));
          points.push({ workers: k, ...measured });
        }
        engines.push({ engine, points });
      }
      const { workers: largest, tasks, n } = values;
      return ctx.wasm.report('sweepWorkers', { cores: ctx.cores, largest, tasks, n, baseline, engines });
    },
  },

  /**
   * The sequential loop once (one chunk), then each other engine at every chunk size of
   * the plan Rust computes (lesson 3); with `sweep` off, at the chosen size only.
   */
  sweepChunks: {
    async run(values, ctx) {
      const [, ...swept] = values.engines;
      const sizes = values.sweep ? ctx.wasm.chunkSizes(values.tasks, values.workers, values.chunksize) : [values.chunksize];
      const progress = sweepProgress(ctx, 1 + swept.length * sizes.length, values.warmup + values.repetitions);
      const sequential = await measureMap(
        mapConfig(values, 'sequential', { workers: 1, chunksize: values.tasks }),
        ctx,
        progress.at({ engine: 'sequential', chunksize: values.tasks }),
      );
      const engines = [];
      for (const engine of swept) {
        const points = [];
        for (const chunksize of sizes) {
          const measured = await measureMap(mapConfig(values, engine, { chunksize }), ctx, progress.at({ engine, chunksize, workers: values.workers }));
          points.push({ chunksize, ...measured });
        }
        engines.push({ engine, points });
      }
      const { workers, tasks, chunksize: chosen, workload, n, repetitions, warmup } = values;
      const key = JSON.stringify([values.engines, workload, n, tasks, workers, repetitions, warmup]);
      if (values.keep && kept.chunks?.key === key) {
        for (const e of engines) {
          const before = kept.chunks.engines.find((k) => k.engine === e.engine)?.points ?? [];
          e.points = [...before.filter((p) => !e.points.some((q) => q.chunksize === p.chunksize)), ...e.points];
        }
      }
      kept.chunks = { key, engines };
      return ctx.wasm.report('sweepChunks', { workers, tasks, chosen, workload, n, repetitions, warmup, sequential: sequential.runs, checksum: sequential.checksum, engines });
    },
  },

  /** One buffer per size of the plan up to `bytes`, shipped three ways (lesson 4). */
  sweepPayload: {
    async run({ bytes, repetitions, keep }, ctx) {
      const plan = ctx.wasm.payloadSizes(bytes);
      const total = plan.length * 3 * repetitions;
      const sizes = [];
      for (const [index, size] of plan.entries()) {
        const say = (mode, done) => ctx.progress('timed', index * 3 * repetitions + done, total, { mode, bytes: size, run: done % repetitions, runs: repetitions });
        sizes.push(await shipPayload(ctx, { bytes: size, repetitions }, say));
      }
      return payloadReport(ctx, sizes, keep);
    },
  },

  /** One payload size, shipped three ways: the `sweepPayload` report on it. */
  payload: {
    async run({ bytes, repetitions, keep }, ctx) {
      const say = (mode, done, total) => ctx.progress('timed', done, total, { mode, bytes, run: done % repetitions, runs: repetitions });
      return payloadReport(ctx, [await shipPayload(ctx, { bytes, repetitions }, say)], keep);
    },
  },

  /** Share results, not state: three ways for threads to count into one total. */
  count: {
    threaded: true,
    async run({ workers, increments, repetitions }, ctx) {
      const strategies = [];
      for (const strategy of ['racy_increment', 'atomic_increment', 'return_and_combine']) {
        const runs = [];
        for (let i = 0; i < repetitions; i++) {
          ctx.progress('timed', strategies.length * repetitions + i, 3 * repetitions, { strategy });
          runs.push(ctx.guard(() => ctx.wasm.countShared({ strategy, workers, increments })));
        }
        strategies.push({ strategy, runs });
      }
      return ctx.wasm.report('count', { workers, increments, strategies });
    },
  },

  /** Share results, not state, in the process pool: each worker appends to its own copy. */
  sharedList: {
    async run({ workers }, ctx) {
      await ctx.pool.ensure(workers);
      const list = [];
      const appended = 1000;
      const replies = await Promise.all(Array.from({ length: workers }, (_, w) => ctx.pool.request(w, { type: 'append', list, items: appended })));
      return ctx.wasm.report('sharedList', { parent_length: list.length, appended_per_worker: appended, worker_lengths: replies.map((r) => r.length) });
    },
  },

  /** Amdahl's law measured: a serial part, then a parallel part, for 1..workers. */
  phased: {
    threaded: true,
    async run({ workers: most, serial_fraction, total, gustafson, repetitions, warmup }, ctx) {
      const { wasm } = ctx;
      const points = [];
      let timeline = [];
      const perK = warmup + repetitions;
      for (let k = 1; k <= most; k++) {
        // One progress bar over the whole sweep, with where it is: `workers`, and the run within its phase.
        const say = (phase, run, runs) =>
          ctx.progress(phase, (k - 1) * perK + (phase === 'timed' ? warmup + run : phase === 'warmup' ? run : 0), most * perK, { workers: k, run, runs });
        const size = gustafson ? wasm.scaledTotal(total, serial_fraction, k) : total;
        const expected = reference(ctx, { workload: 'sum_of_squares', n: size, tasks: 1 }, () => say('reference', 0, 1));
        const sequential = [];
        const parallel = [];
        let last = null;
        for (let i = 0; i < perK; i++) {
          if (i < warmup) say('warmup', i, warmup);
          else say('timed', i - warmup, repetitions);
          const seq = ctx.guard(() => wasm.runEngine({ engine: 'sequential', workload: 'sum_of_squares', n: size, tasks: 1, workers: 1, chunksize: 1 }));
          const par = ctx.guard(() => wasm.runPhased({ total: size, serial_fraction, workers: k }));
          if (par.checksum !== expected) throw mismatch('threads', par.checksum, expected);
          if (i >= warmup) {
            sequential.push(seq.ms);
            parallel.push(par.ms);
          }
          last = par;
        }
        points.push({ workers: k, total: size, sequential, parallel, serial_ms: last.serial_ms, parallel_ms: last.parallel_ms });
        timeline = last.chunks;
      }
      const report = wasm.report('phased', { serial_fraction, gustafson, cores: ctx.cores, points, timeline });
      // The chunk records whole (the report keeps only their times), for the tooltips.
      return { ...report, timeline };
    },
  },

  /** What Amdahl's and Gustafson's laws predict for k = 1 … `up_to`, before measuring (lesson 6). */
  predict: {
    async run(values, ctx) {
      return ctx.wasm.report('predict', values);
    },
  },

  /** Everything crossing to a worker is copied: try to send a function. */
  sendFunction: {
    async run(_values, ctx) {
      await ctx.pool.ensure(1);
      const task = (x) => x * x;
      try {
        ctx.pool.post(0, { type: 'chunk', workload: task, inputs: [1n] });
      } catch (error) {
        return { sent: false, name: error.name, message: error.message };
      }
      return { sent: true, name: null, message: 'the function was sent (this browser cloned it)' };
    },
  },

  /** Start-up and the entry point: a fresh pool, each worker loading its own module. */
  restartPool: {
    async run({ workers }, ctx) {
      ctx.progress('startup', 0, 1);
      const restart = await ctx.pool.restart(workers);
      return ctx.wasm.report('restartPool', restart);
    },
  },

  /**
   * Start-up paid back (lesson 8): for each run length `n`, the sequential map, a fresh
   * pool (restarted and timed), its first run, then the warm pool's runs. The first
   * restart is reported worker by worker as `pool`.
   */
  amortisation: {
    async run({ workers, repetitions, tasks, sizes }, ctx) {
      const perSize = 2 * repetitions + 2;
      const total = sizes.length * perSize;
      const rows = [];
      let pool = null;
      for (const [index, n] of sizes.entries()) {
        const base = index * perSize;
        // Each size is its sequential runs, the pool's start, its first run and the warm
        // runs: `from` is where a part starts among them, `timedFrom` where its runs do.
        const at =
          (from, label, timedFrom = from) =>
          (phase, run, runs) =>
            ctx.progress(phase, base + (phase === 'timed' ? timedFrom + run : from), total, { n, step: label, run, runs });
        const map = { workload: 'sum_of_squares', n, tasks, chunksize: 1, warmup: 0 };
        const sequential = await measureMap({ ...map, engine: 'sequential', workers: 1, repetitions }, ctx, at(0, 'sequential'));
        let restart = null;
        const fresh = async (size, starting) => {
          starting();
          restart = await ctx.pool.restart(size);
          pool ??= restart;
          return restart;
        };
        const onPool = { ...map, engine: 'processes', workers };
        const first = await measureMap({ ...onPool, repetitions: 1 }, ctx, at(repetitions, 'first', repetitions + 1), fresh);
        const warm = await measureMap({ ...onPool, repetitions }, ctx, at(repetitions + 2, 'warm'));
        rows.push({
          n,
          tasks,
          sequential: sequential.runs,
          startup_ms: restart.startup_ms,
          first: first.runs,
          warm: warm.runs,
          verified: first.checksum === sequential.checksum && warm.checksum === sequential.checksum,
          checksum: warm.checksum,
          timeline: first.timeline,
        });
      }
      return ctx.wasm.report('amortisation', { workers, sizes: rows, pool });
    },
  },

  /** Fits: Amdahl's serial fraction, or a straight line (per-chunk overhead). */
  fit: {
    async run({ model, xs, ys }, ctx) {
      const x = Float64Array.from(xs);
      const y = Float64Array.from(ys);
      if (model === 'amdahl') return { serial_fraction: ctx.wasm.fitSerialFraction(x, y) ?? null };
      return { line: ctx.wasm.fitLine(x, y) };
    },
  },

  /**
   * What `sweepChunks` would do with these settings, without measuring: the sizes it
   * measures, the chunk sizes a learner can choose from, and the chosen size's chunks.
   */
  chunkPlan: {
    async run({ tasks, workers, chunksize }, ctx) {
      return ctx.wasm.chunkPlan(tasks, workers, chunksize);
    },
  },

  /** The payload sizes `sweepPayload` would measure up to `bytes`, without measuring. */
  payloadPlan: {
    async run({ bytes }, ctx) {
      return { sizes: ctx.wasm.payloadSizes(bytes) };
    },
  },
};
