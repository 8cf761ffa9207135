//! The demo studio's calendar: a studio holiday, artists with their own
//! working hours, approved time off, one pending request (for the
//! freelancer's artist, so the approval queue is not empty), and the one rule
//! the seeded bookings follow — they sit inside their artist's working time.

use pt_actors::domain::SettingsPatch;
use pt_actors::domain::availability::{Week, approved_off, rules};
use pt_actors::{ArtistEdit, CmdInput, Tenant};
use pt_protocol::time::MICROS_PER_DAY;
use pt_protocol::{
    Artist, ArtistPatch, Day, Holiday, NewTimeOff, TimeOffId, TimeOffKind, TimeRange, Timestamp, WorkingInterval,
};

fn input() -> CmdInput {
    CmdInput::system("system:demo")
}

fn hours(days: &[u8], spans: &[(&str, &str)]) -> Vec<WorkingInterval> {
    days.iter()
        .flat_map(|&day| spans.iter().map(move |(s, e)| WorkingInterval { day, start: (*s).into(), end: (*e).into() }))
        .collect()
}

/// Holiday, hours and time off; `monday` is this week's Monday. Returns the
/// artists as they are afterwards.
pub async fn seed(tenant: &Tenant, artists: &[Artist], monday: Day) -> anyhow::Result<Vec<Artist>> {
    let holiday = Holiday { date: Day(monday.0 + 25), name: "Studio day off".into() };
    let settings = SettingsPatch {
        timezone: Some("Europe/London".into()),
        holidays: Some(vec![holiday]),
        ..SettingsPatch::default()
    };
    tenant.update_settings(&settings).await?;
    // Ben works a four-day week, Farid takes a long lunch, Dev starts late.
    let custom = [
        (1usize, hours(&[1, 2, 3, 4], &[("08:00", "18:00")])),
        (5, hours(&[1, 2, 3, 4, 5], &[("09:00", "13:00"), ("14:30", "18:30")])),
        (3, hours(&[1, 2, 3, 4, 5], &[("10:00", "19:00")])),
    ];
    for (i, week) in custom {
        let Some(a) = artists.get(i) else { continue };
        let patch = ArtistPatch { working_hours: Some(Some(week)), ..ArtistPatch::default() };
        let mut acc = tenant.update_artist(a.id, patch, input()).await?;
        tenant.wait_durable(&mut acc).await?;
    }
    // Approved time off on days their bookings leave free, and one request waiting.
    let off = [
        (0usize, 11, 1, TimeOffKind::Vacation, true),
        (3, 3, 2, TimeOffKind::Sick, true),
        (7, 17, 2, TimeOffKind::Other, true),
        (0, 30, 2, TimeOffKind::Vacation, false),
    ];
    for (i, first, days, kind, approve) in off {
        let Some(a) = artists.get(i) else { continue };
        let start = Timestamp::from_micros(Day(monday.0 + first).start_micros());
        let end = Timestamp::from_micros(Day(monday.0 + first + days).start_micros());
        let note = (!approve).then(|| "Family visit".to_string());
        let new = NewTimeOff { start, end, kind: Some(kind), note };
        let edit = ArtistEdit::RequestTimeOff { artist: a.id, id: TimeOffId::new(), new, approve };
        let mut acc = tenant.edit_artist(edit, input()).await?;
        tenant.wait_durable(&mut acc).await?;
    }
    let mut now = tenant.list_artists().await?;
    now.sort_by_key(|a| artists.iter().position(|b| b.id == a.id));
    Ok(now)
}

/// From the start of `first`'s working time to the end of the working time
/// of a day up to `days` later, shortened until the artist works all of it
/// (no holiday, approved time off or working-hours edge inside); `None` when
/// not even `first` alone is workable.
pub fn workable(tenant: &Tenant, artist: &Artist, first: Day, days: i32) -> Option<TimeRange> {
    let week = Week::of(artist, &tenant.settings());
    let off = approved_off(artist);
    for len in (1..=days).rev() {
        let last = Day(first.0 + len - 1);
        let spans = week.spans(first.start_micros() - MICROS_PER_DAY, last.start_micros() + 2 * MICROS_PER_DAY);
        let (Some(s), Some(e)) = (spans.iter().find(|w| w.day == first), spans.iter().rfind(|w| w.day == last)) else {
            continue;
        };
        let range = TimeRange { start: Timestamp(s.start), end: Timestamp(e.end) };
        if rules::unavailability(&week, &off, range).is_empty() {
            return Some(range);
        }
    }
    None
}
