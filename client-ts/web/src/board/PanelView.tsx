// The booking panel for those who may not change bookings (freelancers): the
// booking read-only — title, status, project, phase, artist, times and their
// working time, a hold's lapse time, notes — and, on a hold or pencil offered
// to their own artist, Accept (confirms it) and Decline (cancels it).

import { useShallow } from "zustand/react/shallow";
import type { Booking } from "../../../src/index.js";
import { STATUS_LABEL, initials, mayRespond, ordinal, projectName, type Placed } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { expiryText, formatRange } from "../time.js";
import { HoldQueue } from "./HoldQueue.js";
import { usePhases } from "./usePhases.js";
import { calendarFor, workingText } from "./workingTime.js";


/** "2 d 4 h working" for `[start, end)` on the artist's calendar (empty when unknown). */
export function workingFor(artistId: string, start: number | undefined, end: number | undefined): string {
  if (start === undefined || end === undefined) return "";
  const st = useBoard.getState();
  const artist = st.artists.find((a) => a.id === artistId);
  return workingText(start, end, artist && calendarFor(artist, st.workingWeek, st.studio.holidays));
}

interface Props {
  booking: Booking;
  bookingKey: string;
  placed: Placed | undefined;
  saveState: string;
  editors: string[];
}

export function PanelView({ booking: b, bookingKey, placed, saveState, editors }: Props) {
  const { session, artists, projects, index } = useBoard(useShallow((st) => ({ session: st.session, artists: st.artists, projects: st.projects, index: st.index })));
  const row = index.get(b.artistId)?.placed ?? [];
  const phases = usePhases(b.projectId ?? "", projects);
  const phase = b.phaseId ? (phases.find((p) => p.id === b.phaseId)?.name ?? `Phase ${b.phaseId.slice(0, 8)}`) : undefined;
  const status = b.status === "hold" && placed?.holdRank ? `${ordinal(placed.holdRank)} ${STATUS_LABEL.hold}` : STATUS_LABEL[b.status];
  const rows: [string, string][] = [
    ["Status", status],
    ["Project", projectName(b.projectId, projects)],
    ...(phase ? [["Phase", phase] as [string, string]] : []),
    ["Artist", artists.find((a) => a.id === b.artistId)?.name ?? ""],
    ["When", formatRange(b.startTime, b.endTime)],
    ["Working time", workingFor(b.artistId, b.startTime, b.endTime) || "—"],
    ...(b.status === "hold" && b.expiresAt ? [["Hold lapses", expiryText(b.expiresAt)] as [string, string]] : []),
  ];
  return (
    <aside className="panel" aria-label="Booking details" data-testid="panel" onKeyDown={(e) => e.key === "Escape" && (store.select(bookingKey, false), e.stopPropagation())}>
      <header className="panel__head">
        <h2>{b.title}</h2>
        <span className={`panel__save${saveState === "Saved" ? " panel__save--ok" : ""}`} role="status" data-testid="panel-save">
          {saveState}
        </span>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={() => store.select(bookingKey, false)}>
          ✕
        </button>
      </header>
      {editors.length > 0 ? (
        <p className="panel__editors" role="note">
          {editors.map((n) => (
            <span key={n} className="avatar avatar--xs avatar--editing" aria-hidden="true">
              {initials(n)}
            </span>
          ))}{" "}
          {editors.join(", ")} {editors.length === 1 ? "is" : "are"} looking at this booking too.
        </p>
      ) : null}
      <dl className="panel__view">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
      {b.notes ? <p className="panel__notes">{b.notes}</p> : null}
      <HoldQueue booking={b} placed={placed} row={row} readOnly />
      {mayRespond(session, b) ? (
        <div className="panel__respond" role="group" aria-label="Your answer">
          <button type="button" className="primary" onClick={() => store.respondToBooking(bookingKey, "accept")}>
            Accept
          </button>
          <button type="button" className="danger" onClick={() => store.respondToBooking(bookingKey, "decline")}>
            Decline
          </button>
        </div>
      ) : null}
      <p className="muted small">
        Version {b.version}
        {b.status === "hold" || b.status === "pencil" ? (mayRespond(session, b) ? " · offered to you: accept to confirm it" : "") : ""}
      </p>
    </aside>
  );
}
