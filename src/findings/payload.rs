//! Copying (lesson 4): what it costs to get a buffer to a worker by copy (structured
//! clone), by transfer, or not at all (shared memory), at one or more sizes.

use super::thresholds::*;
use super::WithFindings;
use crate::measurement::{summarize, Summary};
use serde::{Deserialize, Serialize};

/// The sizes shipped: as the driver measured them ([`SizeRaw`]) and as the report
/// shows them ([`Size`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sizes<S> {
    /// The page's timer resolution, in ms: shipping times at or below it read as "under".
    pub resolution_ms: f64,
    /// Each size: as sent, one entry per size, ascending; in the report, sorted by size.
    pub sizes: Vec<S>,
}

/// What the driver measured.
pub type PayloadRaw = Sizes<SizeRaw>;

/// One payload size.
#[derive(Clone, Debug, Deserialize)]
pub struct SizeRaw {
    /// Bytes shipped.
    pub bytes: u64,
    /// Copy, transfer and shared, in that order.
    pub modes: Vec<ModeRaw>,
}

/// One way of shipping.
#[derive(Clone, Debug, Deserialize)]
pub struct ModeRaw {
    /// Which, and whether it could be measured here.
    #[serde(flatten)]
    pub state: ModeState,
    /// Per run: from posting to the worker holding the bytes, in ms.
    #[serde(default)]
    pub ship: Vec<f64>,
    /// Per run: the worker touching every byte, in ms.
    #[serde(default)]
    pub compute: Vec<f64>,
}

/// A mode and whether it ran: as sent, and as a size's summary shows it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModeState {
    /// `copy`, `transfer` or `shared`.
    pub mode: Mode,
    /// Whether it could be measured here.
    pub available: bool,
    /// Why not, if not.
    #[serde(default)]
    pub reason: String,
}

/// The ways to get bytes to a worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// A structured clone: every byte copied.
    Copy,
    /// A Transferable: the buffer changes owner.
    Transfer,
    /// A SharedArrayBuffer: both sides see the same memory.
    Shared,
}

/// The finished measurement: each size summarised, then what the largest size says and
/// how shipping grew with size.
pub type PayloadReport = WithFindings<Sizes<Size>, Finding>;

/// One size, summarised.
#[derive(Clone, Debug, Serialize)]
pub struct Size {
    /// Bytes shipped.
    pub bytes: u64,
    /// Each mode.
    pub modes: Vec<ModeSummary>,
    /// The worker's time to use the bytes, in ms: the median of the measured modes'
    /// medians (the work is the same whichever way the bytes came).
    pub compute: Option<f64>,
}

/// One mode at one size.
#[derive(Clone, Debug, Serialize)]
pub struct ModeSummary {
    /// The mode, and whether it was measured.
    #[serde(flatten)]
    pub state: ModeState,
    /// Shipping times.
    pub ship: Option<Summary>,
    /// Time for the worker to use the bytes.
    pub compute: Option<Summary>,
    /// Every shipping time, in run order.
    pub ship_runs: Vec<f64>,
    /// Shipping's median over computing's; `None` when computing took no more than the
    /// timer's resolution, which no ratio can be read from.
    pub ratio: Option<f64>,
}

/// How copying compares with the work on the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CopyVerdict {
    /// The work took no measurable time.
    Unknown,
    /// Moving the data cost more than the work.
    MoreThanWork,
    /// A large extra cost.
    Large,
    /// A small share.
    Small,
}

