// The Calendar feeds tab (owners and managers): an iCalendar (`.ics`) feed of
// the whole studio's bookings or one artist's, for a calendar app to
// subscribe to. Its secret URL (`location.origin + path`) is shown once, with
// Copy; the list shows each feed's hint, scope and state, and Revoke (behind
// a confirmation) makes the URL answer 404 from then on.

import { useState, type FormEvent } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { readable } from "./readable.js";
import { SecretOnce } from "./SecretOnce.js";
import { CalendarFeed, CreatedCalendarFeed } from "./studioSchemas.js";
import "./settings.css";
import { useList } from "./useList.js";
import { formatWhen } from "./when.js";
import { ListStatus } from "./ListStatus.js";

export function FeedsTab() {
  const { list, error, reload } = useList("/studio/calendar-feeds", CalendarFeed);
  const artists = useBoard((st) => st.artists);
  const [url, setUrl] = useState<string | undefined>();
  const [revoking, setRevoking] = useState<CalendarFeed | undefined>();
  const artistName = (id: string | null) => (id === null ? "Whole studio" : (artists.find((a) => a.id === id)?.name ?? "An artist no longer listed"));
  return (
    <section className="admin-feeds" aria-labelledby="feeds-title">
      <h2 id="feeds-title">Calendar feeds</h2>
      <p className="muted">A feed is a secret address a calendar app (Google Calendar, Outlook, Apple Calendar) subscribes to, to show bookings there.</p>
      <NewFeed
        onCreated={(path) => {
          setUrl(location.origin + path);
          reload();
        }}
      />
      {url ? <SecretOnce label="The feed's address" value={url} onDone={() => setUrl(undefined)} /> : null}
      <ListStatus error={error} list={list} empty="No calendar feeds yet." />
      {list && list.length > 0 ? (
        <table className="admin-table" data-testid="feeds">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Bookings of</th>
              <th scope="col">Address</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((f) => (
              <tr key={f.id} data-testid="feed" data-id={f.id} data-state={f.revokedAt ? "revoked" : "active"}>
                <th scope="row">{f.name}</th>
                <td>{artistName(f.artistId)}</td>
                <td>
                  <code>{f.hint}</code>
                </td>
                <td>{formatWhen(f.createdAt)}</td>
                <td>{f.revokedAt ? `Revoked ${formatWhen(f.revokedAt)}` : "Active"}</td>
                <td className="actions">
                  {f.revokedAt ? null : (
                    <button type="button" className="danger" aria-label={`Revoke ${f.name}`} onClick={() => setRevoking(f)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {revoking ? (
        <Confirm
          title={`Revoke ${revoking.name}?`}
          text="Calendars subscribed to this address stop getting bookings. This cannot be undone."
          action="Revoke"
          run={() => apiCall("DELETE", `/studio/calendar-feeds/${revoking.id}`, CalendarFeed)}
          onDone={() => {
            setRevoking(undefined);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

function NewFeed({ onCreated }: { onCreated: (path: string) => void }) {
  const artists = useBoard((st) => st.artists);
  const [name, setName] = useState("");
  const [artistId, setArtistId] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const created = await apiCall("POST", "/studio/calendar-feeds", CreatedCalendarFeed, { name: name.trim(), artistId: artistId || null });
      setName("");
      setError(undefined);
      onCreated(created.path);
    } catch (err) {
      setError(readable(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="admin-inline-form" onSubmit={submit} aria-label="New calendar feed" data-testid="feed-form">
      <label className="field">
        <span>Feed name</span>
        <input required maxLength={200} placeholder="Studio bookings" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label className="field">
        <span>Bookings of</span>
        <select value={artistId} onChange={(e) => setArtistId(e.target.value)}>
          <option value="">Whole studio</option>
          {[...artists]
            .sort((a, b) => a.name.localeCompare(b.name))
            .map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
        </select>
      </label>
      <button type="submit" className="primary" disabled={busy}>
        Create feed
      </button>
      {error ? (
        <p className="form-error" role="alert" data-testid="feed-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
