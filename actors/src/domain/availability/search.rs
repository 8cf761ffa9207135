//! Ranking artists for "who is free, with these skills" (placeholder until
//! the full ranking lands from its branch; same signatures).

use crate::domain::Fit;
use pt_protocol::{Artist, ArtistMatch, FieldError, SkillLevel};

/// One wanted skill, optionally at a minimum level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillWant {
    pub name: String,
    pub min_level: Option<u8>,
}

/// `compositing:3,nuke` → wants.
pub fn parse_skills(s: &str) -> Result<Vec<SkillWant>, FieldError> {
    let mut out = Vec::new();
    for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, level) = match part.split_once(':') {
            Some((n, l)) => match l.trim().parse::<u8>() {
                Ok(l) if (1..=5).contains(&l) => (n, Some(l)),
                _ => return Err(FieldError::new("skills", "a level is 1 to 5, as in compositing:3")),
            },
            None => (part, None),
        };
        let name = name.trim().to_lowercase();
        if name.is_empty() || name.chars().count() > 64 {
            return Err(FieldError::new("skills", "each skill is 1 to 64 characters"));
        }
        out.push(SkillWant { name, min_level: level });
    }
    if out.len() > 20 {
        return Err(FieldError::new("skills", "at most 20 skills"));
    }
    Ok(out)
}

/// Matches, best first: more skills matched, higher levels, more free days,
/// more free minutes, then name.
pub fn rank(
    wants: &[SkillWant],
    candidates: Vec<(Artist, Fit)>,
    min_free_days: u32,
    language: Option<&str>,
    max_day_rate: Option<u32>,
    limit: usize,
) -> Vec<ArtistMatch> {
    let mut out: Vec<(u32, ArtistMatch)> = candidates
        .into_iter()
        .filter(|(a, f)| a.active && f.free_days >= min_free_days)
        .filter(|(a, _)| language.is_none_or(|l| a.profile.languages.iter().any(|x| x.eq_ignore_ascii_case(l))))
        .filter(|(a, _)| max_day_rate.is_none_or(|m| a.rate.as_ref().is_some_and(|r| r.amount <= m)))
        .filter_map(|(a, f)| {
            let mut matched = Vec::new();
            let mut missing = Vec::new();
            for w in wants {
                let level = a
                    .skills
                    .contains(&w.name)
                    .then(|| a.profile.skills.iter().find(|l| l.name == w.name).map_or(1, |l| l.level));
                match level {
                    Some(l) if w.min_level.is_none_or(|m| l >= m) => {
                        let years = a.profile.skills.iter().find(|x| x.name == w.name).and_then(|x| x.years);
                        matched.push(SkillLevel { name: w.name.clone(), level: l, years });
                    }
                    _ => missing.push(w.name.clone()),
                }
            }
            if !wants.is_empty() && matched.is_empty() {
                return None;
            }
            let levels = matched.iter().map(|m| u32::from(m.level)).sum();
            Some((
                levels,
                ArtistMatch {
                    artist: a,
                    matched_skills: matched,
                    missing_skills: missing,
                    working_days: f.working_days,
                    free_days: f.free_days,
                    free_minutes: f.free_minutes,
                    free_windows: f.windows,
                },
            ))
        })
        .collect();
    out.sort_by(|(la, a), (lb, b)| {
        b.matched_skills
            .len()
            .cmp(&a.matched_skills.len())
            .then(lb.cmp(la))
            .then(b.free_days.cmp(&a.free_days))
            .then(b.free_minutes.cmp(&a.free_minutes))
            .then(a.artist.name.to_lowercase().cmp(&b.artist.name.to_lowercase()))
            .then(a.artist.id.cmp(&b.artist.id))
    });
    out.into_iter().take(limit).map(|(_, m)| m).collect()
}
