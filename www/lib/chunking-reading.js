// Pure helpers for the chunking lesson: which chunk sizes to measure, how many chunks a
// size makes, and the sentences that read a sweep. No DOM and no globals, so a test can
// call every function here with made-up numbers.
import { formatCount, formatMs, plural } from './reading.js';

/** Chunk sizes the slider steps through: about ×1.5–2 per step, from 1 to 100 000. */
export const CHUNK_SERIES = [
  1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000, 5000, 7000, 10000, 15000, 20000, 30000, 50000, 70000, 100000,
];

/** The sweep's ladder: roughly ×3 per step. */
const LADDER = [1, 3, 10, 30, 100, 300, 1000, 3000, 10000, 30000];

/** How many chunks `tasks` inputs make in chunks of `chunksize`: ceil(tasks / chunksize). */
export function chunkCount(tasks, chunksize) {
  return Math.ceil(tasks / Math.max(1, chunksize));
}

/** "1 chunk", "10,000 chunks". */
export function chunksWord(count) {
  return `${formatCount(count)} chunk${count === 1 ? '' : 's'}`;
}

/** The slider's choices for `tasks` inputs: the series up to `tasks`, and `tasks` itself (one chunk). */
export function chunkSizeChoices(tasks) {
  const choices = CHUNK_SERIES.filter((v) => v < tasks);
  choices.push(tasks);
  return choices;
}

/**
 * The chunk sizes a sweep measures: the ×3 ladder below one chunk per worker, one chunk
 * per worker (ceil(tasks / workers): every worker busy, fewest messages), a single chunk
 * (all the work on one worker), and the learner's `chosen` size. Ascending, no repeats.
 */
export function sweepChunkSizes(tasks, workers, chosen) {
  const perWorker = Math.ceil(tasks / Math.max(1, workers));
  const sizes = new Set(LADDER.filter((v) => v < perWorker));
  sizes.add(perWorker);
  sizes.add(tasks);
  if (Number.isFinite(chosen)) sizes.add(Math.min(tasks, Math.max(1, Math.round(chosen))));
  return [...sizes].sort((a, b) => a - b);
}

/** The points a straight-line fit of time against chunk count should use: every worker had a chunk. */
export function pointsForFit(points, workers) {
  return points.filter((p) => p.chunks >= workers);
}

/** Microseconds with sensible precision: 0.0123 → "0.012", 3.4 → "3.4", 95.2 → "95". */
export function formatUs(us) {
  if (!Number.isFinite(us)) return '—';
  if (us < 0.1) return us.toPrecision(2);
  if (us < 10) return us.toFixed(1);
  return us.toFixed(0);
}

/** A ratio as "1.85x" (below 10) or "45x". */
export function formatRatio(x) {
  if (!Number.isFinite(x)) return '—';
  return x < 10 ? `${x.toFixed(2)}x` : `${x.toFixed(0)}x`;
}

/**
 * The chunk size where a line fitted to time = intercept + slope × chunks predicts the
 * engine stops losing to the `sequentialMs` loop over `tasks` inputs, or null when the
 * line says it never does (its intercept alone is slower) or the fit is unusable.
 */
export function predictedCrossover({ line, sequentialMs, tasks }) {
  if (!line || !Number.isFinite(line.slope) || !Number.isFinite(line.intercept) || line.slope <= 0) return null;
  const spare = sequentialMs - line.intercept; // time left for chunk fees before parallel loses
  if (!(spare > 0)) return null;
  return Math.max(1, Math.ceil((tasks * line.slope) / spare));
}

/**
 * One sentence reading an engine's sweep against the sequential loop. `points` are
 * `{ chunksize, chunks, median }` (any order); `overheadUs` the fitted µs per chunk or
 * null; `workers` the lanes used.
 */
export function describeEngineSweep({ label, points, sequentialMs, overheadUs = null, workers }) {
  const sorted = [...points].filter((p) => Number.isFinite(p.median) && p.median > 0).sort((a, b) => a.chunksize - b.chunksize);
  if (!sorted.length || !(sequentialMs > 0)) return `${label}: nothing was measured to compare with the sequential loop.`;
  const speed = (p) => sequentialMs / p.median;
  const best = sorted.reduce((a, b) => (b.median < a.median ? b : a));
  const first = sorted[0];
  const fee = Number.isFinite(overheadUs) && overheadUs > 0 ? ` Each extra chunk added about ${formatUs(overheadUs)} µs.` : '';
  const where = (p) => `chunk size ${formatCount(p.chunksize)} (${chunksWord(p.chunks)})`;

  if (speed(best) <= 1) {
    return `${label}: slower than the sequential loop at every chunk size measured; even at its best, ${where(best)}, it took ${formatMs(best.median)} ms against the loop's ${formatMs(sequentialMs)} ms. Each input is too little work to pay for the trip.${fee}`;
  }
  // Beyond the best size, chunks get so few that workers sit idle: say so if it loses again.
  const lostAgain = sorted.find((p) => p.chunksize > best.chunksize && speed(p) <= 1);
  const why = !lostAgain
    ? ''
    : lostAgain.chunks < workers
      ? `too few chunks to keep ${plural(workers, 'worker')} busy`
      : lostAgain.chunks % workers !== 0
        ? `the chunks no longer split evenly over ${plural(workers, 'worker')}, so some wait for the last one`
        : 'with so few chunks, one slow chunk holds up the whole run';
  const again = lostAgain ? ` From ${where(lostAgain)} up it loses again: ${why}.` : '';
  if (speed(first) > 1) {
    return `${label}: faster than the sequential loop even with ${where(first)}, ${formatRatio(speed(first))}; best ${formatRatio(speed(best))} at ${where(best)}.${again}${fee}`;
  }
  const crossover = sorted.find((p) => p.chunksize <= best.chunksize && speed(p) > 1);
  const lastLoss = [...sorted].reverse().find((p) => p.chunksize < crossover.chunksize && speed(p) <= 1);
  const slowest = `${formatRatio(first.median / sequentialMs)} slower at chunk size ${formatCount(first.chunksize)}, with ${chunksWord(first.chunks)}`;
  return `${label}: slower than the sequential loop up to chunk size ${formatCount(lastLoss.chunksize)} (${slowest}); from chunk size ${formatCount(crossover.chunksize)} on it wins, best ${formatRatio(speed(best))} at ${where(best)}.${again}${fee}`;
}

