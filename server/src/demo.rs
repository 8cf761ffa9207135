//! `--demo`: seeds the demo studio — a dozen artists with skills, three
//! projects with phases, dependencies and milestones (`demo_projects`), and a
//! mix of holds, pencils and confirmed bookings over the coming weeks —
//! through the ordinary command path, so it has real events. Idempotent: a
//! studio that already has artists is left alone.

use crate::auth::Role;
use crate::auth::service::AuthService;
use crate::studio::members::ensure_member;
use pt_actors::domain::settings::DEFAULT_HOLD_MINUTES;
use pt_actors::store::auth::StudioRow;
use pt_actors::{CmdInput, Registry};
use pt_protocol::time::MICROS_PER_DAY;
use pt_protocol::{BookingStatus, DEMO_TENANT_ID, Day, NewArtist, NewBooking, Timestamp};

const ARTISTS: [(&str, &[&str], &str); 12] = [
    ("Ada Moreau", &["compositing", "nuke"], "Europe/Paris"),
    ("Ben Okafor", &["animation", "maya"], "Europe/London"),
    ("Chiara Rossi", &["lighting", "houdini"], "Europe/Rome"),
    ("Dev Patel", &["fx", "houdini"], "Asia/Kolkata"),
    ("Elin Berg", &["modelling", "zbrush"], "Europe/Stockholm"),
    ("Farid Haddad", &["rigging", "maya"], "Europe/London"),
    ("Grace Kim", &["compositing", "nuke"], "America/Los_Angeles"),
    ("Hugo Lambert", &["layout", "maya"], "Europe/Paris"),
    ("Ines Duarte", &["texturing", "substance"], "Europe/Lisbon"),
    ("Jonas Weber", &["animation", "maya"], "Europe/Berlin"),
    ("Kemi Adeyemi", &["production", "scheduling"], "Africa/Lagos"),
    ("Liam O'Connor", &["matchmove", "3de"], "Europe/Dublin"),
];

/// The demo studio's sign-ins (all with [`DEMO_PASSWORD`]): an owner, a
/// manager, and a freelancer linked to the first artist.
pub const DEMO_USERS: [(&str, &str, Role); 3] = [
    ("owner@demo.studio", "Olivia Owner", Role::StudioOwner),
    ("manager@demo.studio", "Marco Manager", Role::StudioManager),
    ("freelancer@demo.studio", "Aiko (freelancer)", Role::Freelancer),
];
pub const DEMO_PASSWORD: &str = "demo-studio-2026";

/// Creates the demo studio's settings and its three users (idempotent: their
/// passwords are reset to [`DEMO_PASSWORD`]). Call after [`seed`].
pub async fn seed_users(registry: &Registry, auth: &AuthService) -> anyhow::Result<()> {
    let tenant = registry.tenant(DEMO_TENANT_ID).await?;
    let mut artists = tenant.list_artists().await?;
    artists.sort_by_key(|a| a.created_at);
    let first = artists.first().map(|a| a.id);
    // The studio's settings as the tenant holds them (holidays included), named and zoned.
    let studio = StudioRow {
        name: "Demo Studio".into(),
        timezone: "Europe/London".into(),
        default_hold_minutes: DEFAULT_HOLD_MINUTES,
        ..tenant.settings().to_row()
    };
    for (email, name, role) in DEMO_USERS {
        let artist = if role == Role::Freelancer { first } else { None };
        ensure_member(auth, &studio, (email, name, DEMO_PASSWORD), role, artist)
            .await
            .map_err(|e| anyhow::anyhow!("demo user {email}: {}", e.message))?;
    }
    // The studio is active already (seeded above): it learns who is linked to
    // which artist now (nothing follows membership changes this early).
    tenant.reload_links().await?;
    tracing::info!(
        users = ?DEMO_USERS.iter().map(|u| u.0).collect::<Vec<_>>(),
        password = DEMO_PASSWORD,
        "demo studio sign-ins"
    );
    Ok(())
}

