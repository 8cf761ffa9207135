// The studio's public holidays (Settings tab): listed by date, each with a
// Remove button, and a form to add one. Each change is at once a
// `PATCH /studio {holidays}` of the whole list (the API replaces it), so the
// list shown is always the one stored.

import { useState, type FormEvent } from "react";
import { apiCall } from "../api.js";
import { readable } from "./readable.js";
import { Settings as SettingsSchema, type Holiday, type Settings } from "./studioSchemas.js";

const F_DAY = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

/** "Fri, 25 Dec 2026" for `YYYY-MM-DD` (a calendar date: no time zone applies). */
export function dayText(date: string): string {
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isNaN(t) ? date : F_DAY.format(t);
}

export function Holidays({ settings, onSaved }: { settings: Settings; onSaved: (s: Settings) => void }) {
  const [date, setDate] = useState("");
  const [name, setName] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const list = [...settings.holidays].sort((a, b) => a.date.localeCompare(b.date));

  const save = async (holidays: Holiday[]): Promise<boolean> => {
    setBusy(true);
    try {
      onSaved(await apiCall("PATCH", "/studio", SettingsSchema, { holidays }));
      setError(undefined);
      return true;
    } catch (e) {
      setError(readable(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (await save([...list, { date, name: name.trim() }])) {
      setDate("");
      setName("");
    }
  };

  return (
    <section className="admin-holidays" aria-labelledby="holidays-title">
      <h3 id="holidays-title">Holidays</h3>
      {list.length === 0 ? (
        <p className="muted">No holidays. On a holiday no one in the studio works.</p>
      ) : (
        <table className="admin-table" data-testid="holidays">
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Name</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((h) => (
              <tr key={h.date} data-testid="holiday" data-date={h.date}>
                <td>{dayText(h.date)}</td>
                <td>{h.name}</td>
                <td className="actions">
                  <button type="button" className="danger" disabled={busy} aria-label={`Remove ${h.name}, ${dayText(h.date)}`} onClick={() => void save(list.filter((x) => x.date !== h.date))}>
                    Remove
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="admin-inline-form" onSubmit={add} aria-label="Add a holiday">
        <label className="field">
          <span>Date</span>
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <label className="field">
          <span>Holiday name</span>
          <input required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={busy}>
          Add holiday
        </button>
      </form>
      {error ? (
        <p className="form-error" role="alert" data-testid="holidays-error">
          {error}
        </p>
      ) : null}
    </section>
  );
}
