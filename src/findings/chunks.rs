//! Chunking (lesson 3): the same map at several chunk sizes, each engine against the
//! sequential loop. A straight line through time against chunk count gives the cost of
//! one chunk (its slope) and of the work itself (its intercept), and from them the chunk
//! size where the engine stops losing to the loop. Each point also carries what its own
//! timeline says, so a page can read any point the learner picks.

use super::thresholds::*;
use super::{Checked, EngineRaw, Measured};
use crate::engines::Engine;
use crate::measurement::{fit_line, summarize_runs, Line, Run};
use serde::{Deserialize, Serialize};

/// What the driver measured.
#[derive(Clone, Debug, Deserialize)]
pub struct ChunksRaw {
    /// The sweep's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// The sequential loop's runs.
    pub sequential: Vec<Run>,
    /// The loop's checksum: every point must match it.
    pub checksum: String,
    /// Each engine's points, one per chunk size.
    pub engines: Vec<EngineRaw<PointRaw>>,
}

/// The sweep's settings, as sent and as reported.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Setup {
    /// Workers every engine used.
    pub workers: usize,
    /// Inputs per map.
    pub tasks: usize,
    /// The chunk size the learner chose (its timeline is read).
    pub chosen: usize,
    /// The workload mapped.
    pub workload: String,
    /// Its first input.
    pub n: u64,
    /// Timed runs per point.
    pub repetitions: usize,
    /// Untimed runs before them.
    pub warmup: usize,
}

/// One chunk size on one engine.
#[derive(Clone, Debug, Deserialize)]
pub struct PointRaw {
    /// Inputs per chunk.
    pub chunksize: usize,
    /// Its runs.
    #[serde(flatten)]
    pub measured: Measured,
}

/// The finished chunk sweep.
#[derive(Clone, Debug, Serialize)]
pub struct ChunksReport {
    /// The sweep's settings.
    #[serde(flatten)]
    pub setup: Setup,
    /// The sequential loop as a point: one chunk of every input, the yardstick.
    pub sequential: Point,
    /// One series per engine.
    pub series: Vec<Series>,
    /// What the sweep says.
    pub findings: Vec<Finding>,
}

/// One engine's points and fit.
#[derive(Clone, Debug, Serialize)]
pub struct Series {
    /// The engine.
    pub engine: Engine,
    /// Ascending in chunk size.
    pub points: Vec<Point>,
    /// Time (ms) against chunk count, through the points where every worker had a chunk.
    pub line: Option<Line>,
    /// The line's slope in µs per chunk.
    pub overhead_us: Option<f64>,
    /// The chunk size from which the line says the engine beats the loop.
    pub crossover: Option<usize>,
    /// The smallest measured chunk size that beat the loop.
    pub wins_from: Option<usize>,
    /// The line's ends for drawing it: `[chunks, ms]` at no chunks and at the most chunks
    /// it was fitted through.
    pub line_ends: Option<[[f64; 2]; 2]>,
}

/// One measured chunk size.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// Inputs per chunk.
    pub chunksize: usize,
    /// `ceil(tasks / chunksize)`.
    pub chunks: usize,
    /// Its runs, read against the loop.
    #[serde(flatten)]
    pub checked: Checked,
    /// The loop's median over this median.
    pub speedup: f64,
    /// Whether it beat the loop (speedup above 1).
    pub wins: bool,
    /// Whether the line was fitted through it: every worker had a chunk.
    pub fitted: bool,
    /// What its timeline says ([`Finding::ChunkTimeline`]), for the page's timeline note.
    pub timeline_reading: Option<Finding>,
}

/// A point as a finding quotes it.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct At {
    /// Inputs per chunk.
    pub chunksize: usize,
    /// Chunks in the run.
    pub chunks: usize,
    /// Median time in ms.
    pub median_ms: f64,
    /// Against the loop.
    pub speedup: f64,
}

/// How an engine's sweep reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SweepVerdict {
    /// Slower than the loop at every size.
    AlwaysSlower,
    /// Faster even at the smallest size.
    AlwaysFaster,
    /// Slower up to a size, faster from the next one.
    Crossover,
}

/// Why an engine loses again at large chunk sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LosesAgain {
    /// Fewer chunks than workers.
    TooFewChunks,
    /// Chunks that do not split evenly over the workers.
    Uneven,
    /// So few chunks that one slow chunk holds everything up.
    OneSlowChunk,
}

