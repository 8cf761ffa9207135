//! Unit tests of artist search: the `skills` query format, each filter, and
//! each step of the order.

use super::*;
use pt_protocol::profile::DayRate;
use pt_protocol::{ArtistId, TimeRange, Timestamp};

fn want(name: &str, min_level: Option<u8>) -> SkillWant {
    SkillWant { name: name.into(), min_level }
}

fn reason(s: &str) -> String {
    let e = parse_skills(s).expect_err(s);
    assert_eq!(e.field, "skills");
    e.reason
}

#[test]
fn skills_parse_with_and_without_levels() {
    assert_eq!(parse_skills("compositing:3,nuke").unwrap(), [want("compositing", Some(3)), want("nuke", None)]);
    assert_eq!(
        parse_skills("  Compositing : 5 ,NUKE,, ").unwrap(),
        [want("compositing", Some(5)), want("nuke", None)],
        "trimmed, lower-cased, empty entries skipped"
    );
    assert_eq!(parse_skills("").unwrap(), []);
    assert_eq!(parse_skills(" , ").unwrap(), []);
    assert_eq!(
        parse_skills("nuke:2,rigging,nuke,nuke:4,nuke:1").unwrap(),
        [want("nuke", Some(4)), want("rigging", None)]
    );
    let twenty: Vec<String> = (0..20).map(|i| format!("s{i}")).collect();
    assert_eq!(parse_skills(&twenty.join(",")).unwrap().len(), 20);
}

#[test]
fn bad_skill_queries_are_refused_on_the_skills_field() {
    for bad in ["nuke:0", "nuke:6", "nuke:", "nuke:x", "nuke:-1", "nuke:3:4", "nuke:300"] {
        assert!(reason(bad).contains("1 to 5"), "{bad}");
    }
    assert!(reason(":3").contains("characters"));
    assert!(reason(&"x".repeat(65)).contains("characters"));
    assert_eq!(parse_skills(&"x".repeat(64)).unwrap().len(), 1);
    let many: Vec<String> = (0..21).map(|i| format!("s{i}")).collect();
    assert!(reason(&many.join(",")).contains("at most 20"));
}

fn artist(n: u128, name: &str, skills: &[(&str, Option<u8>)]) -> Artist {
    let mut a = Artist {
        id: ArtistId::from_u128(n),
        name: name.into(),
        email: None,
        skills: skills.iter().map(|(s, _)| (*s).to_owned()).collect(),
        timezone: "UTC".into(),
        active: true,
        time_off: Vec::new(),
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 1,
        created_at: Timestamp(0),
        updated_at: Timestamp(0),
    };
    a.profile.skills = skills
        .iter()
        .filter_map(|(s, l)| l.map(|level| SkillLevel { name: (*s).into(), level, years: Some(level + 1) }))
        .collect();
    a
}

fn fit(free_days: u32, free_minutes: u64) -> Fit {
    let w = TimeRange { start: Timestamp(0), end: Timestamp(1) };
    Fit { working_days: 20, free_days, free_minutes, windows: vec![w] }
}

fn names(found: &[ArtistMatch]) -> Vec<&str> {
    found.iter().map(|m| m.artist.name.as_str()).collect()
}

#[test]
fn a_want_matches_at_its_level_and_a_skill_without_a_level_is_level_one() {
    let ana = artist(1, "Ana", &[("comp", Some(4)), ("nuke", None)]);
    let wants = [want("comp", Some(3)), want("nuke", Some(2)), want("fx", None)];
    let found = rank(&wants, vec![(ana.clone(), fit(3, 600))], 0, None, None, 10);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].matched_skills, [SkillLevel { name: "comp".into(), level: 4, years: Some(5) }]);
    assert_eq!(found[0].missing_skills, ["nuke", "fx"]);
    assert_eq!((found[0].working_days, found[0].free_days, found[0].free_minutes), (20, 3, 600));
    assert_eq!(found[0].free_windows, fit(3, 600).windows);
    let found = rank(&[want("nuke", Some(1)), want("comp", None)], vec![(ana, fit(3, 600))], 0, None, None, 10);
    assert_eq!(
        found[0].matched_skills,
        [
            SkillLevel { name: "nuke".into(), level: 1, years: None },
            SkillLevel { name: "comp".into(), level: 4, years: Some(5) }
        ]
    );
    assert!(found[0].missing_skills.is_empty());
}

#[test]
fn a_level_in_the_profile_without_the_skill_tag_does_not_match() {
    let mut bo = artist(2, "Bo", &[]);
    bo.profile.skills.push(SkillLevel { name: "comp".into(), level: 5, years: None });
    assert_eq!(rank(&[want("comp", None)], vec![(bo, fit(1, 1))], 0, None, None, 10), []);
}

#[test]
fn artists_matching_no_want_or_failing_a_filter_are_dropped() {
    let mut inactive = artist(1, "Inactive", &[("comp", None)]);
    inactive.active = false;
    let mut archived = artist(2, "Archived", &[("comp", None)]);
    archived.archived_at = Some(Timestamp(5));
    let other = artist(3, "Other", &[("fx", None)]);
    let busy = artist(4, "Busy", &[("comp", None)]);
    let ok = artist(5, "Ok", &[("comp", None)]);
    let candidates = vec![
        (inactive.clone(), fit(5, 10)),
        (archived.clone(), fit(5, 10)),
        (other.clone(), fit(5, 10)),
        (busy.clone(), fit(1, 10)),
        (ok.clone(), fit(2, 10)),
    ];
    assert_eq!(names(&rank(&[want("comp", None)], candidates.clone(), 2, None, None, 10)), ["Ok"]);
    // No wanted skills: everyone active and free enough, nothing missing.
    let all = rank(&[], candidates, 0, None, None, 10);
    assert_eq!(names(&all), ["Other", "Ok", "Busy"]);
    assert!(all.iter().all(|m| m.matched_skills.is_empty() && m.missing_skills.is_empty()));
}

