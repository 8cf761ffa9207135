// Import / export tab, export half: the studio's bookings as CSV (`GET
// /bookings` with `Accept: text/csv`: every matching row, no paging), with the
// list's filters — artist, project, status, first and last day — and, for
// owners, the artists (`GET /artists`). Saved through `downloadCsv`.

import { useState, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";
import { query } from "../api.js";
import { downloadCsv } from "../download.js";
import { STATUS_LABEL } from "../model.js";
import { useBoard } from "../store.js";
import { readable } from "./readable.js";

/** Local midnight of `YYYY-MM-DD`, plus `days`, as RFC 3339 (the API's instants). */
function midnight(day: string, days = 0): string | undefined {
  if (!day) return undefined;
  const d = new Date(`${day}T00:00`);
  d.setDate(d.getDate() + days);
  return d.toISOString();
}

export function ExportCsv({ artists: withArtists }: { artists: boolean }) {
  const { artists, projects } = useBoard(useShallow((st) => ({ artists: st.artists, projects: st.projects })));
  const [f, setF] = useState({ artist: "", project: "", status: "", from: "", to: "" });
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<void>) => {
    setBusy(true);
    try {
      await what();
      setError(undefined);
    } catch (e) {
      setError(readable(e));
    } finally {
      setBusy(false);
    }
  };
  const bookings = (e: FormEvent) => {
    e.preventDefault();
    // The last day is included: the range ends at the next midnight.
    const q = query({ artist: f.artist, project: f.project, status: f.status, from: midnight(f.from), to: midnight(f.to, 1) });
    void run(() => downloadCsv(`/bookings${q}`, "bookings.csv"));
  };
  const set = (key: keyof typeof f) => (e: { target: { value: string } }) => setF({ ...f, [key]: e.target.value });

  return (
    <section className="admin-export" aria-labelledby="export-title">
      <h3 id="export-title">Export</h3>
      <form className="admin-inline-form" onSubmit={bookings} aria-label="Export bookings" data-testid="export-form">
        <label className="field">
          <span>Artist</span>
          <select value={f.artist} onChange={set("artist")}>
            <option value="">Every artist</option>
            {[...artists]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Project</span>
          <select value={f.project} onChange={set("project")}>
            <option value="">Every project</option>
            {[...projects]
              .sort(([, a], [, b]) => a.name.localeCompare(b.name))
              .map(([id, p]) => (
                <option key={id} value={id}>
                  {p.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={f.status} onChange={set("status")}>
            <option value="">Every status</option>
            {Object.entries(STATUS_LABEL).map(([s, label]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" value={f.from} onChange={set("from")} />
        </label>
        <label className="field">
          <span>To (last day)</span>
          <input type="date" value={f.to} onChange={set("to")} />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          Export bookings CSV
        </button>
      </form>
      {withArtists ? (
        <p>
          <button type="button" disabled={busy} onClick={() => void run(() => downloadCsv("/artists", "artists.csv"))}>
            Export artists CSV
          </button>
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert" data-testid="export-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