/// What one chunk costs, per engine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CostVerdict {
    /// Too few sizes to fit a line.
    Unfitted,
    /// No cost stood out from the noise.
    NoCost,
    /// A cost per chunk.
    Cost,
}

/// How a timeline's messaging compares with its work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineVerdict {
    /// Messaging outweighs the work.
    MessagingOutweighs,
    /// Messaging is a large share.
    MessagingLarge,
    /// The work outweighs messaging.
    WorkOutweighs,
    /// Threads: how busy the workers were.
    Busy,
}

/// The statements lesson 3 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// One engine's sweep against the loop.
    ChunkSweep {
        engine: Engine,
        verdict: SweepVerdict,
        sequential_ms: f64,
        best: At,
        first: At,
        /// The first winning size (crossover only).
        wins_from: Option<At>,
        /// The last losing size before it (crossover only).
        loses_until: Option<At>,
        /// A larger size where it loses again, and why.
        loses_again: Option<At>,
        why: Option<LosesAgain>,
        workers: usize,
        overhead_us: Option<f64>,
    },
    /// What one input's work costs.
    InputCost { sequential_ms: f64, tasks: usize, per_input_us: f64 },
    /// What one chunk costs on an engine.
    ChunkCost { engine: Engine, verdict: CostVerdict, overhead_us: Option<f64>, inputs_worth: Option<f64>, less_than_one_input: bool, crossover: Option<usize> },
    /// One engine's timeline at the learner's chunk size.
    ChunkTimeline {
        engine: Engine,
        verdict: TimelineVerdict,
        chunksize: usize,
        chunks: usize,
        tasks: usize,
        workers: usize,
        computing_ms: f64,
        messaging_ms: Option<f64>,
        /// Messaging's share of the round trips, or the workers' busy share.
        share: f64,
    },
}

/// Builds the chunk sweep's report.
pub fn report(raw: ChunksRaw) -> Result<ChunksReport, String> {
    let summary = summarize_runs(&raw.sequential, false).ok_or("the sequential loop has no timed run")?;
    let sequential_ms = summary.median;
    let Setup { tasks, workers, .. } = raw.setup;
    let mut series = Vec::new();
    for e in &raw.engines {
        let mut points = Vec::new();
        for p in &e.points {
            let checked = p.measured.check(&raw.checksum).ok_or_else(|| format!("{} at chunk size {} has no timed run", e.engine.id(), p.chunksize))?;
            let chunks = tasks.div_ceil(p.chunksize.max(1));
            let speedup = sequential_ms / checked.summary.median;
            let mut point = Point { chunksize: p.chunksize, chunks, speedup, checked, wins: speedup > 1.0, fitted: chunks >= workers, timeline_reading: None };
            point.timeline_reading = timeline_reading(e.engine, &point, tasks);
            points.push(point);
        }
        points.sort_by_key(|p| p.chunksize);
        let fitted: Vec<(f64, f64)> = points.iter().filter(|p| p.fitted).map(|p| (p.chunks as f64, p.checked.summary.median)).collect();
        let line = fit_line(&fitted);
        let most = fitted.iter().map(|(x, _)| *x).fold(0.0, f64::max);
        series.push(Series {
            engine: e.engine,
            overhead_us: line.map(|l| l.slope * 1000.0),
            crossover: line.and_then(|l| crossover(l, sequential_ms, tasks)),
            wins_from: points.iter().find(|p| p.wins).map(|p| p.chunksize),
            line_ends: line.map(|l| [[0.0, l.intercept], [most, l.intercept + l.slope * most]]),
            line,
            points,
        });
    }
    let findings = read(&raw.setup, sequential_ms, &series);
    let checked = Checked { summary, verified: true, checksum: raw.checksum, timeline: Vec::new(), stats: None };
    let sequential = Point { chunksize: tasks, chunks: 1, checked, speedup: 1.0, wins: false, fitted: false, timeline_reading: None };
    Ok(ChunksReport { setup: raw.setup, sequential, series, findings })
}

