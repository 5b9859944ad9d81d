//! Timelines: what one run's per-chunk records say about who was busy, and when.
//!
//! A span is one chunk on one worker. Every engine records when its worker started and
//! finished the chunk; the GIL engine adds the time spent waiting for the lock inside it,
//! and the process pool adds when the chunk was posted and when its answer came back, so
//! the time spent copying messages can be told from the time spent computing.
//!
//! This module only reads records; drawing them is the page's business.

use serde::{Deserialize, Serialize};

/// One chunk on one worker, in ms since the run started.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// The chunk's position in the plan.
    #[serde(default)]
    pub chunk: usize,
    /// The index of its first input.
    #[serde(default)]
    pub first: usize,
    /// How many inputs it holds.
    #[serde(default)]
    pub len: usize,
    /// The lane (thread or pool worker) that ran the chunk, from 0.
    pub worker: usize,
    /// When the worker started computing the chunk.
    pub start_ms: f64,
    /// When the worker finished it.
    pub end_ms: f64,
    /// Time inside the span spent waiting for a global lock (GIL engine).
    #[serde(default)]
    pub wait_ms: f64,
    /// When the chunk was posted to its worker (process pool).
    #[serde(default)]
    pub sent_ms: Option<f64>,
    /// When the chunk's answer was back with the sender (process pool).
    #[serde(default)]
    pub received_ms: Option<f64>,
}

impl Span {
    /// Time the chunk's messages spent in transit (out and back), if they were recorded.
    pub fn messaging_ms(&self) -> Option<f64> {
        let (sent, received) = (self.sent_ms?, self.received_ms?);
        Some((self.start_ms - sent).max(0.0) + (received - self.end_ms).max(0.0))
    }
}

/// The figures a lesson reads off one run's timeline.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TimelineStats {
    /// Distinct workers that ran a chunk.
    pub workers: usize,
    /// Chunks in the run.
    pub chunks: usize,
    /// From the run's start to the last chunk's end (or its answer's arrival), in ms.
    pub makespan_ms: f64,
    /// Time the workers spent inside chunks, summed, in ms.
    pub busy_ms: f64,
    /// Time spent waiting for the lock inside chunks, summed, in ms.
    pub wait_ms: f64,
    /// The share of the workers' time (`workers × makespan`) spent outside chunks.
    pub idle_fraction: f64,
    /// Time chunks spent being copied to workers and back, summed (process pool only).
    pub messaging_ms: Option<f64>,
}

/// Reads one run's spans; `None` for an empty timeline or a non-finite time.
pub fn stats(spans: &[Span]) -> Option<TimelineStats> {
    if spans.is_empty() || spans.iter().any(|s| !(s.start_ms.is_finite() && s.end_ms.is_finite())) {
        return None;
    }
    let mut workers: Vec<usize> = spans.iter().map(|s| s.worker).collect();
    workers.sort_unstable();
    workers.dedup();
    let makespan_ms = spans.iter().map(|s| s.received_ms.unwrap_or(s.end_ms).max(s.end_ms)).fold(0.0, f64::max);
    let busy_ms: f64 = spans.iter().map(|s| (s.end_ms - s.start_ms).max(0.0)).sum();
    let capacity = workers.len() as f64 * makespan_ms;
    let messaged: Vec<f64> = spans.iter().filter_map(Span::messaging_ms).collect();
    Some(TimelineStats {
        workers: workers.len(),
        chunks: spans.len(),
        makespan_ms,
        busy_ms,
        wait_ms: spans.iter().map(|s| s.wait_ms).sum(),
        idle_fraction: if capacity > 0.0 { (1.0 - busy_ms / capacity).max(0.0) } else { 0.0 },
        messaging_ms: (!messaged.is_empty()).then(|| messaged.iter().sum()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_without_the_optional_times_reads_as_none() {
        let bare: Span = serde_json::from_value(serde_json::json!({ "worker": 1, "start_ms": 0.5, "end_ms": 2.0 })).unwrap();
        assert_eq!(bare, Span { len: 0, ..span(1, 0.5, 2.0) });
        assert!(serde_json::from_value::<Span>(serde_json::json!({ "start_ms": 0.5, "end_ms": 2.0 })).is_err(), "the lane is required");
    }

    fn span(worker: usize, start_ms: f64, end_ms: f64) -> Span {
        Span { chunk: 0, first: 0, len: 1, worker, start_ms, end_ms, wait_ms: 0.0, sent_ms: None, received_ms: None }
    }

    #[test]
    fn two_busy_workers_and_one_idle_gap() {
        let s = stats(&[span(0, 0.0, 10.0), span(1, 0.0, 5.0)]).unwrap();
        assert_eq!((s.workers, s.chunks, s.makespan_ms, s.busy_ms), (2, 2, 10.0, 15.0));
        assert!((s.idle_fraction - 0.25).abs() < 1e-12);
        assert_eq!(s.messaging_ms, None);
    }

    #[test]
    fn messages_count_out_and_back() {
        let posted = Span { sent_ms: Some(1.0), received_ms: Some(14.0), ..span(0, 3.0, 10.0) };
        assert_eq!(posted.messaging_ms(), Some(6.0));
        let s = stats(&[posted]).unwrap();
        assert_eq!((s.makespan_ms, s.messaging_ms), (14.0, Some(6.0)));
    }

    #[test]
    fn nothing_to_read() {
        assert_eq!(stats(&[]), None);
        assert_eq!(stats(&[span(0, 0.0, f64::NAN)]), None);
    }
}
