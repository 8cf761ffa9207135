//! Process-wide counters that matter to an operator. (A Prometheus endpoint
//! comes later; `/readyz` and the logs report these meanwhile.)

use std::sync::atomic::AtomicU64;

/// Accepted commands the store refused and that were undone (invariant breaches).
pub static REVERTED: AtomicU64 = AtomicU64::new(0);
/// Commands refused with `overloaded`.
pub static OVERLOADED: AtomicU64 = AtomicU64::new(0);