/// What one point's timeline says: for the process pool, messaging against work; for
/// threads, how busy the workers were. `None` without a timeline.
fn timeline_reading(engine: Engine, p: &Point, tasks: usize) -> Option<Finding> {
    let st = p.checked.stats?;
    let (verdict, share) = match st.messaging_ms {
        Some(m) => {
            let share = if m + st.busy_ms > 0.0 { m / (m + st.busy_ms) } else { 0.0 };
            let verdict = if share > MESSAGING_OUTWEIGHS {
                TimelineVerdict::MessagingOutweighs
            } else if share > MESSAGING_LARGE {
                TimelineVerdict::MessagingLarge
            } else {
                TimelineVerdict::WorkOutweighs
            };
            (verdict, share)
        }
        None => (TimelineVerdict::Busy, (1.0 - st.idle_fraction).clamp(0.0, 1.0)),
    };
    Some(Finding::ChunkTimeline {
        engine,
        verdict,
        chunksize: p.chunksize,
        chunks: st.chunks,
        tasks,
        workers: st.workers,
        computing_ms: st.busy_ms,
        messaging_ms: st.messaging_ms,
        share,
    })
}

/// The chunk size from which `time = intercept + slope × chunks` beats the loop's
/// `sequential_ms` over `tasks` inputs; `None` when the line says it never does.
pub fn crossover(line: Line, sequential_ms: f64, tasks: usize) -> Option<usize> {
    let spare = sequential_ms - line.intercept;
    if !(line.slope > 0.0 && spare > 0.0) {
        return None;
    }
    Some(((tasks as f64 * line.slope / spare).ceil() as usize).max(1))
}

fn at(p: &Point) -> At {
    At { chunksize: p.chunksize, chunks: p.chunks, median_ms: p.checked.summary.median, speedup: p.speedup }
}

