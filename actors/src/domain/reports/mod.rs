//! Reports computed from what the studio holds in memory: pure functions of
//! artists, bookings, a project plan and the studio's settings, with no I/O.
//!
//! * [`utilization`](utilization()) — per artist and day or week: working
//!   hours available and booked, by status.
//! * [`allocation`](allocation()) — a project's planned vs booked artist-days
//!   per phase and skill.
//! * [`utilization_csv`] / [`allocation_csv`] — the same as CSV.
//!
//! Both reports measure time in the studio's working hours, laid out once per
//! report in `working` (its time zone, DST included), so a booking over a
//! night or a weekend counts only the hours someone works.

mod allocation;
mod csv;
mod utilization;
mod working;

pub use allocation::{NO_SKILL, ON_PLAN_TOLERANCE_DAYS, allocation};
pub use csv::{ALLOCATION_HEADER, UTILIZATION_HEADER, allocation_csv, utilization_csv};
pub use utilization::{MAX_DAYS_BY_DAY, MAX_DAYS_BY_WEEK, UtilizationFilter, utilization};

#[cfg(test)]
mod tests;
