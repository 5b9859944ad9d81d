// How a finding reads. The Rust core decides what a set of measurements means and says it as data: a `kind`, a verdict, and the numbers
// (src/findings/). This table turns each kind into one English sentence and does nothing else: no comparison of a number with a threshold belongs
// here, only the choice of words the verdict already made.
import { formatBytes, formatChunks, formatCount, formatFactor, formatMs, formatPercent, formatSpeedup, formatUs, plural } from './format.js';

const STRATEGIES = { racy_increment: 'Racy increment', atomic_increment: 'Atomic increment', return_and_combine: 'Return and combine' };
const MODES = { copy: 'Copy (structured clone)', transfer: 'Transfer (Transferable)', shared: 'Shared memory' };

/** A ratio: 1.85x below 10, 45x above. */
const ratio = (x) => (!Number.isFinite(x) ? '—' : x < 10 ? `${x.toFixed(2)}x` : `${x.toFixed(0)}x`);
/** A factor that drops ".00" when it is whole: 5x, 2.50x. */
const factor = (x) => (!Number.isFinite(x) ? '—' : Math.abs(x - Math.round(x)) < 0.005 ? `${Math.round(x)}x` : `${x.toFixed(2)}x`);
const pct = (x) => `${Math.round(x * 100)}%`;
const at = (p) => `chunk size ${formatCount(p.chunksize)} (${formatChunks(p.chunks)})`;
/** How long a payload took to ship, or that it was too quick for this page's timer. */
const ship = (f, report) => (f.under_resolution ? `under ${formatMs(report?.resolution_ms)} ms (the timer's resolution here)` : `${formatMs(f.ship_ms)} ms`);
const size = (a) => `${a.tasks} × ${formatCount(a.n)}`;

function idealPhrase(f) {
  if (f.limit === 'tasks') return `the ${formatFactor(Math.round(f.ideal * 100) / 100)} best case for ${plural(f.tasks, 'task')} on ${f.lanes} lanes`;
  if (f.limit === 'workers') return `the ${formatFactor(f.ideal)} ideal for ${plural(f.workers, 'worker')}`;
  return `the ${formatFactor(f.ideal)} ideal on ${plural(f.cores, 'core')}`;
}

function fitClause(fit, engine) {
  if (!fit) return '';
  if (fit.verdict === 'none') return "; Amdahl's curve fits with no serial part at all";
  if (fit.verdict === 'all') {
    return engine === 'gil'
      ? "; Amdahl's curve fits only as 100% serial, which is what one lock makes of the work"
      : "; Amdahl's curve fits only as 100% serial: in this run nothing was gained by working in parallel";
  }
  return `; Amdahl's curve fits a serial fraction of ${formatPercent(fit.serial_fraction)}, which would cap it at ${formatFactor(fit.ceiling)} on any number of cores`;
}

