//! The job marketplace's rules (issue 18), pure: what a listing may say and
//! how its status moves ([`listing`]), how an application moves and who may
//! move it ([`application`]), and how well a candidate fits ([`matching`]).
//! The actor, store and routes that use them come next (see the issue note).

pub mod application;
pub mod listing;
pub mod matching;
