// Studio › Members (owners): who belongs to the studio (`GET /studio/members`)
// with their role, changed in place (`PATCH /studio/members/{userId}`); a
// freelancer's linked artist (their own row on the board) chosen from the
// studio's artists; Remove (`DELETE /studio/members/{userId}`, after a
// confirmation). A change ends that member's sessions: they sign in again
// with the new role. The server's refusals (demoting or removing yourself …)
// show on the member's row.

import { useState } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { readable } from "./readable.js";
import { ROLES, roleText } from "./roles.js";
import { Member } from "./schemas.js";
import { useList } from "./useList.js";

export function MembersTab() {
  const me = useBoard((st) => st.session?.user.id);
  const { list, error, reload } = useList("/studio/members", Member);
  const [removing, setRemoving] = useState<Member | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const sorted = list ? [...list].sort((a, b) => name(a).localeCompare(name(b))) : undefined;

  return (
    <div className="studio-tab" data-testid="studio-members">
      <div className="studio-tab__head">
        <h2>Members</h2>
        <span className="muted" role="status">
          {done ?? ""}
        </span>
      </div>
      <p className="muted">Invite new members from Invitations. A changed role takes effect at once: the member's sessions end and they sign in again.</p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {sorted === undefined ? (
        error ? null : <p className="muted">Loading…</p>
      ) : (
        <table className="admin-table" aria-label="Members">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Artist</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((m) => (
              <MemberRow key={m.user.id} member={m} isMe={m.user.id === me} onChanged={(text) => {
                  setDone(text);
                  reload();
                }} onRemove={() => setRemoving(m)} />
            ))}
          </tbody>
        </table>
      )}
      {removing ? (
        <Confirm
          title={`Remove ${name(removing)}?`}
          text={`${name(removing)} (${removing.user.email}) leaves the studio: their sessions end at once. Their artist and bookings stay.`}
          action="Remove"
          run={() => apiCall("DELETE", `/studio/members/${removing.user.id}`, Member).then(() => setDone(`Removed ${name(removing)}.`))}
          onDone={() => {
            setRemoving(undefined);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

function name(m: Member): string {
  return m.user.displayName || m.user.email;
}

interface RowProps {
  member: Member;
  isMe: boolean;
  onChanged: (text: string) => void;
  onRemove: () => void;
}

function MemberRow({ member: m, isMe, onChanged, onRemove }: RowProps) {
  const artists = useBoard((st) => st.artists);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const who = name(m);
  const patch = async (body: { role?: string; artistId?: string | null }, text: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await apiCall("PATCH", `/studio/members/${m.user.id}`, Member, body);
      onChanged(text);
    } catch (e) {
      setError(readable(e));
    } finally {
      setBusy(false);
    }
  };
  const artistName = (id: string | null) => (id ? (artists.find((a) => a.id === id)?.name ?? "an archived artist") : "no artist");

  return (
    <tr data-testid="member-row" data-id={m.user.id} data-email={m.user.email} data-role={m.role}>
      <th scope="row">
        {who}
        {isMe ? <span className="badge">You</span> : null}
      </th>
      <td>{m.user.email}</td>
      <td>
        <select aria-label={`Role of ${who}`} value={m.role} disabled={busy} onChange={(e) => void patch({ role: e.target.value }, `${who} is now ${roleText(e.target.value)}.`)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleText(r)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {m.role === "freelancer" ? (
          <select
            aria-label={`Artist of ${who}`}
            value={m.artistId ?? ""}
            disabled={busy}
            onChange={(e) => void patch({ artistId: e.target.value || null }, `${who} is linked to ${artistName(e.target.value || null)}.`)}
          >
            <option value="">No artist</option>
            {m.artistId && !artists.some((a) => a.id === m.artistId) ? <option value={m.artistId}>An archived artist</option> : null}
            {artists.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td className="actions">
        <button type="button" className="danger" disabled={busy} onClick={onRemove} aria-label={`Remove ${who}`}>
          Remove
        </button>
        {error ? (
          <span className="form-error" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
