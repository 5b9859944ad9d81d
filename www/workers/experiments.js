// The experiments the driver can run, one entry per kind of run the lessons need.
// Each entry names the settings it accepts (checked in Rust before it starts), whether it
// needs the threaded build, and `run(values, context)`. The context carries the wasm
// module, the process pool, the reference checksums, `progress` and `guard`.

/** Time a synchronous or asynchronous step, in ms. */
async function timed(step) {
  const started = performance.now();
  const value = await step();
  return { value, ms: performance.now() - started };
}

function summarize(wasm, samples) {
  return JSON.parse(wasm.summarize(Float64Array.from(samples)));
}

function mismatch(engine, actual, expected) {
  return new Error(
    `the ${engine} engine's results differ from the sequential results (checksum ${actual}, expected ${expected}); no timing is shown for a wrong answer`,
  );
}

/** The sequential checksum of `workload` over `tasks` inputs from `n`, computed once. */
function reference(ctx, workload, n, tasks) {
  const key = `${workload}:${n}:${tasks}`;
  if (!ctx.references.has(key)) {
    ctx.progress('reference', 0, 1);
    const answer = ctx.guard(() => JSON.parse(ctx.wasm.runEngine('sequential', workload, BigInt(n), tasks, 1, tasks)));
    ctx.references.set(key, answer.checksum);
  }
  return ctx.references.get(key);
}

/** One `map` on the configured engine: checksum and chunk records. */
async function mapOnce(config, ctx) {
  const { wasm } = ctx;
  if (config.engine === 'processes') {
    const { results, chunks } = await ctx.pool.map({
      workload: config.workload,
      workers: config.workers,
      inputs: wasm.taskInputs(BigInt(config.n), config.tasks),
      plan: wasm.planChunks(config.tasks, config.chunksize),
    });
    return { checksum: wasm.checksum(results), chunks };
  }
  if (config.engine !== 'sequential' && !wasm.hasThreads()) {
    throw new Error(`the ${config.engine} engine needs a cross-origin isolated page (SharedArrayBuffer)`);
  }
  return ctx.guard(() =>
    JSON.parse(wasm.runEngine(config.engine, config.workload, BigInt(config.n), config.tasks, config.workers, config.chunksize)),
  );
}