/// Seeds the demo studio unless it has artists already. Returns how many bookings it made.
pub async fn seed(registry: &Registry) -> anyhow::Result<usize> {
    // Name the studio before its first activation creates it with a generated name.
    registry.store().ensure_tenant(DEMO_TENANT_ID, "Demo Studio").await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let tenant = registry.tenant(DEMO_TENANT_ID).await?;
    if !tenant.list_artists().await?.is_empty() {
        tracing::info!("demo studio already seeded");
        return Ok(0);
    }
    let input = || CmdInput::system("system:demo");
    let mut artists = Vec::new();
    for (name, skills, tz) in ARTISTS {
        let new = NewArtist {
            name: name.into(),
            email: Some(format!("{}@demo.studio", name.split(' ').next().unwrap_or("artist").to_lowercase())),
            skills: skills.iter().map(|s| s.to_string()).collect(),
            timezone: Some(tz.into()),
            active: None,
        };
        let mut acc = tenant.create_artist(new, input()).await?;
        tenant.wait_durable(&mut acc).await?;
        artists.push(acc.value);
    }
    // Monday of this week, 09:00 UTC.
    let now = Timestamp::now().micros();
    let day = now - now.rem_euclid(MICROS_PER_DAY);
    let weekday = ((day / MICROS_PER_DAY) + 3).rem_euclid(7); // 1970-01-01 was a Thursday
    let monday = day - weekday * MICROS_PER_DAY;
    let holds_until = monday + 5 * 7 * MICROS_PER_DAY;
    let artists = crate::demo_availability::seed(&tenant, &artists, Day::of_micros(monday)).await?;
    let projects = crate::demo_projects::seed(&tenant, Day::of_micros(monday)).await?;
    // The phase of `project` running on a day that plans the artist's main
    // skill; none when no running phase needs it (the allocation report then
    // shows the booking as unphased rather than as unplanned effort).
    let phase_on = |project: usize, micros: i64, skill: &str| {
        let day = Day::of_micros(micros);
        projects[project]
            .phases
            .iter()
            .filter(|p| p.start_date <= day && day < p.end_date)
            .find(|p| p.effort.iter().any(|e| e.skill == skill))
            .map(|p| p.id)
    };
    let mut made = 0;
    for (i, artist) in artists.iter().enumerate() {
        let project = projects[i % 2].id;
        for week in 0..4i64 {
            // Each artist: a confirmed or pencilled block most weeks, and a hold or two.
            let start_day = monday + (week * 7 + (i as i64 % 3)) * MICROS_PER_DAY;
            let len_days = 2 + (i as i32 + week as i32) % 3;
            // Inside the artist's working time (their zone, hours, the holiday, time off).
            let Some(range) = crate::demo_availability::workable(&tenant, artist, Day::of_micros(start_day), len_days)
            else {
                continue;
            };
            let status = match (i + week as usize) % 4 {
                0 | 1 => BookingStatus::Confirmed,
                2 => BookingStatus::Pencil,
                _ => BookingStatus::Hold,
            };
            let b = NewBooking {
                artist_id: artist.id,
                project_id: Some(project),
                phase_id: phase_on(i % 2, start_day, &artist.skills[0]),
                title: format!("{} · week {}", artist.skills[0], week + 1),
                notes: None,
                start_time: range.start,
                end_time: range.end,
                status: Some(status),
                // Demo holds last through the seeded weeks (the studio default
                // of 48 h would lapse them two days after the first run).
                expires_at: (status == BookingStatus::Hold).then(|| Timestamp::from_micros(holds_until)),
                allow_overtime: None,
                queue_if_busy: None,
            };
            let main = match tenant.create_booking(b.clone(), input()).await {
                Ok(mut acc) => {
                    tenant.wait_durable(&mut acc).await?;
                    made += 1;
                    Some(acc.value.booking.id)
                }
                Err(e) => {
                    tracing::debug!(artist = %artist.name, error = %e, "demo booking skipped");
                    None
                }
            };
            if (i, week) == (0, 0) {
                made += waiting_list(&tenant, &b, projects[1].id, &artist.skills[0]).await?;
            }
            if week % 2 == 1 {
                // The other project's hold on the same slot: ranked behind any
                // hold already there (the board marks it 1st or 2nd).
                let hold = NewBooking {
                    project_id: Some(projects[(i + 1) % 2].id),
                    phase_id: phase_on((i + 1) % 2, start_day, &artist.skills[0]),
                    title: format!("{} · backup hold", artist.skills[0]),
                    status: Some(BookingStatus::Hold),
                    expires_at: Some(Timestamp::from_micros(holds_until)),
                    ..b
                };
                if let Ok(mut acc) = tenant.create_booking(hold, input()).await {
                    tenant.wait_durable(&mut acc).await?;
                    made += 1;
                    // One 1st hold under challenge by the 2nd: 24 h to answer.
                    if let (Some(first), true) = (main, (i, week) == (2, 1) && status == BookingStatus::Hold) {
                        let mut c = tenant.challenge_hold(first, acc.value.booking.id, None, input()).await?;
                        tenant.wait_durable(&mut c).await?;
                    }
                }
            }
        }
    }
    if let Some(aurora) = projects.get(2) {
        made += aurora_holds(&tenant, aurora, &artists, holds_until).await?;
    }
    tracing::info!(artists = artists.len(), bookings = made, "demo studio seeded");
    Ok(made)
}

