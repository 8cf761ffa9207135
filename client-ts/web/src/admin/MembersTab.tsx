// Studio › Members (owners): who belongs to the studio (`GET /studio/members`)
// with their role, changed in place (`PATCH /studio/members/{userId}`); a
// freelancer's linked artist (their own row on the board) chosen from the
// studio's artists (`MemberRow`); Remove (`DELETE /studio/members/{userId}`,
// after a confirmation). A change ends that member's sessions: they sign in
// again with the new role. The server's refusals (demoting or removing
// yourself …) show on the member's row or in the dialog.

import { useState } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { MemberRow } from "./MemberRow.js";
import { Member, memberName as name } from "./schemas.js";
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

