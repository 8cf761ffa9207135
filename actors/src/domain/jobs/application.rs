//! An application's states and who may move it:
//!
//! ```text
//! applied ──▶ shortlisted ──▶ offered ──▶ accepted   (the applicant; its pencil booking is made)
//!    │             │             └──────▶ declined   (the applicant)
//!    ├─────────────┴──── rejected (the studio, before an answer to an offer; also from offered)
//!    └─────────────┴──── withdrawn (the applicant, any time before an answer)
//! ```
//!
//! The studio moves it forward (shortlist, offer) or rejects it; the
//! applicant withdraws, accepts or declines. `accepted`, `declined`,
//! `rejected` and `withdrawn` are final.

use pt_protocol::job::{ApplicationStatus as S, JobSide};

/// Why a change is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// This side may never make this change.
    NotYours { side: JobSide, to: S },
    /// Not from this state.
    NotFrom { from: S, to: S },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotYours { side: JobSide::Studio, to } => write!(f, "only the applicant can make it {to:?}"),
            Self::NotYours { side: JobSide::Applicant, to } => write!(f, "only the studio can make it {to:?}"),
            Self::NotFrom { from, to } => write!(f, "an application that is {from:?} cannot become {to:?}"),
        }
    }
}

/// Whether `side` may move an application from `from` to `to`.
pub fn transition(side: JobSide, from: S, to: S) -> Result<(), Refusal> {
    let mine = match side {
        JobSide::Studio => matches!(to, S::Shortlisted | S::Offered | S::Rejected),
        JobSide::Applicant => matches!(to, S::Withdrawn | S::Accepted | S::Declined),
    };
    if !mine {
        return Err(Refusal::NotYours { side, to });
    }
    let allowed = match to {
        S::Shortlisted => from == S::Applied,
        S::Offered => matches!(from, S::Applied | S::Shortlisted),
        S::Rejected | S::Withdrawn => from.is_live(),
        S::Accepted | S::Declined => from == S::Offered,
        S::Applied => false,
    };
    if allowed { Ok(()) } else { Err(Refusal::NotFrom { from, to }) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ALL: [S; 7] = [S::Applied, S::Shortlisted, S::Offered, S::Accepted, S::Declined, S::Rejected, S::Withdrawn];

    #[test]
    fn the_usual_paths() {
        assert!(transition(JobSide::Studio, S::Applied, S::Shortlisted).is_ok());
        assert!(transition(JobSide::Studio, S::Shortlisted, S::Offered).is_ok());
        assert!(transition(JobSide::Applicant, S::Offered, S::Accepted).is_ok());
        assert!(transition(JobSide::Applicant, S::Offered, S::Declined).is_ok());
        assert!(transition(JobSide::Applicant, S::Shortlisted, S::Withdrawn).is_ok());
        assert!(transition(JobSide::Studio, S::Offered, S::Rejected).is_ok());
        assert_eq!(
            transition(JobSide::Studio, S::Offered, S::Accepted),
            Err(Refusal::NotYours { side: JobSide::Studio, to: S::Accepted })
        );
        assert_eq!(
            transition(JobSide::Applicant, S::Applied, S::Accepted),
            Err(Refusal::NotFrom { from: S::Applied, to: S::Accepted })
        );
    }

    proptest! {
        /// Final states stay final; nothing returns to `applied`; each side keeps to its own moves.
        #[test]
        fn final_states_are_final_and_sides_keep_to_their_moves(
            from in prop::sample::select(ALL.to_vec()),
            to in prop::sample::select(ALL.to_vec()),
            studio in any::<bool>(),
        ) {
            let side = if studio { JobSide::Studio } else { JobSide::Applicant };
            let ok = transition(side, from, to).is_ok();
            if !from.is_live() || to == S::Applied {
                prop_assert!(!ok);
            }
            if ok && studio {
                prop_assert!(matches!(to, S::Shortlisted | S::Offered | S::Rejected));
            }
            if ok && !studio {
                prop_assert!(matches!(to, S::Withdrawn | S::Accepted | S::Declined));
            }
        }

        /// Any sequence of allowed moves ends within 3 steps of `applied` at most, in a final or live state.
        #[test]
        fn every_path_is_short(steps in prop::collection::vec((any::<bool>(), prop::sample::select(ALL.to_vec())), 0..20)) {
            let mut at = S::Applied;
            let mut moves = 0;
            for (studio, to) in steps {
                let side = if studio { JobSide::Studio } else { JobSide::Applicant };
                if transition(side, at, to).is_ok() {
                    at = to;
                    moves += 1;
                }
            }
            prop_assert!(moves <= 3, "{moves} moves");
        }
    }
}
