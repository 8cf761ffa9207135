//! Golden MessagePack vectors: every frame shape, committed under
//! `protocol/golden/`. This test builds each frame, checks its encoding equals
//! the committed bytes, decodes the bytes back to an equal frame, and
//! re-encodes them identically. The TypeScript client's tests decode and
//! re-encode the same files byte for byte.
//!
//! After a deliberate (additive) protocol change: `PT_UPDATE_GOLDEN=1 cargo test -p pt-protocol --test golden`.

use pt_protocol::booking::{Booking, BookingStatus};
use pt_protocol::command::{BookingPatch, NewBooking};
use pt_protocol::event::{Event, EventEnvelope};
use pt_protocol::ws::{
    ClientFrame, Command, CommandResult, Cursor, PresenceEntry, PresenceState, ServerFrame, View, WireError, codec,
};
use pt_protocol::{Artist, ArtistId, BookingId, CmdId, ErrorCode, ProjectId, TenantId, TimeRange, Timestamp};
use std::path::PathBuf;

fn t(micros: i64) -> Timestamp {
    Timestamp::from_micros(micros)
}

const T0: i64 = 1_772_442_000_000_000; // 2026-03-02T09:00:00Z
const HOUR: i64 = 3_600_000_000;

fn artist() -> Artist {
    Artist {
        id: ArtistId::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00a1),
        name: "Ada Moreau".into(),
        email: Some("ada@demo.studio".into()),
        skills: vec!["compositing".into(), "nuke".into()],
        timezone: "Europe/Paris".into(),
        active: true,
        time_off: vec![pt_protocol::TimeOff {
            id: pt_protocol::TimeOffId::from_u128(0x70ff),
            start: t(T0 + 7 * 24 * HOUR),
            end: t(T0 + 9 * 24 * HOUR),
            kind: pt_protocol::TimeOffKind::Vacation,
            status: pt_protocol::TimeOffStatus::Approved,
            note: None,
            requested_by: "user:1".into(),
            decided_by: Some("user:2".into()),
            decided_at: Some(t(T0)),
            created_at: t(T0),
        }],
        working_hours: None,
        profile: Default::default(),
        rate: None,
        archived_at: None,
        version: 3,
        created_at: t(T0 - 24 * HOUR),
        updated_at: t(T0),
    }
}

fn booking() -> Booking {
    Booking {
        id: BookingId::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00b1),
        artist_id: artist().id,
        project_id: Some(ProjectId::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00c1)),
        phase_id: None,
        title: "Comp: shot 010 — ünïcode ✓".into(),
        notes: None,
        start_time: t(T0),
        end_time: t(T0 + 8 * HOUR),
        status: BookingStatus::Hold,
        expires_at: Some(t(T0 + 48 * HOUR)),
        version: 1,
        created_at: t(T0 - 1_000),
        created_by: "api".into(),
        updated_at: t(T0 - 1_000),
        updated_by: "api".into(),
        allow_overtime: false,
        challenged_by: None,
        queued_for: None,
    }
}

fn cmd_id() -> CmdId {
    CmdId::from_u128(0x0192_0000_0000_7000_8000_0000_0000_00d1)
}

fn tenant() -> TenantId {
    TenantId::from_u128(0xde30_0000_0000_4000_8000_0000_0000_0001)
}

// A short list built once per test run: the size difference costs nothing.
#[allow(clippy::large_enum_variant)]
enum Frame {
    Client(ClientFrame),
    Server(ServerFrame),
}

