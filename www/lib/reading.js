// Pure helpers that turn results into numbers and sentences: no DOM, no globals, so
// they can be tested in Node and reused by every lesson.

/** "1 worker", "3 workers". */
export function plural(count, word) {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** A factor such as 2 → "2x", 2.5 → "2.50x". */
export function formatFactor(value) {
  return Number.isInteger(value) ? `${value}x` : `${value.toFixed(2)}x`;
}

/** Milliseconds with sensible precision: 3.14, 31.4, 314. */
export function formatMs(ms) {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return ms.toFixed(0);
}

/** 10000000 → "10 million"; other values as digits with separators. */
export function formatCount(n) {
  if (n >= 1e6 && n % 1e6 === 0) return `${n / 1e6} million`;
  return n.toLocaleString('en-US');
}

/** The speedup of `median` over `baseline` (both ms), or NaN if either is unusable. */
export function speedupOf(baseline, median) {
  return baseline > 0 && median > 0 ? baseline / median : NaN;
}

/** The best speedup `workers` can reach on `cores` cores: min(workers, cores), at least 1. */
export function idealSpeedup(workers, cores) {
  return Math.max(1, Math.min(workers, cores));
}

/**
 * The best speedup `tasks` equal tasks can reach on `lanes` parallel lanes: the work is
 * `tasks` units and the slowest lane does ceil(tasks / lanes) of them.
 */
export function taskBound(tasks, lanes) {
  return tasks / Math.ceil(tasks / lanes);
}

/**
 * One sentence reading a measured speedup against what theory predicts for the engine.
 * `engine` is the engine id, `label` its display name; `tasks` is optional and lets the
 * sentence say when too few tasks, not cores, set the limit.
 */
export function describeSpeedup({ engine, label, workers, cores, speedup, tasks }) {
  const who = `${label}, ${plural(workers, 'worker')}`;
  if (!Number.isFinite(speedup) || speedup <= 0) return `${who}: no speedup could be computed.`;
  const x = `${speedup.toFixed(2)}x`;
  if (engine === 'sequential') return `${who}: ${x} — the baseline every other engine is compared with.`;

  if (engine === 'gil') {
    if (speedup < 0.9) {
      return `${who}: ${x} — slower than sequential: the workers take turns holding one lock, and handing it over costs time.`;
    }
    if (speedup <= 1.15) return `${who}: ${x} — no faster, as the GIL predicts: only the thread holding the lock computes.`;
    return `${who}: ${x} — faster than one lock should allow; timing noise in the sequential runs is the likely cause.`;
  }

  if (workers === 1) return `${who}: ${x} — a single worker has nobody to share the work with, so about 1x is all it can do.`;
  const lanes = idealSpeedup(workers, cores);
  if (lanes === 1) return `${who}: ${x} — this machine reports one core, so no engine can beat 1x here.`;

  const bound = tasks ? taskBound(tasks, lanes) : lanes;
  let ideal;
  if (bound < lanes - 1e-9) ideal = `the ${formatFactor(bound)} best case for ${plural(tasks, 'task')} on ${lanes} lanes`;
  else if (workers < cores) ideal = `the ${formatFactor(lanes)} ideal for ${plural(workers, 'worker')}`;
  else ideal = `the ${formatFactor(lanes)} ideal on ${plural(cores, 'core')}`;
  const crowd = workers > cores ? ` (${workers} workers share ${plural(cores, 'core')}, so extra workers cannot add speed)` : '';

  if (speedup < 0.9) {
    return `${who}: ${x} — slower than sequential: start-up, messages and scheduling cost more than the work saves; try a larger n.`;
  }
  if (speedup <= 1.15) return `${who}: ${x} — hardly faster than sequential, far from ${ideal}${crowd}.`;
  const share = speedup / bound;
  if (share > 1.15) return `${who}: ${x} faster than sequential — above ${ideal}, so the timings are noisy; add repetitions.`;
  if (share >= 0.85) return `${who}: ${x} faster than sequential — close to ${ideal}${crowd}.`;
  return `${who}: ${x} faster than sequential — ${Math.round(share * 100)}% of ${ideal}${crowd}; overhead and uneven chunks take the rest.`;
}

/**
 * Table rows from `results` (in run order, each `{ engine, label, result }`): the
 * sequential median is the baseline for every speedup.
 */
export function resultRows(results) {
  const baseline = results.find((r) => r.engine === 'sequential')?.result.summary.median;
  return results.map(({ engine, label, result }) => ({
    engine,
    label,
    workers: engine === 'sequential' ? 1 : result.config.workers,
    tasks: result.config.tasks,
    n: result.config.n,
    repetitions: result.summary.count,
    median: result.summary.median,
    min: result.summary.min,
    max: result.summary.max,
    mean: result.summary.mean,
    speedup: engine === 'sequential' ? 1 : speedupOf(baseline, result.summary.median),
    verified: result.verified === true && result.checksum === result.expected,
    checksum: result.checksum,
    startup: result.startup_ms ?? null,
  }));
}

/** One CSV field: quoted when needed, and text that a spreadsheet might run as a formula is defused. */
function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text (with a header line) for `rows` from `resultRows`, plus the cores it ran on. */
export function rowsToCsv(rows, cores) {
  const header = ['engine', 'label', 'workers', 'cores', 'tasks', 'n', 'repetitions', 'median_ms', 'min_ms', 'max_ms', 'mean_ms', 'speedup', 'verified', 'checksum', 'pool_startup_ms'];
  const lines = [header.join(',')];
  for (const r of rows) {
    lines.push(
      [r.engine, r.label, r.workers, cores, r.tasks, r.n, r.repetitions, r.median, r.min, r.max, r.mean, r.speedup, r.verified, r.checksum, r.startup]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
