//! The pure domain: booking rules and the per-artist calendar. No tokio, no I/O;
//! actors own these values and feed them commands.
//!
//! * [`calendar`] — the interval index of one artist (overlaps, free windows).
//! * [`artist_book`] — one artist's bookings: `decide_*` turns a command into an
//!   event or a [`DomainError`](crate::error::DomainError); `apply` applies an event.
//! * [`availability`] — working hours, holidays, time off: why a range is
//!   not workable, and the free time left.
//! * [`artist_edit`] — profile changes and time off (request, decide, cancel).
//! * [`validate`] — input checks shared by every entry point.
//! * [`project`] — every project of a studio: phases, dependencies (a DAG),
//!   milestones, re-planning and the schedule.
//! * [`reports`] — utilization and allocation reports (and their CSV) over working hours.
//! * [`jobs`] — the job marketplace: listings, applications, matching (issue 18, rules only so far).
//! * [`quiet_hours`] — when a member wants no email.
//! * [`settings`] — a studio's settings (default hold, working week) and the
//!   validation of a change to them.

pub mod artist_book;
pub mod artist_edit;
pub mod availability;
pub mod calendar;
pub mod jobs;
pub mod project;
pub mod quiet_hours;
pub mod reports;
pub mod settings;
pub mod validate;

#[cfg(test)]
mod props;

pub use artist_book::{
    ArtistBook, Availability, CheckResult, DecideCtx, Draft, Fit, NotifyCtx, time_off_decided, user_of,
};
pub use calendar::Calendar;
pub use settings::{SettingsPatch, StudioSettings, WorkingWeek};