/// The statements lesson 4 makes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Finding {
    /// A mode that could not run here.
    ModeUnavailable { mode: Mode, reason: String },
    /// Copying, against the worker's work on the data.
    Copied { bytes: u64, ship_ms: f64, under_resolution: bool, compute_ms: f64, ratio: Option<f64>, verdict: CopyVerdict, bytes_per_second: Option<f64> },
    /// Transferring, against copying.
    Transferred { bytes: u64, ship_ms: f64, under_resolution: bool, quicker_than_copy: Option<f64> },
    /// Sharing.
    Shared { bytes: u64, ship_ms: f64, under_resolution: bool },
    /// Whether the bytes or the message cost, at this size.
    BytesOrMessage { bytes: u64, message_costs: bool },
    /// From the smallest to the largest size.
    Growth { small: u64, big: u64, growth: f64, copy: Option<[f64; 2]>, transfer: Option<[f64; 2]>, shared: Option<[f64; 2]> },
}

/// Builds the report.
pub fn report(raw: PayloadRaw) -> Result<PayloadReport, String> {
    let mut sizes: Vec<Size> = raw
        .sizes
        .iter()
        .map(|s| Size {
            bytes: s.bytes,
            modes: s
                .modes
                .iter()
                .map(|m| {
                    let (ship, compute) = (summarize(&m.ship), summarize(&m.compute));
                    let ratio = ship.zip(compute).filter(|(_, c)| c.median > raw.resolution_ms).map(|(s, c)| s.median / c.median);
                    ModeSummary { state: m.state.clone(), ship, compute, ship_runs: m.ship.clone(), ratio }
                })
                .collect(),
            compute: None,
        })
        .collect();
    for size in &mut sizes {
        let medians: Vec<f64> = size.modes.iter().filter(|m| m.state.available).filter_map(|m| m.compute).map(|c| c.median).collect();
        size.compute = summarize(&medians).map(|s| s.median);
    }
    sizes.sort_by_key(|s| s.bytes);
    for s in &sizes {
        if let Some(m) = s.modes.iter().find(|m| m.state.available && (m.ship.is_none() || m.compute.is_none())) {
            return Err(format!("{:?} at {} bytes has no timed run", m.state.mode, s.bytes));
        }
    }
    let findings = read(&sizes, raw.resolution_ms);
    Ok(PayloadReport { measured: Sizes { resolution_ms: raw.resolution_ms, sizes }, findings })
}

fn median(size: &Size, mode: Mode) -> Option<f64> {
    size.modes.iter().find(|m| m.state.mode == mode && m.state.available).and_then(|m| m.ship).map(|s| s.median)
}

