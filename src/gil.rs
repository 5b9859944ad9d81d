//! A global interpreter lock, modelled on CPython's: one lock that a thread must hold to
//! compute, handed to the longest-waiting thread once the holder has run for a switch
//! interval and someone is waiting.
//!
//! It exists so the "threads with a GIL" engine shows, on real threads, why Python
//! threads do not speed up CPU-bound work. It is not a general-purpose lock.

use std::sync::{Condvar, Mutex, PoisonError};

/// CPython's default switch interval (`sys.getswitchinterval()`), in milliseconds.
pub const DEFAULT_SWITCH_INTERVAL_MS: f64 = 5.0;

/// A fair (first come, first served) lock with an interval-based hand-over.
#[derive(Debug, Default)]
pub struct Gil {
    tickets: Mutex<Tickets>,
    turn_changed: Condvar,
}

#[derive(Debug, Default)]
struct Tickets {
    next: u64,
    serving: u64,
}

impl Gil {
    /// A free lock.
    pub fn new() -> Self {
        Gil::default()
    }

    /// Blocks until the calling thread holds the lock.
    pub fn acquire(&self) {
        let mut tickets = self.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = tickets.next;
        tickets.next += 1;
        while tickets.serving != mine {
            tickets = self.turn_changed.wait(tickets).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Lets the next waiting thread in. Only the holder may call this.
    pub fn release(&self) {
        let mut tickets = self.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        tickets.serving += 1;
        drop(tickets);
        self.turn_changed.notify_all();
    }

    /// Whether some thread is queued behind the holder.
    pub fn is_contended(&self) -> bool {
        let tickets = self.tickets.lock().unwrap_or_else(PoisonError::into_inner);
        tickets.next > tickets.serving + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn only_one_holder_at_a_time() {
        let gil = Arc::new(Gil::new());
        let inside = Arc::new(AtomicBool::new(false));
        let entries = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (gil, inside, entries) = (gil.clone(), inside.clone(), entries.clone());
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        gil.acquire();
                        assert!(!inside.swap(true, Ordering::SeqCst), "two holders at once");
                        entries.fetch_add(1, Ordering::SeqCst);
                        inside.store(false, Ordering::SeqCst);
                        gil.release();
                    }
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(entries.load(Ordering::SeqCst), 800);
    }

    #[test]
    fn contention_is_visible_to_the_holder() {
        let gil = Arc::new(Gil::new());
        gil.acquire();
        assert!(!gil.is_contended());
        let waiter = {
            let gil = gil.clone();
            std::thread::spawn(move || {
                gil.acquire();
                gil.release();
            })
        };
        while !gil.is_contended() {
            std::thread::yield_now();
        }
        gil.release();
        waiter.join().unwrap();
        assert!(!gil.is_contended());
    }
}
