// Studio › Invitations (owners): invite someone (`InviteForm`: the link is
// shown once, with Copy), and the invitations still open (`GET
// /studio/invitations`: not accepted, not revoked, newest first; expired ones
// marked), each with Revoke (`DELETE /studio/invitations/{id}`, after a
// confirmation): its link stops working at once.

import { useState } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { InviteForm } from "./InviteForm.js";
import { roleText } from "./roles.js";
import { Invitation } from "./schemas.js";
import { useList } from "./useList.js";
import { formatWhen } from "./when.js";

export function InvitationsTab() {
  const artists = useBoard((st) => st.artists);
  const { list, error, reload } = useList("/studio/invitations", Invitation);
  const [revoking, setRevoking] = useState<Invitation | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const artistName = (id: string | null) => (id ? (artists.find((a) => a.id === id)?.name ?? "an archived artist") : "");

  return (
    <div className="studio-tab" data-testid="studio-invitations">
      <div className="studio-tab__head">
        <h2>Invitations</h2>
        <span className="muted" role="status">
          {done ?? ""}
        </span>
      </div>
      <InviteForm onCreated={reload} />
      <h3 id="pending-title">Waiting to be accepted</h3>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {list === undefined ? (
        error ? null : <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No open invitations.</p>
      ) : (
        <table className="admin-table" aria-labelledby="pending-title">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Sent</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((inv) => {
              const expired = inv.expired;
              return (
                <tr key={inv.id} data-testid="invitation-row" data-id={inv.id} data-email={inv.email} data-expired={expired}>
                  <th scope="row">{inv.email}</th>
                  <td>
                    {roleText(inv.role)}
                    {inv.artistId ? <span className="muted"> · {artistName(inv.artistId)}</span> : null}
                  </td>
                  <td>{formatWhen(inv.createdAt)}</td>
                  <td>
                    {formatWhen(inv.expiresAt)}
                    {expired ? <span className="badge badge--warn">Expired</span> : null}
                  </td>
                  <td className="actions">
                    <button type="button" className="danger" onClick={() => setRevoking(inv)} aria-label={`Revoke the invitation for ${inv.email}`}>
                      Revoke
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {revoking ? (
        <Confirm
          title={`Revoke the invitation for ${revoking.email}?`}
          text="Its link stops working at once. You can invite them again later."
          action="Revoke"
          run={() => apiCall("DELETE", `/studio/invitations/${revoking.id}`, Invitation).then(() => setDone(`Revoked the invitation for ${revoking.email}.`))}
          onDone={() => {
            setRevoking(undefined);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}