/** "the work of 12 inputs", "0.3 of one input's work". */
function inputsWord(count) {
  if (count < 0.95) return `${count.toFixed(count < 0.1 ? 2 : 1)} of one input's work`;
  const rounded = count < 10 ? Math.round(count * 10) / 10 : Math.round(count);
  return `the work of ${formatCount(rounded)} input${rounded === 1 ? '' : 's'}`;
}

/**
 * A sentence on what one input costs against what one chunk costs, per engine:
 * `engines` are `{ label, overheadUs, predicted }` (predicted crossover chunk size or null).
 */
export function describeCosts({ sequentialMs, tasks, engines }) {
  if (!(sequentialMs > 0) || !(tasks > 0)) return 'The sequential loop was not measured, so the cost of one input is unknown.';
  const perInput = (sequentialMs * 1000) / tasks;
  const parts = [`The sequential loop took ${formatMs(sequentialMs)} ms for ${formatCount(tasks)} inputs: about ${formatUs(perInput)} µs of work per input.`];
  for (const e of engines) {
    if (!Number.isFinite(e.overheadUs)) {
      parts.push(`${e.label}: too few chunk sizes measured to fit a per-chunk cost.`);
    } else if (e.overheadUs <= 0) {
      parts.push(`${e.label}: no per-chunk cost stood out from the noise (fitted slope ${formatUs(e.overheadUs)} µs).`);
    } else {
      const ratio = e.overheadUs / perInput;
      const prediction = e.predicted
        ? ` The fitted line says it stops losing at about ${formatCount(e.predicted)} inputs per chunk.`
        : ' The fitted line says no chunk size can make it beat the loop here.';
      parts.push(`${e.label}: one chunk costs about ${formatUs(e.overheadUs)} µs, as much as ${inputsWord(ratio)}.${prediction}`);
    }
  }
  return parts.join(' ');
}

/**
 * A sentence reading one run's timeline: for the process pool, how much of the chunks'
 * round trips went on messaging; for threads, how busy the workers were.
 */
export function describeTimeline(timeline, { label, tasks, chunksize }) {
  if (!timeline?.length) return `${label}: no timeline was recorded.`;
  const lanes = new Set(timeline.map((c) => c.worker)).size;
  const computing = timeline.reduce((sum, c) => sum + Math.max(0, c.end_ms - c.start_ms), 0);
  const head = `${label}, chunk size ${formatCount(chunksize)}: ${chunksWord(timeline.length)} (${formatCount(tasks)} ÷ ${formatCount(chunksize)}, rounded up) on ${plural(lanes, 'worker')}.`;
  const messaged = timeline.filter((c) => Number.isFinite(c.sent_ms) && Number.isFinite(c.received_ms));
  if (messaged.length) {
    const messaging = messaged.reduce((sum, c) => sum + Math.max(0, c.start_ms - c.sent_ms) + Math.max(0, c.received_ms - c.end_ms), 0);
    const share = messaging / (messaging + computing || 1);
    const verdict = share > 0.5 ? 'the grey messaging bars outweigh the work' : share > 0.2 ? 'messaging is a large share of the work' : 'the work outweighs the messaging';
    return `${head} Chunks spent ${formatMs(computing)} ms computing and ${formatMs(messaging)} ms being copied out and back: ${Math.round(share * 100)}% of each round trip was messaging, so ${verdict}.`;
  }
  const span = Math.max(...timeline.map((c) => c.end_ms));
  const busy = span > 0 ? computing / (lanes * span) : 0;
  return `${head} The workers were computing ${Math.round(Math.min(1, busy) * 100)}% of the run; the rest went on taking chunks from the queue and waiting.`;
}

/** One CSV field: numbers rounded, text that a spreadsheet might run as a formula defused. */
function csvField(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(Math.round(value * 1000) / 1000) : '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV text with a header line: `columns` are `[header, (row) => value]` pairs. */
export function toCsv(rows, columns) {
  const lines = [columns.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(columns.map(([, get]) => csvField(get(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
