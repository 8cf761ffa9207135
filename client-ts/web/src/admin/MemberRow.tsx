// One member in Studio › Members: their role and, for a freelancer, their
// linked artist, chosen first and sent together with **Save** (`PATCH
// /studio/members/{userId}` with what changed), so arrowing through a
// select does not send a change — and end the member's sessions — per step.
// **Cancel** puts the row back; a refusal shows on the row.

import { useEffect, useState } from "react";
import { apiCall } from "../api.js";
import { useBoard } from "../store.js";
import { readable } from "./readable.js";
import { ROLES, roleText } from "./roles.js";
import { Member, memberName } from "./schemas.js";

interface Props {
  member: Member;
  isMe: boolean;
  onChanged: (text: string) => void;
  onRemove: () => void;
}

interface Draft {
  role: string;
  artistId: string | null;
}

export function MemberRow({ member: m, isMe, onChanged, onRemove }: Props) {
  const artists = useBoard((st) => st.artists);
  const [draft, setDraft] = useState<Draft>({ role: m.role, artistId: m.artistId });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // A fresh answer from the server (after a save, or another owner's change) resets the row.
  useEffect(() => setDraft({ role: m.role, artistId: m.artistId }), [m.role, m.artistId]);
  const who = memberName(m);
  const changed = draft.role !== m.role || draft.artistId !== m.artistId;
  const artistName = (id: string | null) => (id ? (artists.find((a) => a.id === id)?.name ?? "an archived artist") : "no artist");

  const save = async () => {
    const body: { role?: string; artistId?: string | null } = {};
    if (draft.role !== m.role) body.role = draft.role;
    if (draft.artistId !== m.artistId) body.artistId = draft.artistId;
    setBusy(true);
    setError(undefined);
    try {
      await apiCall("PATCH", `/studio/members/${m.user.id}`, Member, body);
      const linked = draft.role === "freelancer" ? `, linked to ${artistName(draft.artistId)}` : "";
      onChanged(`Saved: ${who} is ${roleText(draft.role)}${linked}.`);
    } catch (e) {
      setError(readable(e));
    } finally {
      setBusy(false);
    }
  };
  const cancel = () => {
    setDraft({ role: m.role, artistId: m.artistId });
    setError(undefined);
  };

  return (
    <tr data-testid="member-row" data-id={m.user.id} data-email={m.user.email} data-role={m.role}>
      <th scope="row">
        {who}
        {isMe ? <span className="badge">You</span> : null}
      </th>
      <td>{m.user.email}</td>
      <td>
        <select aria-label={`Role of ${who}`} value={draft.role} disabled={busy} onChange={(e) => setDraft({ ...draft, role: e.target.value })}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {roleText(r)}
            </option>
          ))}
        </select>
      </td>
      <td>
        {draft.role === "freelancer" ? (
          <select aria-label={`Artist of ${who}`} value={draft.artistId ?? ""} disabled={busy} onChange={(e) => setDraft({ ...draft, artistId: e.target.value || null })}>
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
        {changed ? (
          <>
            <button type="button" className="primary" disabled={busy} onClick={() => void save()} aria-label={`Save changes to ${who}`}>
              Save
            </button>
            <button type="button" disabled={busy} onClick={cancel} aria-label={`Cancel changes to ${who}`}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" className="danger" disabled={busy} onClick={onRemove} aria-label={`Remove ${who}`}>
            Remove
          </button>
        )}
        {error ? (
          <span className="form-error" role="alert">
            {error}
          </span>
        ) : null}
      </td>
    </tr>
  );
}
