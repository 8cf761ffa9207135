// After a drag on empty space: the new booking's status (hold, pencil or
// confirmed; the last one chosen is remembered, pencil at first) and title,
// and for a hold when it lapses (the studio's default hold duration unless
// changed). Enter creates it, Escape (or Cancel) drops it.

import { useState, type FormEvent } from "react";
import type { BookingStatus } from "../../../src/index.js";
import { STATUS_LABEL } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { US_PER_MIN, formatRange, fromLocalInput, toLocalInput } from "../time.js";
import { calendarFor, workingText } from "./workingTime.js";

export interface Draft {
  artistId: string;
  start: number;
  end: number;
}

const CHOICES: BookingStatus[] = ["hold", "pencil", "confirmed"];
/** The status chosen last (this page): the next create starts with it. */
let lastStatus: BookingStatus = "pencil";

export function CreateDialog({ draft, onDone }: { draft: Draft; onDone: (key?: string) => void }) {
  const st = useBoard.getState();
  const artist = st.artists.find((a) => a.id === draft.artistId);
  const [status, setStatus] = useState<BookingStatus>(lastStatus);
  const [title, setTitle] = useState("");
  // The lapse time the server would give a hold; sent only when changed.
  const [defaultExpiry] = useState(() => toLocalInput(Date.now() * 1000 + st.studio.defaultHoldMinutes * US_PER_MIN));
  const [expiry, setExpiry] = useState(defaultExpiry);
  const expiresAt = fromLocalInput(expiry);
  const working = workingText(draft.start, draft.end, artist && calendarFor(artist, st.workingWeek, st.studio.holidays));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    lastStatus = status;
    const project = st.filters.project;
    const key = store.createBooking({
      artistId: draft.artistId,
      title: title.trim() || "New booking",
      startTime: draft.start,
      endTime: draft.end,
      status,
      ...(project ? { projectId: project } : {}),
      ...(status === "hold" && expiry !== defaultExpiry && expiresAt !== undefined ? { expiresAt } : {}),
    });
    onDone(key);
  };

  return (
    <div className="dialog-backdrop" onPointerDown={(e) => e.target === e.currentTarget && onDone()}>
      <form
        className="dialog dialog--small create-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="create-title"
        data-testid="create-dialog"
        onSubmit={submit}
        onKeyDown={(e) => {
          if (e.key === "Escape") {
            e.stopPropagation();
            onDone();
          }
        }}
      >
        <h2 id="create-title">New booking</h2>
        <p className="muted">
          {artist?.name} · {formatRange(draft.start, draft.end)}
          {working ? ` · ${working}` : ""}
        </p>
        <fieldset className="create-dialog__status">
          <legend>Status</legend>
          {CHOICES.map((s) => (
            <label key={s} className={`status-choice status-choice--${s}${status === s ? " status-choice--chosen" : ""}`}>
              <input type="radio" name="status" value={s} checked={status === s} onChange={() => setStatus(s)} /> {STATUS_LABEL[s]}
            </label>
          ))}
        </fieldset>
        <label>
          Title
          <input name="title" value={title} placeholder="New booking" maxLength={200} autoFocus onChange={(e) => setTitle(e.target.value)} />
        </label>
        {status === "hold" ? (
          <label>
            Hold lapses
            <input type="datetime-local" name="expiresAt" value={expiry} onChange={(e) => setExpiry(e.target.value)} />
          </label>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={() => onDone()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={status === "hold" && expiresAt === undefined}>
            Create {STATUS_LABEL[status].toLowerCase()}
          </button>
        </div>
      </form>
    </div>
  );
}
