// One artist's row: the sticky name (Enter books today; "Profile" and "Time
// off" open their profile and time off for those who may see them: owners and
// managers anyone's, a freelancer their own), their time off (approved:
// shaded; requested: hatched lighter), their own non-working hours when they
// have working hours of their own (the studio's week and holidays are shaded
// for everyone behind the rows: `Axis.tsx`), and bars in the rendered time
// range, and the drag's ghost when it is over this row.
// Memoized: a vertical scroll renders only the rows that come into view.

import { memo, useDeferredValue, useMemo, type ReactElement } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Artist, Booking } from "../../../src/index.js";
import { ACTIVE, approvedOff, entriesIn, initials, mayManageTimeOff, overlapsTimeOff, timeOffIn, type Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { US_PER_HOUR, formatTimeOff, type Scale } from "../time.js";
import { Bar, MIN_BAR_PX, type SaveMark } from "./Bar.js";
import { ghostState, ghostText, type Drag } from "./drag.js";
import { LEFT_W, ROW_H } from "./geometry.js";
import { offSpans } from "./workingTime.js";

/** Who has which booking open (editing) or selected (viewing), others only. */
export interface PresenceByBooking {
  editing: Map<string, string[]>;
  viewing: Map<string, string[]>;
}

interface ArtistRowProps {
  index: number;
  row: Extract<Row, { kind: "artist" }>;
  top: number;
  width: number;
  scale: Scale;
  visFrom: number;
  visTo: number;
  drag: Drag | null;
  presence: PresenceByBooking;
  /** The key of the board's one tabbable bar, when it is in this row. */
  tabStop: string | undefined;
}

/** Shared empty list, so memoized bars see an unchanged prop. */
const NOBODY: string[] = [];

/** Memoized: a vertical scroll renders only the rows that come into view. */
export const ArtistRow = memo(function ArtistRow({ index, row, top, width, scale, visFrom, visTo, drag, presence, tabStop }: ArtistRowProps) {
  const a = row.artist;
  const entry = useBoard((st) => st.index.get(a.id));
  const { selected, pending, unsaved, justSaved, snapping, project, groupBy } = useBoard(
    useShallow((st) => ({
      selected: st.selected,
      pending: st.pending,
      unsaved: st.unsaved,
      justSaved: st.justSaved,
      snapping: st.snapping,
      project: st.filters.project,
      groupBy: st.filters.groupBy,
    })),
  );
  const mayManage = useBoard((st) => mayManageTimeOff(st.session, a.id));
  const ownRow = useBoard((st) => st.session?.artistId === a.id);
  const approved = useMemo(() => approvedOff(a.timeOff), [a.timeOff]);
  const focusProject = groupBy === "project" ? (row.group ?? "") : project;
  const bars: ReactElement[] = [];
  for (const p of entry?.placed ?? []) {
    const b: Booking = p.booking;
    if (b.endTime <= visFrom || b.startTime >= visTo) continue;
    const left = LEFT_W + scale.x(b.startTime);
    const w = Math.max(MIN_BAR_PX, scale.x(b.endTime) - scale.x(b.startTime));
    const laneH = (ROW_H - 6) / p.lanes;
    const save: SaveMark = pending.has(p.key) ? "sending" : unsaved.has(p.key) ? "saving" : justSaved.has(p.key) ? "saved" : undefined;
    bars.push(
      <Bar
        key={p.key}
        placed={p}
        artistName={a.name}
        left={left}
        width={w}
        top={3 + p.lane * laneH}
        height={laneH - 1}
        selected={selected === p.key}
        tabbable={tabStop === p.key}
        save={save}
        snapping={snapping.has(p.key)}
        dragging={drag?.moved === true && drag.key === p.key}
        dimmed={focusProject !== "" && (b.projectId ?? "") !== focusProject}
        editors={presence.editing.get(b.id) ?? NOBODY}
        viewers={presence.viewing.get(b.id) ?? NOBODY}
        timeOff={ACTIVE.has(b.status) && overlapsTimeOff(approved, b.startTime, b.endTime)}
      />,
    );
  }
  const ghost = drag?.moved && drag.ghost.artistId === a.id ? drag.ghost : undefined;
  const state = drag ? ghostState(drag) : "free";
  // Time off in the rendered window only (virtual like the bars), clipped to
  // it: approved entries shaded, requested ones hatched lighter.
  const off: ReactElement[] = [];
  const shade = (key: string, start: number, end: number, requested: boolean) => {
    const x0 = scale.x(Math.max(start, visFrom));
    const w = scale.x(Math.min(end, visTo)) - x0;
    const word = requested ? "Requested" : "Time off";
    const label = `${requested ? "Requested time off" : "Time off"}, ${formatTimeOff(start, end)}`;
    off.push(
      <div key={key} className={`time-off${requested ? " time-off--requested" : ""}`} style={{ left: LEFT_W + x0, width: w }} role="img" aria-label={label} title={label} data-start={start} data-end={end}>
        {w >= 64 ? <span className="time-off__label" aria-hidden="true">{word}</span> : null}
      </div>,
    );
  };
  for (const e of entriesIn(a.timeOff, "requested", visFrom, visTo)) shade(e.id, e.start, e.end, true);
  for (const r of timeOffIn(approved, visFrom, visTo)) shade(`a${r.start}`, r.start, r.end, false);
  return (
    <div className={`row${index % 2 ? " row--odd" : ""}`} style={{ top, height: ROW_H, width: LEFT_W + width }} role="row" data-row={index} aria-rowindex={index + 1}>
      <div className="row-head" role="rowheader" tabIndex={0} data-artist-row={a.id} aria-label={`${a.name}, ${a.skills.join(", ")}. Press Enter to book today.`}>
        <span className="avatar" style={{ ["--hue" as string]: hueOf(a.name) }} aria-hidden="true">
          {initials(a.name)}
        </span>
        <span className="row-head__text">
          <span className="row-head__name">{a.name}</span>
          <span className="row-head__skills">{a.skills.join(" · ")}</span>
        </span>
        {mayManage ? (
          <span className={`row-head__actions${ownRow ? " row-head__actions--own" : ""}`}>
            <button type="button" className="row-head__profile" aria-label={`Profile of ${a.name}`} title={`Profile of ${a.name}`} onClick={() => store.openArtistPanel(a.id, "profile")}>
              Profile
            </button>
            <button type="button" className="row-head__timeoff" aria-label={`Time off for ${a.name}`} title={`Time off for ${a.name}`} onClick={() => store.openArtistPanel(a.id)}>
              Time off
            </button>
          </span>
        ) : null}
      </div>
      {/* One cell holds the row's timeline (time off and bars position against the row). */}
      <div className="row__timeline" role="gridcell">
        {a.workingHours ? <ArtistOff artist={a} scale={scale} visFrom={visFrom} visTo={visTo} /> : null}
        {off}
        {bars}
      </div>
      {ghost ? (
        <div
          className={`ghost ghost--${state}`}
          data-testid="ghost"
          data-free={drag!.check.free}
          data-time-off={drag!.timeOff.length > 0}
          style={{ left: LEFT_W + scale.x(ghost.start), width: Math.max(MIN_BAR_PX, scale.x(ghost.end) - scale.x(ghost.start)), top: 2, height: ROW_H - 4 }}
          aria-hidden="true"
        >
          <span>{ghostText(drag!)}</span>
        </div>
      ) : null}
    </div>
  );
});

/** Smallest off span drawn at week and month zoom: a whole day off, not the nights between working days. */
const WHOLE_DAY_OFF_US = 20 * US_PER_HOUR;

interface OffProps {
  artist: Artist;
  scale: Scale;
  visFrom: number;
  visTo: number;
}

/**
 * An artist's own non-working time in the rendered range, for those with
 * working hours of their own: at day zoom every hour off; at week and month
 * zoom only whole days off (the nights would stripe every row). Deferred: the
 * bars are drawn first, the shading in the next, interruptible render.
 */
const ArtistOff = memo(function ArtistOff({ artist: a, scale, visFrom, visTo }: OffProps) {
  const week = useBoard((st) => st.workingWeek);
  const from = useDeferredValue(visFrom, NaN);
  const to = useDeferredValue(visTo, NaN);
  if (Number.isNaN(from) || Number.isNaN(to)) return null;
  const min = scale.zoom === "day" ? 0 : WHOLE_DAY_OFF_US;
  return offSpans(from, to, { timeZone: a.timezone, intervals: a.workingHours, week, holidays: NO_DAYS })
    .filter((s) => s.end - s.start >= min)
    .map((s) => <div key={`o${s.start}`} className="artist-off" style={{ left: LEFT_W + scale.x(s.start), width: scale.x(s.end) - scale.x(s.start) }} aria-hidden="true" data-testid="artist-off" />);
});

const NO_DAYS: ReadonlySet<string> = new Set();

function hueOf(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 33 + s.charCodeAt(i)) >>> 0;
  return h % 360;
}