export const experiments = {
  /** The lessons' `map`: warm-up, timed repetitions, every run checked against sequential. */
  map: {
    settings: 'map',
    async run(config, ctx) {
      let startup_ms = null;
      if (config.engine === 'processes') {
        ctx.progress('startup', 0, 1, { engine: config.engine });
        startup_ms = await ctx.pool.ensure(config.workers);
      }
      const expected = reference(ctx, config.workload, config.n, config.tasks);
      const total = config.warmup + config.repetitions;
      const runs = [];
      let last = null;
      for (let i = 0; i < total; i++) {
        const warmup = i < config.warmup;
        const [done, of] = warmup ? [i, config.warmup] : [i - config.warmup, config.repetitions];
        ctx.progress(warmup ? 'warmup' : 'timed', done, of, { engine: config.engine });
        const { value, ms } = await timed(() => mapOnce(config, ctx));
        if (value.checksum !== expected) throw mismatch(config.engine, value.checksum, expected);
        runs.push({ ms, warmup });
        last = value;
      }
      return {
        config,
        runs,
        summary: summarize(ctx.wasm, runs.filter((r) => !r.warmup).map((r) => r.ms)),
        checksum: last.checksum,
        expected,
        verified: true,
        timeline: last.chunks,
        startup_ms,
      };
    },
  },

  /** Share results, not state: three ways for threads to count into one total. */
  count: {
    settings: 'count',
    threaded: true,
    async run({ workers, increments, repetitions }, ctx) {
      const strategies = [];
      for (const strategy of ['racy_increment', 'atomic_increment', 'return_and_combine']) {
        const runs = [];
        for (let i = 0; i < repetitions; i++) {
          ctx.progress('timed', strategies.length * repetitions + i, 3 * repetitions, { strategy });
          runs.push(ctx.guard(() => JSON.parse(ctx.wasm.countShared(strategy, workers, BigInt(increments)))));
        }
        strategies.push({ strategy, expected: runs[0].expected, runs, summary: summarize(ctx.wasm, runs.map((r) => r.ms)) });
      }
      return { workers, increments, strategies };
    },
  },

  /** Share results, not state, in the process pool: each worker appends to its own copy. */
  sharedList: {
    settings: 'pool',
    async run({ workers }, ctx) {
      await ctx.pool.ensure(workers);
      const list = [];
      const replies = await Promise.all(
        Array.from({ length: workers }, (_, w) => ctx.pool.request(w, { type: 'append', list, items: 1000 })),
      );
      return { parentLength: list.length, appendedPerWorker: 1000, workerLengths: replies.map((r) => r.length) };
    },
  },

  /** Amdahl's law measured: a serial part, then a parallel part, for 1..workers. */
  phased: {
    settings: 'phased',
    threaded: true,
    async run({ workers: most, serial_fraction, total, gustafson, repetitions, warmup }, ctx) {
      const { wasm } = ctx;
      const points = [];
      let timeline = [];
      for (let k = 1; k <= most; k++) {
        const size = gustafson ? Number(wasm.scaledTotal(BigInt(total), serial_fraction, k)) : total;
        const expected = reference(ctx, 'sum_of_squares', size, 1);
        const sequential = [];
        const parallel = [];
        let last = null;
        for (let i = 0; i < warmup + repetitions; i++) {
          ctx.progress(i < warmup ? 'warmup' : 'timed', (k - 1) * (warmup + repetitions) + i, most * (warmup + repetitions), { workers: k });
          const seq = await timed(() => ctx.guard(() => wasm.runEngine('sequential', 'sum_of_squares', BigInt(size), 1, 1, 1)));
          const par = await timed(() => ctx.guard(() => JSON.parse(wasm.runPhased(BigInt(size), serial_fraction, k))));
          if (par.value.checksum !== expected) throw mismatch('threads', par.value.checksum, expected);
          if (i >= warmup) {
            sequential.push(seq.ms);
            parallel.push(par.ms);
          }
          last = par.value;
        }
        const seqSummary = summarize(wasm, sequential);
        const parSummary = summarize(wasm, parallel);
        points.push({
          workers: k,
          total: size,
          sequential: seqSummary,
          parallel: parSummary,
          speedup: seqSummary.median / parSummary.median,
          speedup_min: seqSummary.min / parSummary.max,
          speedup_max: seqSummary.max / parSummary.min,
          predicted: gustafson ? serial_fraction + (1 - serial_fraction) * k : wasm.amdahlSpeedup(serial_fraction, k),
          serial_ms: last.serial_ms,
          parallel_ms: last.parallel_ms,
        });
        timeline = last.chunks;
      }
      const fitted = wasm.fitSerialFraction(
        Float64Array.from(points.map((p) => p.workers)),
        Float64Array.from(points.map((p) => p.speedup)),
      );
      return { serial_fraction, gustafson: Boolean(gustafson), ceiling: 1 / serial_fraction, points, fitted_serial_fraction: fitted ?? null, timeline, verified: true };
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

  /** Time to ship a payload to a worker by copy, by transfer, or not at all (shared). */
  payload: {
    settings: 'payload',
    async run({ bytes, repetitions }, ctx) {
      await ctx.pool.ensure(1);
      const wallClock = () => performance.timeOrigin + performance.now();
      const modes = [];
      const canShare = self.crossOriginIsolated === true;
      for (const mode of ['copy', 'transfer', 'shared']) {
        if (mode === 'shared' && !canShare) {
          modes.push({ mode, available: false, reason: 'shared memory needs a cross-origin isolated page' });
          continue;
        }
        const ship = [];
        const compute = [];
        let buffer = mode === 'shared' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
        new Uint8Array(buffer).fill(1);
        for (let i = 0; i < repetitions; i++) {
          ctx.progress('timed', modes.length * repetitions + i, 3 * repetitions, { mode });
          const transfer = mode === 'transfer' ? [buffer] : [];
          const sent = wallClock();
          const reply = await ctx.pool.request(0, { type: 'payload', buffer, giveBack: mode === 'transfer' }, transfer);
          if (reply.sum !== (bytes | 0)) throw new Error(`the worker saw ${reply.sum} instead of ${bytes} bytes set`);
          if (mode === 'transfer') buffer = reply.buffer;
          ship.push(reply.received_at - sent);
          compute.push(reply.computed_at - reply.received_at);
        }
        modes.push({ mode, available: true, ship: summarize(ctx.wasm, ship), compute: summarize(ctx.wasm, compute), ship_runs: ship });
      }
      return { bytes, modes };
    },
  },

  /** Start-up and the entry point: a fresh pool, each worker loading its own module. */
  restartPool: {
    settings: 'pool',
    async run({ workers }, ctx) {
      ctx.progress('startup', 0, 1);
      return ctx.pool.restart(workers);
    },
  },

  /** Fits: Amdahl's serial fraction, and a straight line (per-chunk overhead). */
  fit: {
    async run({ xs, ys, model }, ctx) {
      const x = Float64Array.from(xs ?? []);
      const y = Float64Array.from(ys ?? []);
      if (model === 'amdahl') return { serial_fraction: ctx.wasm.fitSerialFraction(x, y) ?? null };
      return { line: JSON.parse(ctx.wasm.fitLine(x, y)) };
    },
  },
};
