// Studio › Invitations: the form that invites someone (`POST
// /studio/invitations`: email, role, and for a freelancer their artist), then
// the invitation link — `<origin>/#/invitation?token=inv_…` — shown this once,
// with a Copy button (the server keeps only the token's hash).

import { useState, type FormEvent } from "react";
import { apiCall } from "../api.js";
import { readable } from "./readable.js";
import { formatWhen } from "./when.js";
import { useBoard } from "../store.js";
import { ROLES, roleText } from "./roles.js";
import { CreatedInvitation } from "./schemas.js";

/** The link an invitee opens: the public accept page with the token. */
export function invitationLink(token: string): string {
  return `${location.origin}/#/invitation?token=${encodeURIComponent(token)}`;
}

export function InviteForm({ onCreated }: { onCreated: () => void }) {
  const artists = useBoard((st) => st.artists);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>("studio_manager");
  const [artistId, setArtistId] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<{ email: string; link: string; expiresAt: string } | undefined>();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = { email: email.trim(), role, ...(role === "freelancer" && artistId ? { artistId } : {}) };
      const answer = await apiCall("POST", "/studio/invitations", CreatedInvitation, body);
      setCreated({ email: answer.invitation.email, link: invitationLink(answer.token), expiresAt: answer.invitation.expiresAt });
      setEmail("");
      setArtistId("");
      onCreated();
    } catch (err) {
      setError(readable(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <form className="invite-form" onSubmit={submit} aria-labelledby="invite-title" data-testid="invite-form">
        <h3 id="invite-title">Invite someone</h3>
        <label className="field">
          <span>Email</span>
          <input type="email" name="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label className="field">
          <span>Role</span>
          <select name="role" value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {roleText(r)}
              </option>
            ))}
          </select>
        </label>
        {role === "freelancer" ? (
          <label className="field">
            <span>Artist</span>
            <select name="artistId" required value={artistId} onChange={(e) => setArtistId(e.target.value)}>
              <option value="">Choose their artist…</option>
              {artists.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          Create invitation
        </button>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </form>
      {created ? <CreatedLink {...created} onDismiss={() => setCreated(undefined)} /> : null}
    </>
  );
}

/** The new invitation's link, shown once, with Copy. */
function CreatedLink({ email, link, expiresAt, onDismiss }: { email: string; link: string; expiresAt: string; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | undefined>();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied("Copied to the clipboard.");
    } catch {
      // No clipboard (permission refused, or not a secure origin): select it for Ctrl+C.
      const input = document.getElementById("invitation-link") as HTMLInputElement | null;
      input?.select();
      setCopied("Selected: press Ctrl+C (⌘C) to copy.");
    }
  };
  return (
    <div className="invite-link" role="region" aria-labelledby="invite-link-title" data-testid="invitation-link">
      <h3 id="invite-link-title">Invitation for {email}</h3>
      <p className="muted">Send this link to {email}. It is shown only now, and works until {formatWhen(expiresAt)}.</p>
      <div className="invite-link__row">
        <input id="invitation-link" readOnly value={link} aria-label="Invitation link" onFocus={(e) => e.target.select()} />
        <button type="button" className="primary" onClick={() => void copy()}>
          Copy
        </button>
        <button type="button" onClick={onDismiss}>
          Done
        </button>
      </div>
      <span className="muted" role="status">
        {copied ?? ""}
      </span>
    </div>
  );
}
