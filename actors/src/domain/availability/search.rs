//! Artist search: which artists have the wanted skills, speak the language,
//! cost at most the rate, and have the free days — and in what order.
//!
//! Pure: the caller computes each candidate's [`Fit`] over the searched range
//! ([`crate::domain::ArtistBook::fit`]) and hands the pairs to [`rank`].
//!
//! * **Matching** — an artist matches a wanted skill when their skill tags
//!   hold its name and, if the want names a minimum level, their profile's
//!   level for it is at least that (a skill without a level in the profile
//!   counts as level 1).
//! * **Filters** — inactive and archived artists never appear; with wanted
//!   skills, an artist matching none of them does not either; nor one with
//!   fewer free days than asked, without the language (any case), or, when a
//!   day rate cap is given, without a rate or above it (the rate's currency is
//!   the studio's; it is not converted).
//! * **Order** — more matched skills first, then a higher sum of their
//!   levels, more free days, more free minutes, then by name (ignoring case,
//!   then exactly) and id, so equal queries answer in one order.

use crate::domain::Fit;
use crate::domain::validate::MAX_SKILL_CHARS;
use pt_protocol::profile::SkillLevel;
use pt_protocol::{Artist, ArtistMatch, FieldError};

/// Most skills one search may ask for.
pub const MAX_WANTED_SKILLS: usize = 20;

/// A skill a search asks for, with the lowest level it accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SkillWant {
    /// Lower-cased, trimmed.
    pub name: String,
    /// 1 to 5; `None`: any level.
    pub min_level: Option<u8>,
}

/// Parses the `skills` query parameter: comma-separated names, each with an
/// optional `:level` (`compositing:3,nuke`). Names are trimmed and
/// lower-cased; empty entries are skipped; a name given twice keeps its
/// highest level. At most [`MAX_WANTED_SKILLS`] skills, levels 1 to 5.
pub fn parse_skills(s: &str) -> Result<Vec<SkillWant>, FieldError> {
    let mut out: Vec<SkillWant> = Vec::new();
    for item in s.split(',') {
        let (name, level) = match item.split_once(':') {
            Some((name, level)) => (name, Some(level.trim())),
            None => (item, None),
        };
        let name = name.trim().to_lowercase();
        if name.is_empty() && level.is_none() {
            continue;
        }
        if !(1..=MAX_SKILL_CHARS).contains(&name.chars().count()) {
            return Err(FieldError::new("skills", format!("each skill must be 1 to {MAX_SKILL_CHARS} characters")));
        }
        let min_level = match level {
            None => None,
            Some(l) => match l.parse::<u8>() {
                Ok(n @ 1..=5) => Some(n),
                _ => return Err(FieldError::new("skills", format!("the level of `{name}` must be 1 to 5"))),
            },
        };
        match out.iter_mut().find(|w| w.name == name) {
            Some(w) => w.min_level = w.min_level.max(min_level),
            None => out.push(SkillWant { name, min_level }),
        }
    }
    if out.len() > MAX_WANTED_SKILLS {
        return Err(FieldError::new("skills", format!("at most {MAX_WANTED_SKILLS} skills")));
    }
    Ok(out)
}

/// The artist's level at `skill`, if they have it at all (no level in the
/// profile: 1).
fn level_of(artist: &Artist, skill: &str) -> Option<u8> {
    if !artist.skills.iter().any(|s| s == skill) {
        return None;
    }
    Some(artist.profile.skills.iter().find(|l| l.name == skill).map_or(1, |l| l.level))
}

/// The artist's level at a wanted skill, when it is high enough.
fn matched_level(want: &SkillWant, artist: &Artist) -> Option<u8> {
    level_of(artist, &want.name).filter(|&l| want.min_level.is_none_or(|min| l >= min))
}

/// How many wanted skills the artist matches, and the sum of their levels.
fn score(wants: &[SkillWant], artist: &Artist) -> (usize, u32) {
    let levels = wants.iter().filter_map(|w| matched_level(w, artist));
    levels.fold((0, 0), |(n, sum), l| (n + 1, sum + u32::from(l)))
}

