//! The named thresholds every verdict is read against. A number that decides what a
//! sentence says lives here, once, with the reason it has the value it has; nothing on
//! the page repeats them.

/// A speedup at or below this is "hardly faster" than sequential: repeated runs of the
/// same map on a busy desktop differ by up to about 15%.
pub const HARDLY_FASTER: f64 = 1.15;

/// A speedup below this is "slower than sequential", beyond the noise between runs.
pub const SLOWER: f64 = 0.9;

/// A measured share of the ideal at or above this is "close to the ideal".
pub const CLOSE_TO_IDEAL: f64 = 0.85;

/// A share of the ideal above this cannot be real: more lanes than exist would be
/// needed. Anything above the physical limit is measurement noise.
pub const ABOVE_IDEAL: f64 = 1.0;

/// A share of the ideal at or above this is "as close as measurement can tell".
pub const AS_CLOSE_AS_MEASURABLE: f64 = 0.98;

/// The GIL engine's sweep is "flat" while its best point stays at or below this.
pub const GIL_FLAT: f64 = 1.2;

/// Past the core count, a gain of at most this much over the point at the core count
/// is workers "taking turns"; more than that means the earlier point was slowed.
pub const TAKING_TURNS_GAIN: f64 = 0.1;

/// A fitted serial fraction at or below this is "no serial part at all".
pub const NO_SERIAL_PART: f64 = 0.0005;

/// A fitted serial fraction at or above this is "all serial".
pub const ALL_SERIAL: f64 = 0.995;

/// A fitted serial fraction within this of the one built into the job is "close".
pub const FIT_CLOSE: f64 = 0.05;

/// A serial fraction is not fitted when fitting the runs' fastest and slowest readings
/// leaves it anywhere in a range wider than this: the points cannot pin it down.
pub const FIT_UNPINNED: f64 = 0.25;

/// Idle time worth mentioning: at least this share of the workers' time.
pub const IDLE_WORTH_MENTIONING: f64 = 0.05;

/// A first run this much slower than the warm median is a cold start.
pub const COLD_START_EXCESS: f64 = 0.1;

/// A fresh pool's first run this many times the warm median shows code still compiling.
pub const COLD_POOL_RATIO: f64 = 1.5;

/// Messaging above this share of a chunk's round trip outweighs the work...
pub const MESSAGING_OUTWEIGHS: f64 = 0.5;

/// ...and above this share is a large part of it.
pub const MESSAGING_LARGE: f64 = 0.2;

/// A copy costing this share of the work on the data is a large extra cost.
pub const COPY_LARGE: f64 = 0.2;

/// Copying within this factor of transferring means the message, not the bytes, costs.
pub const COPY_TIES_TRANSFER: f64 = 3.0;

/// Atomic increments slower than combining by more than this factor are "slower".
pub const ATOMIC_SLOWER: f64 = 1.15;

/// A sweep reads as "fewer real cores than reported" when half the reported count of
/// workers still reaches this share of the ideal...
pub const HALF_THE_CORES_EFFICIENT: f64 = 0.75;

/// ...and the full count gains less than this over half of it: what a second hardware
/// thread on each physical core typically adds (0 to 30%) for a busy loop.
pub const SECOND_THREAD_GAIN: f64 = 0.3;
