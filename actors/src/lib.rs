//! # pt-actors — the booking engine
//!
//! ## Layout
//! * [`domain`] — pure rules: the per-artist calendar index and booking state
//!   machine ([`domain::ArtistBook`]); no tokio, no I/O; property-tested.
//! * Actors (ractor), one concept per file:
//!   * [`registry`] — tenant id → active [`tenant::Tenant`], lazily activated.
//!   * [`tenant`] — the handle the server calls: routes commands, answers reads.
//!   * [`tenant_actor`] — artist profiles; supervises the artist actors.
//!   * [`artist_actor`] — one per artist; serializes that artist's booking commands.
//!   * [`log`] — one per tenant; assigns `seq`, dedups `cmd_id`, bounds in-flight work.
//!   * [`writer`] — one task per tenant; group-commits to the store, publishes `durable_seq`.
//!   * [`view`] — one per tenant; the read model realtime subscribers follow (snapshots, tail, broadcast).
//!   * [`presence`] — one per tenant; who is in which view, as diffs.
//!   * [`inbox_actor`] — one per tenant; marks notifications read (they are
//!     decided by the artist actors, with the changes that cause them).
//!   * [`jobs_actor`] — one per tenant; the job marketplace's listings and
//!     applications, decided from the store.
//!   * [`owners`] — one per tenant; which actor owns which artist and booking.
//! * [`store`] — the `Store` trait and its PostgreSQL implementation.
//! * [`command`] / [`error`] — what a command carries and how it fails.
//!
//! ## Ordering guarantees
//! * One artist's commands are decided one at a time, in mailbox order.
//! * An event is applied in memory only after the log accepted it; the log
//!   assigns `seq` in acceptance order, and the writer persists in `seq` order.
//! * `durable_seq = n` means every command with `seq ≤ n` is committed or was
//!   reverted (and its caller told so).

pub mod artist_actor;
pub mod command;
pub mod domain;
pub mod error;
pub mod inbox_actor;
pub mod jobs_actor;
pub mod log;
pub mod metrics;
pub mod owners;
pub mod presence;
pub mod project_actor;
pub mod registry;
pub mod store;
pub mod tenant;
pub mod tenant_actor;
mod tenant_inbox;
mod tenant_jobs;
mod tenant_projects;
pub mod view;
pub mod writer;

pub use command::{Accepted, CommandError};
pub use registry::{EngineConfig, Registry};
pub use tenant::{CmdInput, Tenant};
pub use tenant_actor::ArtistEdit;
pub use tenant_inbox::MAX_PAGE as MAX_NOTIFICATION_PAGE;