/** One template per finding kind: `(finding, label) => sentence`, `label(engine)` naming an engine. */
const TEMPLATES = {
  only_baseline: () => 'Only the sequential baseline ran: tick another engine to compare.',

  engine_speedup(f, label) {
    const x = formatSpeedup(f.speedup);
    const ideal = idealPhrase(f);
    const crowd = f.crowded ? ` (${f.workers} workers share ${plural(f.cores, 'core')}, so extra workers cannot add speed)` : '';
    const verdicts = {
      unknown: 'no speedup could be computed.',
      gil_slower: `${x} — slower than sequential: the workers take turns holding one lock, and handing it over costs time.`,
      gil_no_faster: `${x} — no faster, as the GIL predicts: only the thread holding the lock computes.`,
      gil_too_fast: `${x} — faster than one lock should allow; timing noise in the sequential runs is the likely cause.`,
      one_worker: `${x} — a single worker has nobody to share the work with, so about 1x is all it can do.`,
      one_core: `${x} — this machine reports one core, so no engine can beat 1x here.`,
      slower: `${x} — slower than sequential: start-up, messages and scheduling cost more than the work saves; try a larger n.`,
      hardly_faster: `${x} — hardly faster than sequential, far from ${ideal}${crowd}.`,
      above_ideal: `${x} faster than sequential — above ${ideal}, which no run can really reach: this is measurement noise; add repetitions or a larger n.`,
      close: `${x} faster than sequential — close to ${ideal}${crowd}.`,
    };
    const said = verdicts[f.verdict] ?? `${x} faster than sequential — ${pct(f.share)} of ${ideal}${crowd}; overhead and uneven chunks take the rest.`;
    return `${label(f.engine)}, ${plural(f.workers, 'worker')}: ${said}`;
  },

  headline: (f, label) =>
    `${label(f.engine)}: ${formatSpeedup(f.speedup)} with ${plural(f.workers, 'worker')} on ${plural(f.cores, 'core')} — the ideal is ${formatFactor(f.lanes)}; here is where the difference went.`,
  no_parallel_engine: (f, label) => `Only ${f.engines.map(label).join(' and ')} ran: tick threads or the process pool to compare a parallel engine with sequential.`,
  core_ceiling: (f) =>
    f.workers > f.cores
      ? `This device reports ${plural(f.cores, 'core')}, so of the ${f.workers} workers at most ${f.cores} compute at any moment: the ceiling is ${formatFactor(f.lanes)}, not ${formatFactor(f.workers)}.`
      : `This device reports ${plural(f.cores, 'core')} and the run used ${plural(f.workers, 'worker')}, so ${formatFactor(f.lanes)} is the most it could possibly gain.`,
  measured_share: (f, label) =>
    f.close
      ? `${label(f.engine)} reached ${formatSpeedup(f.speedup)}: as close to ${formatFactor(f.lanes)} as measurement can tell.`
      : `${label(f.engine)} reached ${formatSpeedup(f.speedup)}, ${formatPercent(f.share)} of ${formatFactor(f.lanes)}; the points below are what this run measured about the missing ${formatPercent(f.missing)}.`,
  busy_cores: (f, label) =>
    `${label(f.engine)} copy nothing and share no lock, yet reached only ${formatSpeedup(f.speedup)}: the likeliest cause is other programs keeping these cores busy. Run again, or look at the spread below.`,
  uneven_tasks: (f) =>
    `${plural(f.tasks, 'task')} do not split evenly over ${f.lanes} lanes: the busiest lane gets ${f.busiest}, so even a perfect run stops at ${formatFactor(Math.round(f.bound * 100) / 100)}.`,
  messaging: (f, label) =>
    `${label(f.engine)}: in its last run the ${plural(f.chunks, 'chunk')} spent ${formatMs(f.messaging_ms)} ms in total being copied to workers and back (${formatMs(f.per_chunk_ms)} ms each) — time no worker computed.`,
  idle: (f, label) =>
    `${label(f.engine)}: its ${plural(f.workers, 'worker')} sat idle for ${formatPercent(f.idle_fraction)} of the last run (waiting to start, for messages, or for the slowest worker to finish).`,
  pool_startup(f) {
    const relative = f.relative ? `, ${formatFactor(Math.round(f.relative * 10) / 10)} the time of one map` : '';
    const each = f.load_min_ms !== null ? ` (each worker loaded its own copy of the module in ${formatMs(f.load_min_ms)}–${formatMs(f.load_max_ms)} ms)` : '';
    return `Starting the process pool took ${formatMs(f.startup_ms)} ms before any work${relative}${each}. It is left out of the timings here; a script that starts a pool for one short map pays it every time.`;
  },
  cold_start: (f, label) =>
    `${label(f.engine)}: the first run took ${formatMs(f.first_ms)} ms, ${formatPercent(f.excess)} longer than the warm median of ${formatMs(f.warm_ms)} ms — a first call pays one-off costs (code the browser has not optimised yet, threads and caches waking up)${f.warmup_counted ? '; with warm-ups counted, that cold run is in the medians' : ', which is why warm-up runs are left out of the median'}.`,
  no_cold_start: (f) =>
    `No first run was clearly slower this time (at most ${formatPercent(f.excess)} over the warm median): the code was already warm from earlier runs. Start a fresh pool or reload the page to see a cold start.`,
  spread: (f, label) =>
    `${label(f.engine)}: its runs ranged from ${formatMs(f.min_ms)} to ${formatMs(f.max_ms)} ms, a spread of ${formatPercent(f.spread)} of the median. The browser, other tabs and other programs share these cores, so one run can mislead: compare medians.`,
  gil_turns: (f, label) => `${label(f.engine)}: ${formatSpeedup(f.speedup)} — ${plural(f.workers, 'worker')}, but one lock, so one computes at a time.`,

  gil_sweep(f, label) {
    const range = f.low.toFixed(2) === f.high.toFixed(2) ? formatSpeedup(f.low) : `between ${formatSpeedup(f.low)} and ${formatSpeedup(f.high)}`;
    return f.flat
      ? `${label(f.engine)}: ${range} for every worker count from 1 to ${f.most} — more threads add nothing, because only the one holding the lock computes${fitClause(f.fit, 'gil')}.`
      : `${label(f.engine)}: ${range} from 1 to ${f.most} workers — more than one lock should allow, so the baseline runs were probably slowed by noise; add repetitions${fitClause(f.fit, 'gil')}.`;
  },
  engine_sweep(f, label) {
    const best = `${formatSpeedup(f.speedup)} with ${plural(f.workers, 'worker')}`;
    const verdict = {
      never_faster: `never clearly faster than sequential (best ${best}); try a larger n, or run again when other programs leave the cores free`,
      above_ideal: `best ${best}, above the ${formatFactor(f.lanes)} ideal, which no run can really reach: this is measurement noise; add repetitions or a larger n`,
      share: `best ${best}, ${pct(f.share)} of the ${formatFactor(f.lanes)} ideal on ${plural(f.cores, 'core')}`,
    }[f.verdict];
    return `${label(f.engine)}: ${verdict}${fitClause(f.fit, f.engine)}.`;
  },
  oversubscription(f, label) {
    if (f.verdict === 'no_clear_speedup')
      return `${label(f.engine)}: no clear speedup even within the core count (${formatSpeedup(f.at_cores_speedup)} with ${plural(f.at_cores_workers, 'worker')}), so this run cannot show what extra workers do; other programs may be busy on these cores — run again or raise n.`;
    const signed = `${f.change >= 0 ? '+' : '−'}${formatPercent(Math.abs(f.change))}`;
    const head = `${label(f.engine)}: ${formatSpeedup(f.at_cores_speedup)} with ${plural(f.at_cores_workers, 'worker')}, ${formatSpeedup(f.last_speedup)} with ${f.last_workers} (${signed})`;
    return f.verdict === 'taking_turns'
      ? `${head} — past ${plural(f.cores, 'core')}, the extra workers only take turns on the same cores, so they stop helping.`
      : `${head} — more than taking turns on ${plural(f.cores, 'core')} can give; the runs with ${plural(f.at_cores_workers, 'worker')} were probably slowed by noise or an uneven split of tasks.`;
  },
  fewer_real_cores: (f, label) =>
    `${label(f.engine)}: ${formatSpeedup(f.at_apparent)} with ${f.apparent} workers but only ${formatSpeedup(f.at_reported)} with all ${f.reported}. The browser reports ${f.reported} hardware threads, not physical cores; two threads that share a core give little more than one, so this device likely has ${f.apparent} real cores.`,
  within_cores: (f) =>
    `The sweep stopped at ${plural(f.largest, 'worker')}, within this device's ${plural(f.cores, 'core')}: raise the largest worker count past ${f.cores} to see extra workers stop helping.`,

  chunk_sweep(f, label) {
    const fee = f.overhead_us ? ` Each extra chunk added about ${formatUs(f.overhead_us)} µs.` : '';
    const why = {
      too_few_chunks: `too few chunks to keep ${plural(f.workers, 'worker')} busy`,
      uneven: `the chunks no longer split evenly over ${plural(f.workers, 'worker')}, so some wait for the last one`,
      one_slow_chunk: 'with so few chunks, one slow chunk holds up the whole run',
    }[f.why];
    const again = f.loses_again ? ` From ${at(f.loses_again)} up it loses again: ${why}.` : '';
    const name = label(f.engine);
    if (f.verdict === 'always_slower')
      return `${name}: slower than the sequential loop at every chunk size measured; even at its best, ${at(f.best)}, it took ${formatMs(f.best.median_ms)} ms against the loop's ${formatMs(f.sequential_ms)} ms. Each input is too little work to pay for the trip.${fee}`;
    if (f.verdict === 'always_faster')
      return `${name}: faster than the sequential loop even with ${at(f.first)}, ${ratio(f.first.speedup)}; best ${ratio(f.best.speedup)} at ${at(f.best)}.${again}${fee}`;
    const slowest = `${ratio(1 / f.first.speedup)} slower at chunk size ${formatCount(f.first.chunksize)}, with ${formatChunks(f.first.chunks)}`;
    return `${name}: slower than the sequential loop up to chunk size ${formatCount(f.loses_until.chunksize)} (${slowest}); from chunk size ${formatCount(f.wins_from.chunksize)} on it wins, best ${ratio(f.best.speedup)} at ${at(f.best)}.${again}${fee}`;
  },
  input_cost: (f) => `The sequential loop took ${formatMs(f.sequential_ms)} ms for ${formatCount(f.tasks)} inputs: about ${formatUs(f.per_input_us)} µs of work per input.`,
  chunk_cost(f, label) {
    if (f.verdict === 'unfitted') return `${label(f.engine)}: too few chunk sizes measured to fit a per-chunk cost.`;
    if (f.verdict === 'no_cost') return `${label(f.engine)}: no per-chunk cost stood out from the noise (fitted slope ${formatUs(f.overhead_us)} µs).`;
    const n = f.inputs_worth;
    const worth = f.less_than_one_input
      ? `${n.toFixed(n < 0.1 ? 2 : 1)} of one input's work`
      : `the work of ${formatCount(n < 10 ? Math.round(n * 10) / 10 : Math.round(n))} input${Math.round(n * 10) / 10 === 1 ? '' : 's'}`;
    const prediction = f.crossover
      ? ` The fitted line says it stops losing at about ${formatCount(f.crossover)} inputs per chunk.`
      : ' The fitted line says no chunk size can make it beat the loop here.';
    return `${label(f.engine)}: one chunk costs about ${formatUs(f.overhead_us)} µs, as much as ${worth}.${prediction}`;
  },
  chunk_timeline(f, label) {
    const head = `${label(f.engine)}, chunk size ${formatCount(f.chunksize)}: ${formatChunks(f.chunks)} (${formatCount(f.tasks)} ÷ ${formatCount(f.chunksize)}, rounded up) on ${plural(f.workers, 'worker')}.`;
    if (f.verdict === 'busy') return `${head} The workers were computing ${pct(f.share)} of the run; the rest went on taking chunks from the queue and waiting.`;
    const verdict = {
      messaging_outweighs: 'the grey messaging bars outweigh the work',
      messaging_large: 'messaging is a large share of the work',
      work_outweighs: 'the work outweighs the messaging',
    }[f.verdict];
    return `${head} Chunks spent ${formatMs(f.computing_ms)} ms computing and ${formatMs(f.messaging_ms)} ms being copied out and back: ${pct(f.share)} of each round trip was messaging, so ${verdict}.`;
  },

  mode_unavailable: (f) => `${MODES[f.mode]}: not measured here: ${f.reason}. Open the isolated page to compare.`,
  copied(f, _label, report) {
    const rate = f.bytes_per_second ? ` (about ${formatBytes(f.bytes_per_second)}/s)` : '';
    const verdict = {
      unknown: '',
      more_than_work: `: ${ratio(f.ratio)} the time spent using the data, so moving it cost more than the work`,
      large: `: ${pct(f.ratio)} of the time spent using the data, a large extra cost`,
      small: `: only ${pct(f.ratio)} of the time spent using the data`,
    }[f.verdict];
    return `Copy: shipping ${formatBytes(f.bytes)} took ${ship(f, report)}${rate}, against ${formatMs(f.compute_ms)} ms for the worker to touch every byte${verdict}.`;
  },
  transferred: (f, _label, report) =>
    `Transfer: ${ship(f, report)}${f.quicker_than_copy ? `, ${ratio(f.quicker_than_copy)} quicker than copying` : ''}. The buffer changes owner instead of being copied, so the sender can no longer use it until the worker hands it back.`,
  shared: (f, _label, report) =>
    `Shared memory: ${ship(f, report)}. Nothing is shipped but a note of where the bytes are; both sides read the same memory, which only a cross-origin isolated page may have, as with the threads engine.`,
  bytes_or_message: (f) =>
    f.message_costs
      ? `At ${formatBytes(f.bytes)} the three ways cost about the same: sending any message at all, not the bytes, is what takes the time. Try a bigger payload.`
      : `At ${formatBytes(f.bytes)} the bytes themselves are the cost: copying grows with every byte, while transferring and sharing stay about as cheap as an empty message.`,
  growth(f) {
    const pairs = Object.entries({ copying: f.copy, transferring: f.transfer, sharing: f.shared }).filter(([, pair]) => pair);
    const parts = pairs.map(([what, [a, b]], i) => `${what} ${i === 0 ? 'went ' : ''}from ${formatMs(a)} to ${formatMs(b)} ms`);
    return `From ${formatBytes(f.small)} to ${formatBytes(f.big)} (${formatCount(Math.round(f.growth))} times the bytes), ${parts.join(', ')}.`;
  },

  counting(f) {
    const name = STRATEGIES[f.strategy] ?? f.strategy;
    const expected = formatCount(f.expected);
    const runs = plural(f.runs, 'run');
    // Thunks: some numbers are only there for their own verdict.
    const verdicts = {
      nothing_lost_alone: () => `nothing lost in ${runs} — one worker has nobody to race with; try 2 or more.`,
      nothing_lost: () => `nothing lost in ${runs} this time — the workers hardly ran at the same moment; raise the increments so they overlap longer.`,
      lost: () => {
        const spread = f.lost_min === f.lost_max ? '' : `; the loss changed from run to run (${formatCount(f.lost_min)} to ${formatCount(f.lost_max)})`;
        return `ended at ${formatCount(f.counted)} instead of ${expected} in its median run — ${formatCount(f.lost)} updates (${formatPercent(f.lost_share)}) overwritten by another worker${spread}.`;
      },
      broken: () => `lost ${formatCount(f.lost_max)} updates — a correct strategy should never lose one; please report this.`,
      exact_slower: () =>
        `exactly ${expected} in every run, but ${f.vs_combine.toFixed(1)}x as slow as returning and combining (${formatMs(f.median_ms)} ms against ${formatMs(f.combine_ms)} ms): every add waits its turn at one shared counter.`,
      exact_as_fast: () =>
        `exactly ${expected} in every run, in ${formatMs(f.median_ms)} ms — about as fast as combining here, because ${f.workers === 1 ? 'with one worker nobody competes for the counter' : 'the workers seldom touched the counter at the same moment'}.`,
    };
    const combined = () =>
      `exactly ${expected} in every run, ${f.fastest ? 'the fastest exact way' : 'exact'} (${formatMs(f.median_ms)} ms): each worker counted privately and the totals were added once at the end.`;
    return `${name}: ${(verdicts[f.verdict] ?? combined)()}`;
  },
  count_summary(f) {
    const racy = f.racy_lost_any
      ? `the racy counter lost ${formatPercent(f.racy_lost)} of its updates`
      : `the racy counter lost nothing this time${f.workers === 1 ? ' (one worker cannot race)' : ''}`;
    const slower = () => `atomic increments were exact but ${f.atomic_vs_combine.toFixed(1)}x as slow as returning and combining, which was exact too`;
    const atomic = () => (f.atomic_slower ? slower() : 'atomic increments and returning-and-combining were both exact and about as fast');
    const parts = [f.racy_lost !== null && racy, f.broken ? 'a correct strategy lost updates, which should never happen' : f.atomic_vs_combine !== null && atomic()];
    const text = parts.filter(Boolean).join('; ');
    return text ? `${text[0].toUpperCase()}${text.slice(1)}.` : '';
  },
  shared_list(f) {
    const n = f.worker_lengths.length;
    const copies = f.full
      ? `${n === 1 ? 'the worker' : `each of the ${n} workers`} appended ${formatCount(f.appended_per_worker)} items to its own copy`
      : `the workers' copies ended with ${f.worker_lengths.map(formatCount).join(', ')} items`;
    return f.copies
      ? `The page's list is still empty (0 items), although ${copies}: every append changed a copy, and nothing came back.`
      : `The page's list holds ${formatCount(f.parent_length)} items while ${copies} — that should not happen with copies; please report it.`;
  },

  amdahl_law(f) {
    if (f.verdict === 'gustafson')
      return `Growing the job with the workers keeps the serial part the same size while the parallel part grows, so Gustafson's s + (1 − s)k has no ceiling: ${factor(f.last_predicted)} for ${plural(f.last_workers, 'worker')} at ${formatPercent(f.serial_fraction)} serial.`;
    if (f.verdict === 'no_serial') return `With nothing serial, Amdahl's law sets no ceiling: only the ${plural(f.cores, 'core')} limit the speedup.`;
    return `With ${formatPercent(f.serial_fraction)} of the job serial, Amdahl's law caps the speedup at 1/s = ${factor(f.ceiling)} however many workers you add${f.lesson_example ? " — the lesson's example: 20% serial can never beat 5x" : ''}.`;
  },
  phased_best(f) {
    if (f.verdict === 'no_extra_helped') return `No extra worker helped: the best measured speedup was ${factor(f.speedup)} with 1 worker.`;
    const closeness = {
      above_prediction: 'above the prediction, which no run can really reach: this is measurement noise; add repetitions',
      close: 'close to the prediction',
      partial: `${pct(f.share)} of the prediction; thread start-up, uneven shares and other programs take the rest`,
    }[f.verdict];
    return `Best measured: ${factor(f.speedup)} with ${plural(f.workers, 'worker')}, against ${factor(f.predicted)} predicted — ${closeness}.`;
  },
  phased_past_cores: (f) =>
    `Past ${plural(f.cores, 'core')}, extra workers only take turns: ${plural(f.workers, 'worker')} measured ${factor(f.speedup)}, where this device's ${f.gustafson ? 'line' : 'curve'} allows ${factor(f.predicted)} and the law as written, a core per worker, says ${factor(f.unlimited)}.`,
  fitted_serial(f) {
    const verdict = {
      close: `close to the ${formatPercent(f.set)} built into the job`,
      more: `more than the ${formatPercent(f.set)} built into the job: starting threads and uneven shares behave like extra serial work`,
      less: `less than the ${formatPercent(f.set)} built into the job, which only noisy timings can do`,
    }[f.verdict];
    return `Fitting Amdahl's curve on this device's cores to these points gives a serial fraction of ${formatPercent(f.fitted)} (the runs' spread allows ${formatPercent(f.low)}–${formatPercent(f.high)}), ${verdict}.`;
  },
  fit_refused: (f) =>
    f.reason === 'nothing_at_once'
      ? `No serial fraction is fitted: with ${plural(f.cores, 'core')}, no point had two workers computing at once, and only those tell serial work from parallel.`
      : `No serial fraction is fitted: the runs spread so much that anything from ${formatPercent(f.low)} to ${formatPercent(f.high)} fits; add repetitions or a larger job.`,

  pool_started(f) {
    const [lo, hi] = [formatMs(f.load_min_ms), formatMs(f.load_max_ms)];
    const range = f.workers === 1 ? `${lo} ms` : f.load_min_ms === f.load_max_ms ? `${lo} ms each` : `${lo}–${hi} ms`;
    const times = f.workers === 1 ? 'once, in its one worker' : `${f.workers} times, once in each worker`;
    return `Starting ${plural(f.workers, 'pool worker')} took ${formatMs(f.startup_ms)} ms before any task could run. Each worker loaded the module and instantiated its own copy of the wasm core (${range} of that), so the module's top-level code ran ${times}.`;
  },
  startup_share(f) {
    const speed = f.faster ? `${factor(f.speedup_fresh)} as fast as sequential` : `${factor(f.speedup_fresh)} the speed of sequential`;
    return f.speedup_warm === null
      ? `At ${size(f.at)}, start-up was ${formatPercent(f.share)} of a fresh pool's time: it ran ${speed} (${formatMs(f.total_ms)} ms against ${formatMs(f.sequential_ms)} ms).`
      : `At ${size(f.at)}, start-up was ${formatPercent(f.share)}: the fresh pool ran ${speed}, and a warm pool, already started, ${factor(f.speedup_warm)}.`;
  },
  paid_back(f) {
    if (f.fresh_from)
      return f.shortest ? 'Even the shortest run paid its start-up back.' : `A fresh pool first beat sequential at ${size(f.fresh_from)}: from there on the start-up is paid back.`;
    return f.warm_from
      ? `No run here was long enough for a fresh pool to pay its start-up back, although a warm pool was faster from ${size(f.warm_from)}: start-up, not the work, decided.`
      : 'No run here was long enough for the pool to win: try longer runs.';
  },
  cold_workers: (f) =>
    `The first run in the fresh workers took ${f.ratio.toFixed(1)}x as long as later ones (${formatMs(f.first_ms)} ms against ${formatMs(f.warm_ms)} ms): the browser was still compiling their code, a start-up cost that shows up inside the first run.`,
};

/** The sentence for one finding; `report` gives context some templates need (the timer resolution). */
export function sentence(finding, label = (id) => id, report = null) {
  const template = TEMPLATES[finding?.kind];
  if (!template) throw new Error(`no words for the finding '${finding?.kind}'`);
  return template(finding, label, report);
}

/** Every finding as `{ kind, engine, text }`, in order, skipping empty sentences. */
export function readings(findings, label, report = null) {
  return (findings ?? []).map((f) => ({ kind: f.kind, engine: f.engine ?? f.mode ?? f.strategy ?? null, text: sentence(f, label, report) })).filter((r) => r.text);
}

/** The kinds this table can read: a test checks it covers every kind the core emits. */
export const KINDS = Object.keys(TEMPLATES);
