//! The job marketplace's rules (issue 18), pure: what a listing may say and
//! how its status moves ([`listing`]), how an application moves and who may
//! move it ([`application`]), what each command does to the rows
//! ([`decide`]), and how well a candidate fits ([`matching`]). The jobs
//! actor (`jobs_actor.rs`) applies them one command at a time.

pub mod application;
pub mod decide;
pub mod listing;
pub mod matching;