fn read(sizes: &[Size], resolution: f64) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(latest) = sizes.last() else { return out };
    let bytes = latest.bytes;
    let copy = median(latest, Mode::Copy);
    for m in &latest.modes {
        let (Some(ship), Some(compute)) = (m.ship.filter(|_| m.state.available), m.compute) else {
            out.push(Finding::ModeUnavailable { mode: m.state.mode, reason: m.state.reason.clone() });
            continue;
        };
        let ship_ms = ship.median;
        let under_resolution = ship_ms <= resolution;
        out.push(match m.state.mode {
            Mode::Copy => {
                let ratio = (compute.median > 0.0).then(|| ship_ms / compute.median);
                let verdict = match ratio {
                    None => CopyVerdict::Unknown,
                    Some(r) if r >= 1.0 => CopyVerdict::MoreThanWork,
                    Some(r) if r >= COPY_LARGE => CopyVerdict::Large,
                    Some(_) => CopyVerdict::Small,
                };
                let bytes_per_second = (ship_ms > 0.0 && bytes >= 1_000_000).then(|| bytes as f64 / ship_ms * 1000.0);
                Finding::Copied { bytes, ship_ms, under_resolution, compute_ms: compute.median, ratio, verdict, bytes_per_second }
            }
            Mode::Transfer => {
                let quicker_than_copy = copy.filter(|c| ship_ms > 0.0 && *c > ship_ms).map(|c| c / ship_ms);
                Finding::Transferred { bytes, ship_ms, under_resolution, quicker_than_copy }
            }
            Mode::Shared => Finding::Shared { bytes, ship_ms, under_resolution },
        });
    }
    if let (Some(c), Some(t)) = (copy, median(latest, Mode::Transfer)) {
        out.push(Finding::BytesOrMessage { bytes, message_costs: c <= COPY_TIES_TRANSFER * t.max(resolution) });
    }
    if sizes.len() >= 2 {
        let (small, big) = (&sizes[0], latest);
        let pair = |mode| Some([median(small, mode)?, median(big, mode)?]);
        out.push(Finding::Growth {
            small: small.bytes,
            big: big.bytes,
            growth: big.bytes as f64 / small.bytes.max(1) as f64,
            copy: pair(Mode::Copy),
            transfer: pair(Mode::Transfer),
            shared: pair(Mode::Shared),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(mode: Mode, ship: f64, compute: f64) -> ModeRaw {
        ModeRaw { state: ModeState { mode, available: true, reason: String::new() }, ship: vec![ship, ship * 1.1], compute: vec![compute, compute] }
    }

    fn size(bytes: u64, copy: f64, transfer: f64) -> SizeRaw {
        SizeRaw {
            bytes,
            modes: vec![mode(Mode::Copy, copy, 10.0), mode(Mode::Transfer, transfer, 10.0), ModeRaw { state: ModeState { mode: Mode::Shared, available: false, reason: "not isolated".into() }, ship: vec![], compute: vec![] }],
        }
    }

    #[test]
    fn big_copies_cost_the_bytes() {
        let r = report(PayloadRaw { resolution_ms: 0.005, sizes: vec![size(64_000_000, 96.0, 0.5), size(1_000, 0.05, 0.05)] }).unwrap();
        assert_eq!(r.measured.sizes[0].bytes, 1_000, "sorted by size");
        assert!(matches!(r.findings[0], Finding::Copied { verdict: CopyVerdict::MoreThanWork, bytes: 64_000_000, .. }));
        let Finding::Transferred { quicker_than_copy, .. } = &r.findings[1] else { panic!() };
        assert!(quicker_than_copy.unwrap() > 100.0);
        assert_eq!(r.findings[2], Finding::ModeUnavailable { mode: Mode::Shared, reason: "not isolated".into() });
        assert!(r.findings.contains(&Finding::BytesOrMessage { bytes: 64_000_000, message_costs: false }));
        assert!(matches!(r.findings.last(), Some(Finding::Growth { shared: None, .. })));
        let copy = &r.measured.sizes[1].modes[0];
        assert!((copy.ratio.unwrap() - 96.0 / 10.0 * 1.05).abs() < 1e-9, "{copy:?}");
        assert_eq!(r.measured.sizes[1].compute, Some(10.0));
        assert_eq!(r.measured.sizes[1].modes[2].ratio, None);
    }

    #[test]
    fn work_below_the_timer_has_no_ratio() {
        let quick = SizeRaw { bytes: 1_000, modes: vec![mode(Mode::Copy, 0.3, 0.1), mode(Mode::Transfer, 0.2, 0.3), mode(Mode::Shared, 0.1, 0.5)] };
        let r = report(PayloadRaw { resolution_ms: 0.1, sizes: vec![quick] }).unwrap();
        let ratios: Vec<Option<f64>> = r.measured.sizes[0].modes.iter().map(|m| m.ratio).collect();
        assert_eq!(ratios[0], None);
        assert!((ratios[1].unwrap() - 0.21 / 0.3).abs() < 1e-9);
        // The worker's time is the middle of the three modes' medians.
        assert_eq!(r.measured.sizes[0].compute, Some(0.3));
    }

    #[test]
    fn small_payloads_cost_the_message() {
        let r = report(PayloadRaw { resolution_ms: 0.2, sizes: vec![size(1_000, 0.1, 0.1)] }).unwrap();
        assert!(r.findings.contains(&Finding::BytesOrMessage { bytes: 1_000, message_costs: true }));
        assert!(matches!(r.findings[0], Finding::Copied { under_resolution: true, verdict: CopyVerdict::Small, .. }));
        assert!(!r.findings.iter().any(|f| matches!(f, Finding::Growth { .. })));
    }
}
