//! How well someone fits a listing, as a score out of 100 with one reason
//! per part, so a manager sees why ("compositing 4 ≥ 3; free 9 of 10 days;
//! rate within range"):
//!
//! * **skills, 50 points**: the average over the listing's requirements of
//!   `min(level / minLevel, 1)` (a missing skill counts 0; a skill tagged
//!   without a level — [`UNRATED`] — counts half: "compositing, level not given");
//! * **free time, 35 points**: the share of the listing's working days the
//!   candidate is free (from the availability model: bookings, time off,
//!   working hours, holidays);
//! * **rate, 15 points**: full within the range or below it; above it, in
//!   proportion (`max / rate`); half when the rate is unknown or in another
//!   currency; full when the listing names no range.

use pt_protocol::SkillLevel;
use pt_protocol::job::{JobListing, JobMatch};

/// The level of a skill an artist is tagged with but never rated (profile
/// levels are 1 to 5): see [`Candidate::with_tags`].
pub const UNRATED: u8 = 0;

const SKILLS: f64 = 50.0;
const FREE: f64 = 35.0;
const RATE: f64 = 15.0;

/// What is known of a candidate, for one listing.
#[derive(Clone, Debug)]
pub struct Candidate<'a> {
    pub skills: &'a [SkillLevel],
    /// Of the working days in the listing's dates, how many the candidate
    /// is free, and how many there are; `None` when unknown (an applicant
    /// who is not yet one of the studio's artists): half the points.
    pub free: Option<(u32, u32)>,
    /// The candidate's day rate and its currency, if known.
    pub rate: Option<(u32, &'a str)>,
}

impl Candidate<'_> {
    /// An artist's rated skills (their profile's levels) and, unrated
    /// ([`UNRATED`]), the skill tags the profile does not rate.
    pub fn with_tags(rated: &[SkillLevel], tags: &[String]) -> Vec<SkillLevel> {
        let mut all = rated.to_vec();
        for t in tags {
            if !all.iter().any(|s| s.name.eq_ignore_ascii_case(t)) {
                all.push(SkillLevel { name: t.clone(), level: UNRATED, years: None });
            }
        }
        all
    }
}

pub fn score(job: &JobListing, c: &Candidate<'_>) -> JobMatch {
    let mut reasons = Vec::new();
    let skills = if job.skills.is_empty() {
        reasons.push("no skills asked for".to_owned());
        1.0
    } else {
        let mut sum = 0.0;
        for req in &job.skills {
            let level = c.skills.iter().find(|s| s.name.eq_ignore_ascii_case(&req.skill)).map(|s| s.level);
            match level {
                Some(UNRATED) => {
                    reasons.push(format!("{}, level not given", req.skill));
                    sum += 0.5;
                }
                Some(l) if l >= req.min_level => {
                    reasons.push(format!("{} {l} ≥ {}", req.skill, req.min_level));
                    sum += 1.0;
                }
                Some(l) => {
                    reasons.push(format!("{} {l} < {}", req.skill, req.min_level));
                    sum += f64::from(l) / f64::from(req.min_level.max(1));
                }
                None => reasons.push(format!("no {}", req.skill)),
            }
        }
        sum / job.skills.len() as f64
    };
    let free = match c.free {
        None => {
            reasons.push("free days unknown".to_owned());
            0.5
        }
        Some((_, 0)) => {
            reasons.push("no working days in the dates".to_owned());
            0.0
        }
        Some((free, working)) => {
            let free = free.min(working);
            reasons.push(format!("free {free} of {working} days"));
            f64::from(free) / f64::from(working)
        }
    };
    let rate = match (&job.rate, c.rate) {
        (None, _) => {
            reasons.push("no rate range".to_owned());
            1.0
        }
        (Some(_), None) => {
            reasons.push("rate unknown".to_owned());
            0.5
        }
        (Some(r), Some((_, cur))) if cur != r.currency => {
            reasons.push(format!("rate in {cur}, range in {}", r.currency));
            0.5
        }
        (Some(r), Some((amount, _))) if amount <= r.max => {
            reasons.push(if amount < r.min { "rate below range" } else { "rate within range" }.to_owned());
            1.0
        }
        (Some(r), Some((amount, _))) => {
            reasons.push(format!("rate {amount} > {}", r.max));
            f64::from(r.max) / f64::from(amount)
        }
    };
    let total = SKILLS * skills + FREE * free + RATE * rate;
    JobMatch { score: total.round().clamp(0.0, 100.0) as u8, reasons }
}

/// Whether a new listing is worth a job alert to someone with `skills`: it
/// asks for skills, and they have every one at its minimum level or above.
pub fn alerts(job: &JobListing, skills: &[SkillLevel]) -> bool {
    !job.skills.is_empty()
        && job
            .skills
            .iter()
            .all(|req| skills.iter().any(|s| s.name.eq_ignore_ascii_case(&req.skill) && s.level >= req.min_level))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::jobs::listing::tests::listing;
    use proptest::prelude::*;

    fn skill(name: &str, level: u8) -> SkillLevel {
        SkillLevel { name: name.into(), level, years: None }
    }

    #[test]
    fn the_reasons_say_why() {
        let job = listing();
        let s = [skill("Compositing", 4)];
        let m = score(&job, &Candidate { skills: &s, free: Some((9, 10)), rate: Some((400, "GBP")) });
        assert_eq!(m.reasons, ["compositing 4 ≥ 3", "free 9 of 10 days", "rate within range"]);
        assert_eq!(m.score, 97); // 50 + 31.5 + 15
        let tagged = Candidate::with_tags(&[], &["compositing".to_owned()]);
        let m = score(&job, &Candidate { skills: &tagged, free: Some((9, 10)), rate: Some((400, "GBP")) });
        assert_eq!(m.reasons[0], "compositing, level not given");
        let none = score(&job, &Candidate { skills: &[], free: Some((0, 10)), rate: None });
        assert_eq!((none.score, none.reasons[0].as_str()), (8, "no compositing"));
    }

    #[test]
    fn an_alert_needs_every_skill_at_its_level() {
        let job = listing();
        assert!(alerts(&job, &[skill("Compositing", 3), skill("nuke", 5)]));
        assert!(!alerts(&job, &[skill("compositing", 2)]));
        assert!(!alerts(&job, &[]));
        let mut none = listing();
        none.skills.clear();
        assert!(!alerts(&none, &[skill("compositing", 5)]), "a listing asking for nothing alerts nobody");
    }

    proptest! {
        /// Within 0–100; more free days, higher levels or a lower rate never lower it.
        #[test]
        fn bounded_and_monotonic(level in 1u8..=5, free in 0u32..=12, working in 0u32..=12, rate in 100u32..900) {
            let job = listing();
            let s = [skill("compositing", level)];
            let at = |level_skills: &[SkillLevel], free, rate| {
                score(&job, &Candidate { skills: level_skills, free: Some((free, working)), rate: Some((rate, "GBP")) }).score
            };
            let base = at(&s, free, rate);
            prop_assert!(base <= 100);
            prop_assert!(at(&s, free + 1, rate) >= base);
            prop_assert!(at(&s, free, rate.saturating_sub(50).max(1)) >= base);
            let better = [skill("compositing", (level + 1).min(5))];
            prop_assert!(at(&better, free, rate) >= base);
        }
    }
}
