// Pure helpers for the "Speedup versus workers" and "Measure, don't assume" lessons:
// they summarise runs that the engines already measured and turn the numbers into
// sentences. No DOM and no globals, so a test can call them with made-up numbers.
import { formatFactor, formatMs, idealSpeedup, plural, taskBound } from './reading.js';

/** The median of `values` (numbers), or NaN for an empty list. */
export function median(values) {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * `{ count, median, min, max, mean }` of a result's `runs` (`[{ ms, warmup }]`): the
 * timed runs only, or every run when `includeWarmup`. Null when no run qualifies.
 */
export function summarizeRuns(runs, { includeWarmup = false } = {}) {
  const ms = runs.filter((r) => includeWarmup || !r.warmup).map((r) => r.ms).filter(Number.isFinite);
  if (!ms.length) return null;
  return {
    count: ms.length,
    median: median(ms),
    min: Math.min(...ms),
    max: Math.max(...ms),
    mean: ms.reduce((sum, v) => sum + v, 0) / ms.length,
  };
}

/**
 * The speedup of `summary` over `baseline` (both `{ median, min, max }` in ms): the
 * ratio of medians, and the lowest and highest ratio any pairing of runs could give.
 */
export function speedupBetween(baseline, summary) {
  const ratio = (a, b) => (a > 0 && b > 0 ? a / b : NaN);
  return {
    speedup: ratio(baseline.median, summary.median),
    low: ratio(baseline.min, summary.max),
    high: ratio(baseline.max, summary.min),
  };
}

/**
 * Amdahl's speedup for serial fraction `s` with `workers` workers on `cores` cores:
 * only min(workers, cores) of them can compute at once.
 */
export function amdahlOnCores(s, workers, cores) {
  const lanes = Math.max(1, Math.min(workers, cores));
  return 1 / (s + (1 - s) / lanes);
}

/** 0.0412 → "4.1%", 0.5 → "50%". */
export function formatPercent(fraction) {
  if (!Number.isFinite(fraction)) return '—';
  const pct = fraction * 100;
  if (pct !== 0 && Math.abs(pct) < 10) return `${pct.toFixed(1)}%`;
  return `${Math.round(pct)}%`;
}

/** 1.8604 → "1.86x". */
export function formatSpeedup(value) {
  return Number.isFinite(value) ? `${value.toFixed(2)}x` : '—';
}

/**
 * What a run's per-chunk records say: the workers seen, how long the run took
 * (`makespan`, ms from its start to the last chunk's end), the share of the workers'
 * time spent not computing (`idleFraction`), and for the process pool the time chunks
 * spent being copied to and from workers (`messagingMs`, summed over chunks).
 */
export function timelineStats(timeline) {
  if (!Array.isArray(timeline) || !timeline.length) return null;
  const workers = [...new Set(timeline.map((c) => c.worker))];
  const makespan = Math.max(...timeline.map((c) => (Number.isFinite(c.received_ms) ? c.received_ms : c.end_ms)));
  const busy = timeline.reduce((sum, c) => sum + Math.max(0, c.end_ms - c.start_ms), 0);
  const waiting = timeline.reduce((sum, c) => sum + (Number.isFinite(c.wait_ms) ? c.wait_ms : 0), 0);
  const messaged = timeline.filter((c) => Number.isFinite(c.sent_ms) && Number.isFinite(c.received_ms));
  const messagingMs = messaged.length
    ? messaged.reduce((sum, c) => sum + Math.max(0, c.start_ms - c.sent_ms) + Math.max(0, c.received_ms - c.end_ms), 0)
    : null;
  const capacity = workers.length * makespan;
  return {
    workers: workers.length,
    chunks: timeline.length,
    makespan,
    busyMs: busy,
    waitMs: waiting,
    idleFraction: capacity > 0 ? Math.max(0, 1 - busy / capacity) : NaN,
    messagingMs,
  };
}

// ---- "Speedup versus workers" ------------------------------------------------------

/**
 * One sentence about one engine's sweep. `points` are `[{ workers, speedup }]` in
 * worker order; `serialFraction` is Amdahl's fitted fraction or null.
 */
export function describeSweep({ engine, label, cores, points, serialFraction = null }) {
  const usable = points.filter((p) => Number.isFinite(p.speedup) && p.speedup > 0);
  if (!usable.length) return `${label}: no speedup could be computed.`;
  const most = Math.max(...usable.map((p) => p.workers));
  const fit = Number.isFinite(serialFraction) ? fitClause(serialFraction, engine) : '';

  if (engine === 'sequential') return `${label}: the 1x baseline every point is compared with.`;

  if (engine === 'gil') {
    const values = usable.map((p) => p.speedup);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const flat = hi <= 1.2;
    const range = lo.toFixed(2) === hi.toFixed(2) ? formatSpeedup(lo) : `between ${formatSpeedup(lo)} and ${formatSpeedup(hi)}`;
    return flat
      ? `${label}: ${range} for every worker count from 1 to ${most} — more threads add nothing, because only the one holding the lock computes${fit}.`
      : `${label}: ${range} from 1 to ${most} workers — more than one lock should allow, so the baseline runs were probably slowed by noise; add repetitions${fit}.`;
  }

  const best = usable.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  const lanes = idealSpeedup(best.workers, cores);
  const share = best.speedup / lanes;
  let verdict;
  if (best.speedup < 1.15) verdict = `never clearly faster than sequential (best ${formatSpeedup(best.speedup)} with ${plural(best.workers, 'worker')}); try a larger n, or run again when other programs leave the cores free`;
  else if (share > 1.15) verdict = `best ${formatSpeedup(best.speedup)} with ${plural(best.workers, 'worker')}, above the ${formatFactor(lanes)} ideal, so the timings are noisy; add repetitions`;
  else verdict = `best ${formatSpeedup(best.speedup)} with ${plural(best.workers, 'worker')}, ${Math.round(share * 100)}% of the ${formatFactor(lanes)} ideal on ${plural(cores, 'core')}`;
  return `${label}: ${verdict}${fit}.`;
}

function fitClause(s, engine) {
  if (s <= 0.0005) return "; Amdahl's curve fits with no serial part at all";
  if (s >= 0.995) {
    return engine === 'gil'
      ? "; Amdahl's curve fits only as 100% serial, which is what one lock makes of the work"
      : "; Amdahl's curve fits only as 100% serial: in this run nothing was gained by working in parallel";
  }
  return `; Amdahl's curve fits a serial fraction of ${formatPercent(s)}, which would cap it at ${formatFactor(Math.round((1 / s) * 10) / 10)} on any number of cores`;
}

/**
 * What happened past the core count for one parallel engine: a sentence, or null when
 * the sweep never went past `cores` or measured nothing there.
 */
export function describeOversubscription({ label, cores, points }) {
  const usable = points.filter((p) => Number.isFinite(p.speedup) && p.speedup > 0);
  const last = usable.reduce((a, b) => (b.workers > a.workers ? b : a), usable[0]);
  if (!last || last.workers <= cores) return null;
  const atCores = usable.find((p) => p.workers === cores) ?? usable.filter((p) => p.workers <= cores).at(-1);
  if (!atCores) return null;
  if (atCores.speedup < 1.15 && last.speedup < 1.15) {
    return `${label}: no clear speedup even within the core count (${formatSpeedup(atCores.speedup)} with ${plural(atCores.workers, 'worker')}), so this run cannot show what extra workers do; other programs may be busy on these cores — run again or raise n.`;
  }
  const change = last.speedup / atCores.speedup - 1;
  const signed = `${change >= 0 ? '+' : '−'}${formatPercent(Math.abs(change))}`;
  const head = `${label}: ${formatSpeedup(atCores.speedup)} with ${plural(atCores.workers, 'worker')}, ${formatSpeedup(last.speedup)} with ${last.workers} (${signed})`;
  if (change <= 0.1) {
    return `${head} — past ${plural(cores, 'core')}, the extra workers only take turns on the same cores, so they stop helping.`;
  }
  return `${head} — more than taking turns on ${plural(cores, 'core')} can give; the runs with ${plural(atCores.workers, 'worker')} were probably slowed by noise or an uneven split of tasks.`;
}

/**
 * The readings of a whole sweep, as `[{ engine, text }]`: one per engine, then what
 * happened past the core count. `sweeps` are `[{ engine, label, points, serialFraction }]`
 * for the parallel engines; `largest` is the largest worker count asked for.
 */
export function readSweep({ cores, largest, tasks, sweeps }) {
  const lines = [];
  for (const sweep of sweeps) lines.push({ engine: sweep.engine, text: describeSweep({ ...sweep, cores }) });
  const parallel = sweeps.filter((s) => s.engine !== 'gil' && s.engine !== 'sequential');
  if (largest > cores) {
    for (const sweep of parallel) {
      const text = describeOversubscription({ label: sweep.label, cores, points: sweep.points });
      if (text) lines.push({ engine: sweep.engine, text });
    }
  } else if (sweeps.length) {
    lines.push({ engine: null, text: `The sweep stopped at ${plural(largest, 'worker')}, within this device's ${plural(cores, 'core')}: raise the largest worker count past ${cores} to see extra workers stop helping.` });
  }
  if (tasks && parallel.length) {
    const lanes = idealSpeedup(largest, cores);
    const bound = taskBound(tasks, lanes);
    if (bound < lanes - 1e-9) {
      lines.push({ engine: null, text: `${plural(tasks, 'task')} do not split evenly over ${lanes} lanes: the busiest lane gets ${Math.ceil(tasks / lanes)}, so even a perfect run stops at ${formatFactor(Math.round(bound * 100) / 100)}.` });
    }
  }
  return lines;
}

// ---- "Measure, don't assume" -------------------------------------------------------

/**
 * Why the measured speedup is not the full `workers`x, in sentences computed from the
 * measurements: `[{ kind, engine?, text }]`, most important first.
 *
 * `engines`: `[{ engine, label, summary, speedup, firstMs, warmMedian, spread,
 * stats }]` where `summary` is `{ median, min, max, count }` (as chosen by the warm-up
 * toggle), `speedup` is against sequential, `firstMs` the very first run, `warmMedian`
 * the median of the timed runs, and `stats` comes from `timelineStats`.
 * `pool`: `{ startupMs, loadMs: [..] }` when the process pool was started for this run.
 */
export function explainShortfall({ cores, workers, tasks, engines, pool = null, includeWarmup = false }) {
  const out = [];
  const lanes = idealSpeedup(workers, cores);
  const parallel = engines.filter((e) => e.engine === 'threads' || e.engine === 'processes');
  const withSpeedup = parallel.filter((e) => Number.isFinite(e.speedup));
  const best = withSpeedup.reduce((a, b) => (b && (!a || b.speedup > a.speedup) ? b : a), null);

  // 1. The core count.
  if (workers > cores) {
    out.push({ kind: 'cores', text: `This device reports ${plural(cores, 'core')}, so of the ${workers} workers at most ${cores} compute at any moment: the ceiling is ${formatFactor(lanes)}, not ${formatFactor(workers)}.` });
  } else {
    out.push({ kind: 'cores', text: `This device reports ${plural(cores, 'core')} and the run used ${plural(workers, 'worker')}, so ${formatFactor(lanes)} is the most it could possibly gain.` });
  }

  // 2. How the measured speedup compares with that ceiling.
  if (best) {
    const share = best.speedup / lanes;
    const rest = Math.max(0, 1 - share);
    out.push({
      kind: 'measured',
      engine: best.engine,
      text:
        share >= 0.98
          ? `${best.label} reached ${formatSpeedup(best.speedup)}: as close to ${formatFactor(lanes)} as measurement can tell.`
          : `${best.label} reached ${formatSpeedup(best.speedup)}, ${formatPercent(share)} of ${formatFactor(lanes)}; the points below are what this run measured about the missing ${formatPercent(rest)}.`,
    });
    const threads = withSpeedup.find((e) => e.engine === 'threads');
    if (threads && lanes > 1 && threads.speedup < 1.15) {
      out.push({
        kind: 'busy',
        engine: 'threads',
        text: `${threads.label} copy nothing and share no lock, yet reached only ${formatSpeedup(threads.speedup)}: the likeliest cause is other programs keeping these cores busy. Run again, or look at the spread below.`,
      });
    }
  }

  // 3. An uneven split of tasks.
  if (tasks && lanes > 1) {
    const bound = taskBound(tasks, lanes);
    if (bound < lanes - 1e-9) {
      out.push({ kind: 'tasks', text: `${plural(tasks, 'task')} over ${lanes} lanes: one lane has to run ${Math.ceil(tasks / lanes)} of them, so a perfect run would still stop at ${formatFactor(Math.round(bound * 100) / 100)}.` });
    }
  }

  // 4. Idle workers and copying, read off the last run's timeline.
  for (const e of parallel) {
    const s = e.stats;
    if (!s || !Number.isFinite(s.idleFraction)) continue;
    if (e.engine === 'processes' && Number.isFinite(s.messagingMs) && s.messagingMs > 0) {
      const perChunk = s.messagingMs / s.chunks;
      out.push({
        kind: 'messaging',
        engine: e.engine,
        text: `${e.label}: in its last run the ${plural(s.chunks, 'chunk')} spent ${formatMs(s.messagingMs)} ms in total being copied to workers and back (${formatMs(perChunk)} ms each) — time no worker computed.`,
      });
    }
    if (s.idleFraction >= 0.05) {
      out.push({ kind: 'idle', engine: e.engine, text: `${e.label}: its ${plural(s.workers, 'worker')} sat idle for ${formatPercent(s.idleFraction)} of the last run (waiting to start, for messages, or for the slowest worker to finish).` });
    }
  }

  // 5. Starting the process pool.
  if (pool && Number.isFinite(pool.startupMs) && pool.startupMs > 0) {
    const processes = engines.find((e) => e.engine === 'processes');
    const loads = (pool.loadMs ?? []).filter(Number.isFinite);
    const each = loads.length ? ` (each worker loaded its own copy of the module in ${formatMs(Math.min(...loads))}–${formatMs(Math.max(...loads))} ms)` : '';
    const relative = processes && processes.summary?.median > 0 ? `, ${formatFactor(Math.round((pool.startupMs / processes.summary.median) * 10) / 10)} the time of one map` : '';
    out.push({ kind: 'startup', engine: 'processes', text: `Starting the process pool took ${formatMs(pool.startupMs)} ms before any work${relative}${each}. It is left out of the timings here; a script that starts a pool for one short map pays it every time.` });
  }

  // 6. The cold first run.
  const cold = engines
    .filter((e) => Number.isFinite(e.firstMs) && Number.isFinite(e.warmMedian) && e.warmMedian > 0)
    .map((e) => ({ ...e, excess: e.firstMs / e.warmMedian - 1 }));
  const coldest = cold.reduce((a, b) => (!a || b.excess > a.excess ? b : a), null);
  if (coldest && coldest.excess >= 0.1) {
    out.push({
      kind: 'cold',
      engine: coldest.engine,
      text: `${coldest.label}: the first run took ${formatMs(coldest.firstMs)} ms, ${formatPercent(coldest.excess)} longer than the warm median of ${formatMs(coldest.warmMedian)} ms — a first call pays one-off costs (code the browser has not optimised yet, threads and caches waking up)${includeWarmup ? '; with warm-ups counted, that cold run is in the medians' : ', which is why warm-up runs are left out of the median'}.`,
    });
  } else if (coldest) {
    out.push({ kind: 'cold', engine: coldest.engine, text: `No first run was clearly slower this time (at most ${formatPercent(Math.max(0, coldest.excess))} over the warm median): the code was already warm from earlier runs. Start a fresh pool or reload the page to see a cold start.` });
  }

  // 7. Noise.
  const spreads = engines
    .filter((e) => e.summary && e.summary.count > 1 && e.summary.median > 0)
    .map((e) => ({ ...e, spread: (e.summary.max - e.summary.min) / e.summary.median }));
  const widest = spreads.reduce((a, b) => (!a || b.spread > a.spread ? b : a), null);
  if (widest) {
    out.push({
      kind: 'spread',
      engine: widest.engine,
      text: `${widest.label}: its runs ranged from ${formatMs(widest.summary.min)} to ${formatMs(widest.summary.max)} ms, a spread of ${formatPercent(widest.spread)} of the median. The browser, other tabs and other programs share these cores, so one run can mislead: compare medians.`,
    });
  }

  // 8. The GIL, if it ran.
  const gil = engines.find((e) => e.engine === 'gil' && Number.isFinite(e.speedup));
  if (gil) out.push({ kind: 'gil', engine: 'gil', text: `${gil.label}: ${formatSpeedup(gil.speedup)} — ${plural(workers, 'worker')}, but one lock, so one computes at a time.` });
  return out;
}

/**
 * A one-line headline for the measure lesson: the best parallel engine's speedup against
 * the ideal, or why there is none.
 */
export function measureHeadline({ cores, workers, engines }) {
  const lanes = idealSpeedup(workers, cores);
  const parallel = engines.filter((e) => (e.engine === 'threads' || e.engine === 'processes') && Number.isFinite(e.speedup));
  if (!parallel.length) return `Only ${engines.map((e) => e.label).join(' and ')} ran: tick threads or the process pool to compare a parallel engine with sequential.`;
  const best = parallel.reduce((a, b) => (b.speedup > a.speedup ? b : a));
  return `${best.label}: ${formatSpeedup(best.speedup)} with ${plural(workers, 'worker')} on ${plural(cores, 'core')} — the ideal is ${formatFactor(lanes)}; here is where the difference went.`;
}

// ---- CSV ---------------------------------------------------------------------------

/** One CSV field: quoted when needed, and text a spreadsheet might run as a formula is defused. */
export function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header line; `rows` are arrays in `header` order. */
export function toCsv(header, rows) {
  return `${[header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}
