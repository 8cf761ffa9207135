// The side panel on an artist's time off: their entries (dates, kind, status,
// note; Cancel or Withdraw where allowed) and a form for whole days (first
// and last day, inclusive, on the board's local calendar), a kind and a note.
// A freelancer *requests* time off for their own artist (it waits for an
// owner's or manager's approval, on `#/time-off`); an owner or manager
// *records* it, approved at once. The entries change with the server's
// events, in every tab. Opened by the "Time off" button on an artist's name,
// shown only to those who may use it (owners and managers: anyone's; a
// freelancer: their own).

import { useEffect, useRef, useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import type { TimeOff, TimeOffKind } from "../../../src/index.js";
import { TIME_OFF_KIND, TIME_OFF_STATUS, mayApproveTimeOff, mayManageTimeOff, timeOffAction } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { daysRange, formatTimeOff } from "../time.js";

type Status = { kind: "idle" } | { kind: "saving" } | { kind: "saved"; text: string } | { kind: "error"; message: string };

export function TimeOffPanel() {
  const { artistId, artists, session } = useBoard(useShallow((st) => ({ artistId: st.artistPanel, artists: st.artists, session: st.session })));
  const artist = artists.find((a) => a.id === artistId);
  const [first, setFirst] = useState("");
  const [last, setLast] = useState("");
  const [kind, setKind] = useState<TimeOffKind>("vacation");
  const [note, setNote] = useState("");
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const firstRef = useRef<HTMLInputElement>(null);
  const sent = useRef(0);

  useEffect(() => {
    setFirst("");
    setLast("");
    setNote("");
    setStatus({ kind: "idle" });
    setTimeout(() => firstRef.current?.focus(), 0);
  }, [artistId]);

  if (!artist || !mayManageTimeOff(session, artist.id)) return null;
  const close = () => store.openArtistPanel(undefined);
  const approves = mayApproveTimeOff(session);

  /** Runs a command, saying in the panel when the server has it (`done`) or why it refused. */
  const run = (p: Promise<void>, done: string) => {
    const n = ++sent.current;
    setStatus({ kind: "saving" });
    p.then(
      () => n === sent.current && setStatus({ kind: "saved", text: done }),
      (e: unknown) => n === sent.current && setStatus({ kind: "error", message: e instanceof Error ? e.message : String(e) }),
    );
  };

  const range = first !== "" ? daysRange(first, last === "" ? first : last) : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!range) return;
    const text = note.trim();
    run(store.requestTimeOff(artist.id, { start: range.start, end: range.end, kind, ...(text ? { note: text } : {}) }), approves ? "Saved" : "Requested — awaiting approval");
    setFirst("");
    setLast("");
    setNote("");
  };

  const entries = [...artist.timeOff].sort((a, b) => a.start - b.start);
  return (
    <aside className="panel" aria-label={`Time off for ${artist.name}`} data-testid="time-off-panel" onKeyDown={(e) => e.key === "Escape" && (close(), e.stopPropagation())}>
      <header className="panel__head">
        <h2>Time off · {artist.name}</h2>
        <span className={`panel__save${status.kind === "saved" ? " panel__save--ok" : ""}`} role="status" data-testid="time-off-save">
          {status.kind === "saving" ? "Saving…" : status.kind === "saved" ? status.text : ""}
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
      {entries.length === 0 ? (
        <p className="muted">No time off.</p>
      ) : (
        <ul className="time-off-list" aria-label="Time off">
          {entries.map((entry) => (
            <Entry key={entry.id} entry={entry} action={timeOffAction(session, artist.id, entry)} onCancel={(label, verb) => run(store.cancelTimeOff(entry.id), `${verb}: ${label}`)} />
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="panel__form" aria-label={approves ? "Add time off" : "Request time off"}>
        <h3 className="panel__sub">{approves ? "Add time off" : "Request time off"}</h3>
        <div className="panel__times">
          <label>
            First day
            <input ref={firstRef} type="date" name="first" value={first} required onChange={(e) => setFirst(e.target.value)} />
          </label>
          <label>
            Last day
            <input type="date" name="last" value={last} min={first || undefined} onChange={(e) => setLast(e.target.value)} />
          </label>
          <label>
            Kind
            <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as TimeOffKind)}>
              {(Object.keys(TIME_OFF_KIND) as TimeOffKind[]).map((k) => (
                <option key={k} value={k}>
                  {TIME_OFF_KIND[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Note
            <input type="text" name="note" value={note} maxLength={500} placeholder="Optional" onChange={(e) => setNote(e.target.value)} />
          </label>
        </div>
        <p className="muted small">{first === "" ? "Whole days; the last day is included (empty: one day)." : range ? formatTimeOff(range.start, range.end) : "The last day must not be before the first."}</p>
        <div className="panel__actions">
          <button type="submit" className="primary" disabled={!range}>
            {approves ? "Add time off" : "Request time off"}
          </button>
        </div>
        <p className="muted small">
          {approves
            ? "Recorded as approved. Approved time off is shaded on the board; pencil and confirmed bookings over it are refused unless booked as overtime."
            : "An owner or manager approves it; until then it shows hatched as “requested”."}
        </p>
      </form>
    </aside>
  );
}

/** One entry: dates, kind, status, note, and Cancel (owners, managers) or Withdraw (a freelancer's own request). */
function Entry({ entry, action, onCancel }: { entry: TimeOff; action: "cancel" | "withdraw" | undefined; onCancel: (label: string, verb: string) => void }) {
  const label = formatTimeOff(entry.start, entry.end);
  return (
    <li className={`time-off-entry time-off-entry--${entry.status}`} data-status={entry.status} data-id={entry.id}>
      <span className="time-off-entry__text">
        <span>{label}</span>
        <span className="small">
          {TIME_OFF_KIND[entry.kind]} · <span className="time-off-entry__status">{TIME_OFF_STATUS[entry.status]}</span>
        </span>
        {entry.note ? <span className="small muted">{entry.note}</span> : null}
      </span>
      {action ? (
        <button type="button" className="danger" aria-label={`${action === "cancel" ? "Cancel" : "Withdraw"} time off ${label}`} onClick={() => onCancel(label, action === "cancel" ? "Cancelled" : "Withdrawn")}>
          {action === "cancel" ? "Cancel" : "Withdraw"}
        </button>
      ) : null}
    </li>
  );
}
