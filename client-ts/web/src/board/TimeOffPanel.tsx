// The side panel on an artist's time off: the list (each with a Remove
// button) and a form to add whole days (first and last day, inclusive, on the
// board's local calendar). Every change sends the artist's whole new list
// (`UpdateArtist` with `patch.timeOff`); the board shows it at once and the
// panel says when the server has it, or why it refused. Opened by the
// "Time off" button on an artist's name, shown only to those who may change
// it (an owner: anyone's; a freelancer: their own).

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { TimeRange } from "../../../src/index.js";
import { addTimeOff, mayManageTimeOff, removeTimeOff } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { daysRange, formatTimeOff } from "../time.js";

type Status = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string };

export function TimeOffPanel() {
  const { artistId, artists, session } = useBoard(useShallow((st) => ({ artistId: st.artistPanel, artists: st.artists, session: st.session })));
  const artist = artists.find((a) => a.id === artistId);
  const [first, setFirst] = useState("");
  const [last, setLast] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const firstRef = useRef<HTMLInputElement>(null);
  const sent = useRef(0);

  useEffect(() => {
    setFirst("");
    setLast("");
    setStatus({ kind: "idle" });
    setTimeout(() => firstRef.current?.focus(), 0);
  }, [artistId]);

  if (!artist || !mayManageTimeOff(session, artist.id)) return null;
  const close = () => store.openArtistPanel(undefined);

  const send = (timeOff: TimeRange[]) => {
    const n = ++sent.current;
    setStatus({ kind: "saving" });
    store.setTimeOff(artist.id, timeOff).then(
      () => n === sent.current && setStatus({ kind: "saved" }),
      (e: unknown) => n === sent.current && setStatus({ kind: "error", message: e instanceof Error ? e.message : String(e) }),
    );
  };

  const range = first !== "" ? daysRange(first, last === "" ? first : last) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!range) return;
    send(addTimeOff(artist.timeOff, range));
    setFirst("");
    setLast("");
  };

  return (
    <aside className="panel" aria-label={`Time off for ${artist.name}`} data-testid="time-off-panel" onKeyDown={(e) => e.key === "Escape" && (close(), e.stopPropagation())}>
      <header className="panel__head">
        <h2>Time off · {artist.name}</h2>
        <span className={`panel__save${status.kind === "saved" ? " panel__save--ok" : ""}`} role="status" data-testid="time-off-save">
          {status.kind === "saving" ? "Saving…" : status.kind === "saved" ? "Saved" : ""}
        </span>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={close}>
          ✕
        </button>
      </header>
      {status.kind === "error" ? (
        <p className="panel__error" role="alert" data-testid="time-off-error">
          Could not change the time off: {status.message}
        </p>
      ) : null}
      {artist.timeOff.length === 0 ? (
        <p className="muted">No time off.</p>
      ) : (
        <ul className="time-off-list" aria-label="Time off">
          {artist.timeOff.map((r) => {
            const label = formatTimeOff(r.start, r.end);
            return (
              <li key={`${r.start}-${r.end}`}>
                <span>{label}</span>
                <button type="button" className="danger" aria-label={`Remove time off ${label}`} onClick={() => send(removeTimeOff(artist.timeOff, r))}>
                  Remove
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form onSubmit={submit} className="panel__form" aria-label="Add time off">
        <h3 className="panel__sub">Add time off</h3>
        <div className="panel__times">
          <label>
            First day
            <input ref={firstRef} type="date" name="first" value={first} required onChange={(e) => setFirst(e.target.value)} />
          </label>
          <label>
            Last day
            <input type="date" name="last" value={last} min={first || undefined} onChange={(e) => setLast(e.target.value)} />
          </label>
        </div>
        <p className="muted small">{first === "" ? "Whole days; the last day is included (empty: one day)." : range ? formatTimeOff(range.start, range.end) : "The last day must not be before the first."}</p>
        <div className="panel__actions">
          <button type="submit" className="primary" disabled={!range}>
            Add time off
          </button>
        </div>
        <p className="muted small">Time off is shaded on the board. Bookings over it are still allowed; dragging onto it warns.</p>
      </form>
    </aside>
  );
}