#[test]
fn the_language_matches_in_any_case() {
    let mut fr = artist(1, "Fr", &[]);
    fr.profile.languages = vec!["en".into(), "FR".into()];
    let none = artist(2, "None", &[]);
    let candidates = vec![(fr, fit(1, 1)), (none, fit(1, 1))];
    assert_eq!(names(&rank(&[], candidates.clone(), 0, Some("fr"), None, 10)), ["Fr"]);
    assert_eq!(names(&rank(&[], candidates.clone(), 0, Some(" En "), None, 10)), ["Fr"]);
    assert_eq!(names(&rank(&[], candidates.clone(), 0, Some("de"), None, 10)), Vec::<&str>::new());
    assert_eq!(names(&rank(&[], candidates, 0, None, None, 10)), ["Fr", "None"]);
}

#[test]
fn a_day_rate_cap_drops_artists_above_it_or_without_a_rate() {
    let rated = |n, name: &str, amount: Option<u32>| {
        let mut a = artist(n, name, &[]);
        a.rate = amount.map(|amount| DayRate { amount, currency: "GBP".into() });
        a
    };
    let candidates = vec![
        (rated(1, "Cheap", Some(300)), fit(1, 1)),
        (rated(2, "Exact", Some(500)), fit(1, 1)),
        (rated(3, "Dear", Some(501)), fit(1, 1)),
        (rated(4, "Unrated", None), fit(1, 1)),
    ];
    assert_eq!(names(&rank(&[], candidates.clone(), 0, None, Some(500), 10)), ["Cheap", "Exact"]);
    assert_eq!(names(&rank(&[], candidates, 0, None, None, 10)).len(), 4);
}

#[test]
fn order_is_skills_then_levels_then_free_days_minutes_name_and_id() {
    let wants = [want("comp", None), want("nuke", None)];
    let both_low = artist(1, "Zed", &[("comp", Some(1)), ("nuke", Some(1))]);
    let one_high = artist(2, "Amy", &[("comp", Some(5))]);
    let both_high = artist(3, "Yan", &[("comp", Some(3)), ("nuke", Some(3))]);
    let freer = artist(4, "Xia", &[("comp", Some(5))]);
    let more_minutes = artist(5, "Wes", &[("comp", Some(5))]);
    let by_name_b = artist(6, "bea", &[("comp", Some(5))]);
    let by_name_a = artist(7, "Bea", &[("comp", Some(5))]);
    let by_id = artist(8, "Bea", &[("comp", Some(5))]);
    let found = rank(
        &wants,
        vec![
            (by_id, fit(1, 100)),
            (one_high, fit(1, 100)),
            (by_name_b, fit(1, 100)),
            (both_low, fit(0, 0)),
            (more_minutes, fit(1, 200)),
            (both_high, fit(0, 0)),
            (by_name_a, fit(1, 100)),
            (freer, fit(2, 0)),
        ],
        0,
        None,
        None,
        10,
    );
    let order: Vec<(u128, &str)> = found.iter().map(|m| (m.artist.id.0.as_u128(), m.artist.name.as_str())).collect();
    assert_eq!(
        order,
        [(3, "Yan"), (1, "Zed"), (4, "Xia"), (5, "Wes"), (2, "Amy"), (7, "Bea"), (8, "Bea"), (6, "bea")],
        "two skills (levels 6 before 2), then one skill at level 5: 2 free days, 200 minutes, then by name and id"
    );
}

#[test]
fn the_limit_keeps_the_best() {
    let candidates: Vec<_> = (0..50u128).map(|i| (artist(i, &format!("a{i:02}"), &[]), fit(i as u32 % 7, 0))).collect();
    let top = rank(&[], candidates.clone(), 0, None, None, 5);
    let all = rank(&[], candidates.clone(), 0, None, None, usize::MAX);
    assert_eq!(all.len(), 50);
    assert_eq!(top, all[..5]);
    assert_eq!(names(&top), ["a06", "a13", "a20", "a27", "a34"]);
    assert_eq!(rank(&[], candidates, 0, None, None, 0), []);
}

#[test]
fn fitting_only_the_artists_that_may_match_changes_nothing() {
    let mut candidates = Vec::new();
    for i in 0..40u128 {
        let skills: &[(&str, Option<u8>)] = match i % 4 {
            0 => &[("comp", Some(1 + (i % 5) as u8))],
            1 => &[("nuke", None), ("fx", Some(3))],
            2 => &[("fx", Some(5))],
            _ => &[],
        };
        let mut a = artist(i, &format!("a{i:02}"), skills);
        a.active = i % 7 != 0;
        a.profile.languages = if i % 3 == 0 { vec!["fr".into()] } else { vec!["en".into()] };
        a.rate = (i % 5 != 0).then(|| DayRate { amount: 100 * (i % 9) as u32, currency: "GBP".into() });
        candidates.push((a, fit((i % 6) as u32, i as u64)));
    }
    for (wants, language, rate) in [
        (vec![want("comp", Some(2)), want("nuke", None)], Some("en"), Some(500)),
        (vec![want("fx", None)], None, None),
        (vec![], Some("FR"), Some(800)),
    ] {
        let all = rank(&wants, candidates.clone(), 2, language, rate, 100);
        let some: Vec<_> = candidates.iter().filter(|(a, _)| may_match(&wants, a, language, rate)).cloned().collect();
        assert!(some.len() < candidates.len());
        assert!(!all.is_empty());
        assert_eq!(rank(&wants, some, 2, language, rate, 100), all);
    }
}