fn read(raw: &Setup, sequential_ms: f64, series: &[Series]) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in series {
        let Some(first) = s.points.first() else { continue };
        let best = s.points.iter().min_by(|a, b| a.checked.summary.median.total_cmp(&b.checked.summary.median)).unwrap_or(first);
        let wins = |p: &Point| p.wins;
        let again = s.points.iter().find(|p| p.chunksize > best.chunksize && !wins(p));
        let why = again.map(|p| {
            if p.chunks < raw.workers {
                LosesAgain::TooFewChunks
            } else if p.chunks % raw.workers != 0 {
                LosesAgain::Uneven
            } else {
                LosesAgain::OneSlowChunk
            }
        });
        let (verdict, wins_from, loses_until) = if !wins(best) {
            (SweepVerdict::AlwaysSlower, None, None)
        } else if wins(first) {
            (SweepVerdict::AlwaysFaster, None, None)
        } else {
            let from = s.points.iter().find(|p| p.chunksize <= best.chunksize && wins(p)).unwrap_or(best);
            let until = s.points.iter().rev().find(|p| p.chunksize < from.chunksize && !wins(p)).unwrap_or(first);
            (SweepVerdict::Crossover, Some(at(from)), Some(at(until)))
        };
        let (loses_again, why) = if verdict == SweepVerdict::AlwaysSlower { (None, None) } else { (again.map(at), why) };
        out.push(Finding::ChunkSweep {
            engine: s.engine,
            verdict,
            sequential_ms,
            best: at(best),
            first: at(first),
            wins_from,
            loses_until,
            loses_again,
            why,
            workers: raw.workers,
            overhead_us: s.overhead_us.filter(|o| *o > 0.0),
        });
    }
    let per_input_us = sequential_ms * 1000.0 / raw.tasks.max(1) as f64;
    out.push(Finding::InputCost { sequential_ms, tasks: raw.tasks, per_input_us });
    for s in series {
        let verdict = match s.overhead_us {
            None => CostVerdict::Unfitted,
            Some(o) if o <= 0.0 => CostVerdict::NoCost,
            Some(_) => CostVerdict::Cost,
        };
        let inputs_worth = s.overhead_us.filter(|_| verdict == CostVerdict::Cost).map(|o| o / per_input_us);
        out.push(Finding::ChunkCost { engine: s.engine, verdict, overhead_us: s.overhead_us, inputs_worth, less_than_one_input: inputs_worth.is_some_and(|n| n < 0.95), crossover: s.crossover });
    }
    // What the timeline of the learner's own chunk size says, per engine.
    out.extend(series.iter().filter_map(|s| s.points.iter().find(|p| p.chunksize == raw.chosen)?.timeline_reading.clone()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::Span;

    fn runs(ms: f64) -> Vec<Run> {
        vec![Run { ms, warmup: false }]
    }

    fn point(chunksize: usize, ms: f64, timeline: Vec<Span>) -> PointRaw {
        PointRaw { chunksize, measured: Measured { runs: runs(ms), checksum: "k".into(), timeline } }
    }

    fn setup(tasks: usize, chosen: usize, workload: &str) -> Setup {
        Setup { workers: 2, tasks, chosen, workload: workload.into(), n: 1_000_000, repetitions: 1, warmup: 0 }
    }

    /// A sweep of 1000 inputs on 2 workers against a `loop_ms` loop: per engine, the
    /// median at each chunk size.
    fn sweep(loop_ms: f64, engines: &[(Engine, &[(usize, f64)])]) -> ChunksReport {
        let engines = engines
            .iter()
            .map(|&(engine, points)| EngineRaw { engine, points: points.iter().map(|&(chunksize, ms)| point(chunksize, ms, vec![])).collect() })
            .collect();
        report(ChunksRaw { setup: setup(1000, 1, "is_prime"), sequential: runs(loop_ms), checksum: "k".into(), engines }).unwrap()
    }

    /// A pool whose time is `work + fee × chunks` over 1000 inputs, against a 30 ms loop.
    fn pool_sweep(work: f64, fee: f64, sizes: &[usize]) -> ChunksReport {
        let points: Vec<(usize, f64)> = sizes.iter().map(|&c| (c, work + fee * 1000usize.div_ceil(c) as f64)).collect();
        sweep(30.0, &[(Engine::Processes, &points)])
    }

    #[test]
    fn the_line_gives_the_fee_and_the_crossover() {
        let r = pool_sweep(15.0, 0.1, &[1, 3, 10, 30, 100, 500]);
        let s = &r.series[0];
        assert!((s.overhead_us.unwrap() - 100.0).abs() < 1e-6);
        // 15 ms of work plus 0.1 ms per chunk beats 30 ms once chunks < 150: size ≥ 7.
        assert_eq!(s.crossover, Some(7));
        let Finding::ChunkSweep { verdict, wins_from, loses_until, .. } = &r.findings[0] else { panic!() };
        assert_eq!(*verdict, SweepVerdict::Crossover);
        assert_eq!((wins_from.unwrap().chunksize, loses_until.unwrap().chunksize), (10, 3));
        assert!(matches!(r.findings[2], Finding::ChunkCost { verdict: CostVerdict::Cost, crossover: Some(7), .. }));
        assert!(r.series[0].points.iter().all(|p| p.checked.verified));
        // The drawn line runs from no chunks to the most chunks it went through (size 1).
        let [start, end] = s.line_ends.unwrap();
        assert!((start[1] - 15.0).abs() < 1e-6 && end[0] == 1000.0 && (end[1] - 115.0).abs() < 1e-6);
        assert_eq!(s.wins_from, Some(10));
        assert_eq!((r.sequential.chunks, r.sequential.speedup, r.sequential.chunksize), (1, 1.0, 1000));
    }

    #[test]
    fn a_sweep_that_wins_then_loses_again_says_why() {
        // 1000 inputs, 10 ms loop: 80 ms at size 1, winning from 100, one chunk at 1000.
        let r = sweep(10.0, &[(Engine::Processes, &[(1, 80.0), (10, 12.0), (100, 4.0), (500, 6.0), (1000, 11.0)])]);
        let Finding::ChunkSweep { verdict, first, best, wins_from, loses_until, loses_again, why, .. } = &r.findings[0] else { panic!() };
        assert_eq!(*verdict, SweepVerdict::Crossover);
        assert!((first.speedup - 0.125).abs() < 1e-12);
        assert_eq!((best.chunksize, wins_from.unwrap().chunksize, loses_until.unwrap().chunksize), (100, 100, 10));
        assert_eq!((loses_again.unwrap().chunksize, *why), (1000, Some(LosesAgain::TooFewChunks)));
        let points = &r.series[0].points;
        assert_eq!(points.iter().map(|p| p.wins).collect::<Vec<_>>(), [false, false, true, true, false]);
        // One chunk cannot keep two workers busy, so the line leaves it out.
        assert_eq!(points.iter().map(|p| p.fitted).collect::<Vec<_>>(), [true, true, true, true, false]);
        assert_eq!(r.series[0].wins_from, Some(100));
    }

    #[test]
    fn never_winning_is_always_slower_and_an_early_win_always_faster() {
        let r = sweep(10.0, &[(Engine::Processes, &[(1, 80.0), (100, 12.0)]), (Engine::Threads, &[(1, 9.0), (100, 5.0)])]);
        let Finding::ChunkSweep { verdict, best, loses_again, .. } = &r.findings[0] else { panic!() };
        assert_eq!((*verdict, best.chunksize, *loses_again), (SweepVerdict::AlwaysSlower, 100, None));
        let Finding::ChunkSweep { verdict, best, .. } = &r.findings[1] else { panic!() };
        assert_eq!((*verdict, best.chunksize), (SweepVerdict::AlwaysFaster, 100));
        assert_eq!(r.series[0].wins_from, None);
    }

    #[test]
    fn a_chunk_is_priced_in_inputs_of_work() {
        // 10 ms for 1000 inputs is 10 µs each; the pool's fee is 50 µs, threads' none.
        let pool: Vec<(usize, f64)> = [1, 10, 100].iter().map(|&c| (c, 5.0 + 0.05 * 1000usize.div_ceil(c) as f64)).collect();
        let r = sweep(10.0, &[(Engine::Processes, &pool), (Engine::Threads, &[(1, 4.0), (10, 5.0), (100, 6.0)])]);
        assert!(matches!(r.findings[2], Finding::InputCost { per_input_us, tasks: 1000, .. } if (per_input_us - 10.0).abs() < 1e-9));
        let Finding::ChunkCost { verdict, inputs_worth, less_than_one_input, crossover, .. } = &r.findings[3] else { panic!() };
        assert_eq!((*verdict, *less_than_one_input), (CostVerdict::Cost, false));
        assert!((inputs_worth.unwrap() - 5.0).abs() < 1e-6);
        // 1000 × 0.05 / (10 − 5): from 10 inputs per chunk.
        assert_eq!(*crossover, Some(10));
        assert!(matches!(r.findings[4], Finding::ChunkCost { verdict: CostVerdict::NoCost, inputs_worth: None, .. }));
        let one = sweep(10.0, &[(Engine::Processes, &[(100, 4.0)])]);
        assert!(matches!(one.findings[2], Finding::ChunkCost { verdict: CostVerdict::Unfitted, .. }));
        assert_eq!(one.series[0].line_ends, None);
    }

    #[test]
    fn always_slower_and_always_faster() {
        let slow = pool_sweep(40.0, 0.1, &[1, 10, 100]);
        assert!(matches!(slow.findings[0], Finding::ChunkSweep { verdict: SweepVerdict::AlwaysSlower, .. }));
        let fast = pool_sweep(10.0, 0.001, &[1, 10, 100]);
        assert!(matches!(fast.findings[0], Finding::ChunkSweep { verdict: SweepVerdict::AlwaysFaster, .. }));
    }

    #[test]
    fn no_crossover_when_the_work_alone_loses() {
        assert_eq!(crossover(Line { slope: 0.1, intercept: 40.0 }, 30.0, 1000), None);
        assert_eq!(crossover(Line { slope: -0.1, intercept: 10.0 }, 30.0, 1000), None);
    }

    #[test]
    fn a_pool_timeline_weighs_messaging_against_work() {
        let span = |w, s: f64| Span { chunk: w, first: 2 * w, len: 2, worker: w, start_ms: s + 1.0, end_ms: s + 2.0, wait_ms: 0.0, sent_ms: Some(s), received_ms: Some(s + 4.0) };
        let engines = vec![EngineRaw { engine: Engine::Processes, points: vec![point(2, 8.0, vec![span(0, 0.0), span(1, 0.0)])] }];
        let raw = ChunksRaw { setup: setup(4, 2, "square"), sequential: runs(10.0), checksum: "k".into(), engines };
        let r = report(raw).unwrap();
        let Some(Finding::ChunkTimeline { verdict, share, .. }) = r.findings.last() else { panic!() };
        assert_eq!(*verdict, TimelineVerdict::MessagingOutweighs);
        assert!((share - 0.75).abs() < 1e-12);
        // The point carries the same reading, for whichever timeline the page shows.
        assert_eq!(r.series[0].points[0].timeline_reading.as_ref(), r.findings.last());
    }
}
