// Studio › Artists (owners): the studio's artists from the live tenant view
// (so a change made anywhere shows at once), inactive ones behind a toggle;
// New artist and Edit (`ArtistDialog`), and Archive (`DELETE /artists/{id}`,
// after a confirmation). Archived artists leave the view: the server keeps
// their history but lists them nowhere.

import { useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { ArtistDialog } from "./ArtistDialog.js";
import type { ArtistLike } from "./artistForm.js";
import { ArtistRecord } from "./schemas.js";

export function ArtistsTab() {
  const { artists, ready } = useBoard(useShallow((st) => ({ artists: st.artists, ready: st.ready })));
  const [showInactive, setShowInactive] = useState(false);
  const [editing, setEditing] = useState<ArtistLike | "new" | undefined>();
  const [archiving, setArchiving] = useState<ArtistLike | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const inactive = artists.filter((a) => !a.active).length;
  const list = useMemo(
    () => artists.filter((a) => showInactive || a.active).sort((a, b) => a.name.localeCompare(b.name)),
    [artists, showInactive],
  );

  return (
    <div className="studio-tab" data-testid="studio-artists">
      <div className="studio-tab__head">
        <h2>Artists</h2>
        <button type="button" className="primary" onClick={() => setEditing("new")}>
          New artist
        </button>
        <label className="check">
          <input type="checkbox" checked={showInactive} onChange={(e) => setShowInactive(e.target.checked)} />
          Show inactive ({inactive})
        </label>
        <span className="muted" role="status">
          {done ?? ""}
        </span>
      </div>
      {!ready ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted">No artists yet.</p>
      ) : (
        <table className="admin-table" aria-label="Artists">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Skills</th>
              <th scope="col">Time zone</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-testid="artist-row" data-id={a.id}>
                <th scope="row">{a.name}</th>
                <td>{a.email ?? <span className="muted">—</span>}</td>
                <td>{a.skills.join(", ")}</td>
                <td>{a.timezone}</td>
                <td>{a.active ? "Active" : <span className="badge">Inactive</span>}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing(a)} aria-label={`Edit ${a.name}`}>
                    Edit
                  </button>
                  <button type="button" className="danger" onClick={() => setArchiving(a)} aria-label={`Archive ${a.name}`}>
                    Archive
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (
        <ArtistDialog
          artist={editing === "new" ? undefined : editing}
          onClose={(saved) => {
            setEditing(undefined);
            if (saved) setDone(`${editing === "new" ? "Created" : "Saved"} ${saved.name}.`);
          }}
        />
      ) : null}
      {archiving ? (
        <Confirm
          title={`Archive ${archiving.name}?`}
          text="They leave the board and every list; their bookings and history stay. Refused while they have bookings that end in the future."
          action="Archive"
          run={() => apiCall("DELETE", `/artists/${archiving.id}`, ArtistRecord).then(() => setDone(`Archived ${archiving.name}.`))}
          onDone={() => setArchiving(undefined)}
        />
      ) : null}
    </div>
  );
}