/// Wanted skills the artist has at a high enough level (with the profile's
/// years), and the rest.
fn match_skills(wants: &[SkillWant], artist: &Artist) -> (Vec<SkillLevel>, Vec<String>) {
    let mut matched = Vec::new();
    let mut missing = Vec::new();
    for w in wants {
        match matched_level(w, artist) {
            Some(level) => {
                let years = artist.profile.skills.iter().find(|l| l.name == w.name).and_then(|l| l.years);
                matched.push(SkillLevel { name: w.name.clone(), level, years });
            }
            _ => missing.push(w.name.clone()),
        }
    }
    (matched, missing)
}

fn lower(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars().flat_map(char::to_lowercase)
}

/// Whether the artist passes the filters other than skills and free days.
fn eligible(artist: &Artist, language: Option<&str>, max_day_rate: Option<u32>) -> bool {
    let language = language.map(str::trim).filter(|l| !l.is_empty());
    artist.active
        && artist.archived_at.is_none()
        && language.is_none_or(|l| artist.profile.languages.iter().any(|a| lower(a.trim()).eq(lower(l))))
        && max_day_rate.is_none_or(|max| artist.rate.as_ref().is_some_and(|r| r.amount <= max))
}

/// Whether [`rank`] could return the artist, judged without their free
/// time: active, with the language and rate asked, matching a wanted skill.
/// A search may fit only these; leaving the others out changes nothing of
/// what `rank` returns.
pub fn may_match(wants: &[SkillWant], artist: &Artist, language: Option<&str>, max_day_rate: Option<u32>) -> bool {
    eligible(artist, language, max_day_rate) && (wants.is_empty() || score(wants, artist).0 > 0)
}

/// A candidate that passed: matched skills, sum of their levels, index.
type Scored = (usize, u32, usize);

/// The best `limit` matches among `candidates`, best first (see the module docs).
pub fn rank(
    wants: &[SkillWant],
    candidates: Vec<(Artist, Fit)>,
    min_free_days: u32,
    language: Option<&str>,
    max_day_rate: Option<u32>,
    limit: usize,
) -> Vec<ArtistMatch> {
    // Score and order indexes (no copies, no allocation per candidate), then
    // build the few matches returned.
    let mut scored: Vec<Scored> = candidates
        .iter()
        .enumerate()
        .filter(|(_, (a, fit))| fit.free_days >= min_free_days && eligible(a, language, max_day_rate))
        .map(|(i, (a, _))| {
            let (n, levels) = score(wants, a);
            (n, levels, i)
        })
        .filter(|&(n, _, _)| wants.is_empty() || n > 0)
        .collect();
    let order = |x: &Scored, y: &Scored| {
        let ((a, fa), (b, fb)) = (&candidates[x.2], &candidates[y.2]);
        (y.0, y.1, fb.free_days, fb.free_minutes)
            .cmp(&(x.0, x.1, fa.free_days, fa.free_minutes))
            .then_with(|| lower(&a.name).cmp(lower(&b.name)))
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    };
    if limit < scored.len() {
        scored.select_nth_unstable_by(limit, order);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(order);
    let mut place = vec![usize::MAX; candidates.len()];
    for (p, &(_, _, i)) in scored.iter().enumerate() {
        place[i] = p;
    }
    let mut out: Vec<Option<ArtistMatch>> = vec![None; scored.len()];
    for (i, (artist, fit)) in candidates.into_iter().enumerate() {
        let Some(slot) = out.get_mut(place[i]) else { continue };
        let (matched_skills, missing_skills) = match_skills(wants, &artist);
        *slot = Some(ArtistMatch {
            artist,
            matched_skills,
            missing_skills,
            working_days: fit.working_days,
            free_days: fit.free_days,
            free_minutes: fit.free_minutes,
            free_windows: fit.windows,
        });
    }
    out.into_iter().flatten().collect()
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