fn vectors() -> Vec<(&'static str, Frame)> {
    let a = artist();
    let b = booking();
    let range = TimeRange { start: t(T0), end: t(T0 + 7 * 24 * HOUR) };
    let new_booking = NewBooking {
        artist_id: a.id,
        project_id: b.project_id,
        phase_id: None,
        title: b.title.clone(),
        notes: Some("night shift".into()),
        start_time: b.start_time,
        end_time: b.end_time,
        status: Some(BookingStatus::Hold),
        expires_at: None,
        allow_overtime: None,
        queue_if_busy: None,
    };
    let patch =
        BookingPatch { version: 1, project_id: Some(None), end_time: Some(t(T0 + 9 * HOUR)), ..Default::default() };
    let presence = PresenceState {
        name: Some("Kemi".into()),
        looking_at: Some("week 10".into()),
        selected_booking: None,
        editing_booking: Some(b.id),
        cursor: Some(Cursor { x: 412.5, y: 96.25 }),
    };
    let event = EventEnvelope {
        seq: 1_206,
        cmd_id: cmd_id(),
        at: t(T0 + 5),
        by: "api".into(),
        event: Event::BookingMoved { booking: b.clone().into(), from_artist_id: a.id },
    };
    let conflict = WireError {
        code: ErrorCode::Conflict,
        message: "the slot is taken by 1 exclusive booking(s)".into(),
        details: Some(serde_json::json!({
            "freeWindows": [{"start": "2026-03-02T17:00:00Z", "end": "2026-03-03T01:00:00Z"}]
        })),
    };
    use ClientFrame as C;
    use ServerFrame as S;
    vec![
        (
            "01-hello",
            Frame::Client(C::Hello {
                protocol_version: 1,
                token: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl".into(),
                resume_from_seq: Some(41),
            }),
        ),
        (
            "02-command-create-booking",
            Frame::Client(C::Command { cmd_id: cmd_id(), command: Command::CreateBooking { booking: new_booking } }),
        ),
        (
            "03-command-update-booking",
            Frame::Client(C::Command { cmd_id: cmd_id(), command: Command::UpdateBooking { id: b.id, patch } }),
        ),
        (
            "04-subscribe-window",
            Frame::Client(C::Subscribe {
                sub_id: 7,
                view: View::Window { artist_ids: vec![a.id], range },
                resume_from_seq: None,
            }),
        ),
        ("05-presence", Frame::Client(C::Presence { sub_id: 7, state: presence })),
        ("06-ping", Frame::Client(C::Ping { nonce: 9_007_199_254_740_991 })),
        (
            "07-welcome",
            Frame::Server(S::Welcome {
                session_id: "s-01".into(),
                protocol_version: 1,
                tenant: tenant(),
                server_seq: 1_204,
                durable_seq: 1_200,
            }),
        ),
        (
            "08-accepted",
            Frame::Server(S::Accepted {
                cmd_id: cmd_id(),
                seq: 1_205,
                result: CommandResult::Booking { booking: b.clone() },
            }),
        ),
        ("09-rejected-conflict", Frame::Server(S::Rejected { cmd_id: cmd_id(), error: conflict })),
        ("10-durable", Frame::Server(S::Durable { durable_seq: 1_205 })),
        (
            "11-snapshot",
            Frame::Server(S::Snapshot {
                sub_id: 7,
                seq: 1_205,
                artists: vec![a.clone()],
                bookings: vec![b.clone().into()],
                presence: vec![],
                projects: vec![],
            }),
        ),
        ("12-event-moved", Frame::Server(S::Event { sub_ids: vec![7, 9], event })),
        (
            "13-presence-diff",
            Frame::Server(S::PresenceDiff {
                sub_id: 7,
                joins: vec![PresenceEntry {
                    session_id: "s-02".into(),
                    state: PresenceState {
                        name: Some("Ben".into()),
                        cursor: Some(Cursor { x: 0.5, y: 1.5 }),
                        ..Default::default()
                    },
                }],
                leaves: vec!["s-03".into()],
            }),
        ),
        ("14-goodbye", Frame::Server(S::Goodbye { code: ErrorCode::Overloaded, reason: "slow consumer".into() })),
    ]
}

#[test]
fn golden_vectors_round_trip_byte_for_byte() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden");
    let update = std::env::var("PT_UPDATE_GOLDEN").is_ok();
    let mut index = Vec::new();
    for (name, frame) in vectors() {
        let (bytes, kind) = match &frame {
            Frame::Client(f) => (codec::encode(f), "client"),
            Frame::Server(f) => (codec::encode(f), "server"),
        };
        let path = dir.join(format!("{name}.msgpack"));
        if update {
            std::fs::write(&path, &bytes).unwrap();
        }
        let committed =
            std::fs::read(&path).unwrap_or_else(|_| panic!("missing {}; run with PT_UPDATE_GOLDEN=1", path.display()));
        assert_eq!(bytes, committed, "{name}: encoding changed (a protocol change must be additive)");
        match frame {
            Frame::Client(f) => {
                let back: ClientFrame = codec::decode(&committed).unwrap();
                assert_eq!(back, f, "{name}");
                assert_eq!(codec::encode(&back), committed, "{name}");
            }
            Frame::Server(f) => {
                let back: ServerFrame = codec::decode(&committed).unwrap();
                assert_eq!(back, f, "{name}");
                assert_eq!(codec::encode(&back), committed, "{name}");
            }
        }
        index.push(serde_json::json!({ "file": format!("{name}.msgpack"), "direction": kind }));
    }
    let index_path = dir.join("index.json");
    let index = serde_json::to_string_pretty(&index).unwrap() + "\n";
    if update {
        std::fs::write(&index_path, &index).unwrap();
    }
    assert_eq!(std::fs::read_to_string(&index_path).unwrap(), index);
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for bytes in [&b""[..], b"\xc1", b"\x81\xa4type\xa5hello", b"\x92\x01\x02", &[0xdf, 0xff, 0xff, 0xff, 0xff]] {
        assert!(codec::decode::<ClientFrame>(bytes).is_err());
    }
}

#[test]
fn event_frames_match_the_serde_encoding() {
    let b = booking();
    let env = EventEnvelope {
        seq: 77,
        cmd_id: cmd_id(),
        at: t(T0),
        by: "user:x/ws:s-1".into(),
        event: Event::BookingCreated { booking: b.into() },
    };
    let envelope = codec::encode(&env);
    // Every width of list length and of id MessagePack has.
    let ids: Vec<u32> = vec![0, 1, 127, 128, 255, 256, 65_535, 65_536, u32::MAX];
    let mut lists: Vec<Vec<u32>> = (0..=ids.len()).map(|n| ids[..n].to_vec()).collect();
    lists.push((0..16).collect());
    lists.push((0..70_000).collect());
    for sub_ids in lists {
        let frame = ServerFrame::Event { sub_ids: sub_ids.clone(), event: env.clone() };
        assert_eq!(codec::encode_event_frame(&sub_ids, &envelope), codec::encode(&frame), "{} ids", sub_ids.len());
    }
}
