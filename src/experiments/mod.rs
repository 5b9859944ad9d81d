//! Experiments that are more than one `map`: the lessons on shared state and on
//! Amdahl's law need work shaped differently, so they live here, each in its own module.
//! Like the engines, they take a [`Clock`](crate::engines::Clock) and run on the current
//! rayon pool; they know nothing of the page.

pub mod serial_fraction;
pub mod shared_state;
