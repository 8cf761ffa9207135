// The approval queue (`#/time-off`, owners and managers): every requested
// time-off entry in the studio, by start — artist, dates, kind, note, when it
// was asked — with Approve and Decline. Read from the live tenant view (its
// artists carry their entries), so it changes as soon as anyone requests,
// decides or withdraws, in any tab; a decision is the `decideTimeOff` command.

import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import type { Artist, TimeOff, TimeOffDecision } from "../../../src/index.js";
import { TIME_OFF_KIND, mayApproveTimeOff } from "../model.js";
import { routeHash } from "../router.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { formatTimeOff } from "../time.js";
import "./timeoff.css";

interface Request {
  artist: Artist;
  entry: TimeOff;
}

/** The studio's requested entries, by start (then artist name). */
export function requests(artists: readonly Artist[]): Request[] {
  const out: Request[] = [];
  for (const artist of artists) for (const entry of artist.timeOff) if (entry.status === "requested") out.push({ artist, entry });
  return out.sort((a, b) => a.entry.start - b.entry.start || a.artist.name.localeCompare(b.artist.name));
}

const F_ASKED = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });

export function TimeOffPage() {
  const { artists, session, ready } = useBoard(useShallow((st) => ({ artists: st.artists, session: st.session, ready: st.ready })));
  const queue = useMemo(() => requests(artists), [artists]);
  const [errors, setErrors] = useState<ReadonlyMap<string, string>>(new Map());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  if (!mayApproveTimeOff(session)) {
    return (
      <section aria-labelledby="time-off-title">
        <div className="page__head">
          <h1 id="time-off-title">Time off</h1>
        </div>
        <p className="muted">Owners and managers approve time off. Request yours from your row on the board (“Time off”).</p>
      </section>
    );
  }

  const decide = (id: string, decision: TimeOffDecision) => {
    setBusy((b) => new Set(b).add(id));
    const done = (error?: string) => {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(id);
        return next;
      });
      setErrors((m) => {
        const next = new Map(m);
        if (error === undefined) next.delete(id);
        else next.set(id, error);
        return next;
      });
    };
    store.decideTimeOff(id, decision).then(
      () => done(),
      (e: unknown) => done(e instanceof Error ? e.message : String(e)),
    );
  };

  return (
    <section className="time-off-page" aria-labelledby="time-off-title">
      <div className="page__head">
        <h1 id="time-off-title">Time off</h1>
        <span className="muted" role="status" data-testid="time-off-count">
          {ready ? `${queue.length} ${queue.length === 1 ? "request" : "requests"} awaiting approval` : "Loading…"}
        </span>
      </div>
      {ready && queue.length === 0 ? <p className="muted">No requests waiting. New ones appear here as soon as they are made.</p> : null}
      {queue.length > 0 ? (
        <table className="time-off-queue" aria-label="Time-off requests">
          <thead>
            <tr>
              <th scope="col">Artist</th>
              <th scope="col">Dates</th>
              <th scope="col">Kind</th>
              <th scope="col">Note</th>
              <th scope="col">Asked</th>
              <th scope="col">
                <span className="visually-hidden">Decision</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {queue.map(({ artist, entry }) => {
              const dates = formatTimeOff(entry.start, entry.end);
              const error = errors.get(entry.id);
              return (
                <tr key={entry.id} data-id={entry.id} data-testid="time-off-request">
                  <th scope="row">
                    <a href={routeHash({ page: "board", artist: artist.id, week: new Date(entry.start / 1000).toISOString().slice(0, 10) })}>{artist.name}</a>
                  </th>
                  <td>{dates}</td>
                  <td>{TIME_OFF_KIND[entry.kind]}</td>
                  <td>{entry.note ?? <span className="muted">—</span>}</td>
                  <td>{F_ASKED.format(entry.createdAt / 1000)}</td>
                  <td className="time-off-queue__actions">
                    <button type="button" className="primary" disabled={busy.has(entry.id)} aria-label={`Approve ${artist.name}'s time off ${dates}`} onClick={() => decide(entry.id, "approve")}>
                      Approve
                    </button>
                    <button type="button" className="danger" disabled={busy.has(entry.id)} aria-label={`Decline ${artist.name}'s time off ${dates}`} onClick={() => decide(entry.id, "decline")}>
                      Decline
                    </button>
                    {error ? (
                      <span className="form-error" role="alert">
                        {error}
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