/// The waiting list: a pencil of `project` wanted on the confirmed slot of
/// `confirmed` waits as a hold (`queueIfBusy`). Returns how many it placed.
async fn waiting_list(
    tenant: &pt_actors::Tenant,
    confirmed: &NewBooking,
    project: pt_protocol::ProjectId,
    skill: &str,
) -> anyhow::Result<usize> {
    let wanted = NewBooking {
        project_id: Some(project),
        phase_id: None,
        title: format!("{skill} · waiting list"),
        status: Some(BookingStatus::Pencil),
        expires_at: None,
        queue_if_busy: Some(true),
        ..confirmed.clone()
    };
    match tenant.create_booking(wanted, CmdInput::system("system:demo")).await {
        Ok(mut acc) => {
            tenant.wait_durable(&mut acc).await?;
            Ok(1)
        }
        Err(_) => Ok(0),
    }
}

/// The commercial in planning: first holds on its phases (a modeller, a
/// texturer, a lighter). Returns how many it placed.
async fn aurora_holds(
    tenant: &pt_actors::Tenant,
    aurora: &crate::demo_projects::DemoProject,
    artists: &[pt_protocol::Artist],
    holds_until: i64,
) -> anyhow::Result<usize> {
    let mut made = 0;
    for (artist, phase) in [(4usize, 0usize), (8, 1), (2, 2)] {
        let (Some(artist), Some(phase)) = (artists.get(artist), aurora.phases.get(phase)) else { continue };
        let Some(range) = crate::demo_availability::workable(tenant, artist, phase.start_date, 3) else { continue };
        let hold = NewBooking {
            artist_id: artist.id,
            project_id: Some(aurora.id),
            phase_id: Some(phase.id),
            title: format!("Aurora · {}", phase.name),
            notes: None,
            start_time: range.start,
            end_time: range.end,
            status: Some(BookingStatus::Hold),
            expires_at: Some(Timestamp::from_micros(holds_until)),
            allow_overtime: None,
            queue_if_busy: None,
        };
        if let Ok(mut acc) = tenant.create_booking(hold, CmdInput::system("system:demo")).await {
            tenant.wait_durable(&mut acc).await?;
            made += 1;
        }
    }
    Ok(made)
}
