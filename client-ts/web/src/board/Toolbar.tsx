// The toolbar: the page links and the notifications bell (`Nav`), undo and redo (owners and managers: they edit), zoom, today, filters (text, skill, project), grouping, "Find
// someone" (owners and managers), who is here (presence), the connection state, and the
// signed-in user (with the Jobs link, and the Studio link for owners and managers, beside Sign out). Compact (`toolbar--board`)
// so that all of it fits on one line at 1440 px: the user's name and Sign out are stacked, as
// the product and the studio are at the other end.

import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { bookableProjects, initials, mayApproveTimeOff, mayEditBookings, projectName, type GroupBy } from "../model.js";
import { JobsLink, Nav, StudioLink } from "../Nav.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { ZOOMS, fromLocalInput, type Zoom } from "../time.js";

const CONN_TEXT = { idle: "Offline", connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", closed: "Disconnected" };

export function Toolbar() {
  const { zoom, filters, artists, projects: known, others, conn, session, findOpen } = useBoard(
    useShallow((st) => ({
      zoom: st.zoom,
      filters: st.filters,
      artists: st.artists,
      projects: st.projects,
      others: st.others,
      conn: st.conn,
      session: st.session,
      findOpen: st.findOpen,
    })),
  );
  const skills = useMemo(() => [...new Set(artists.flatMap((a) => a.skills))].sort(), [artists]);
  const projects = useMemo(() => bookableProjects(known, filters.project || null), [known, filters.project]);
  const people = [...others.entries()];

  return (
    <header className="toolbar toolbar--board">
      <div className="toolbar__brand">
        <strong>Production Tool</strong>
        <span className="muted" title={session?.tenant.name}>
          {session?.tenant.name}
        </span>
      </div>
      <Nav studio={false} jobs={false} />
      {mayEditBookings(session) ? <UndoButtons /> : null}
      <div className="segmented" role="group" aria-label="Zoom">
        {(Object.keys(ZOOMS) as Zoom[]).map((z) => (
          <button key={z} type="button" aria-pressed={zoom === z} onClick={() => store.setZoom(z)}>
            {ZOOMS[z].label}
          </button>
        ))}
      </div>
      <button type="button" onClick={() => window.dispatchEvent(new Event("pt:today"))}>
        Today
      </button>
      <input
        type="date"
        aria-label="Go to date"
        onChange={(e) => {
          const at = fromLocalInput(`${e.target.value}T00:00`);
          if (at !== undefined) window.dispatchEvent(new CustomEvent("pt:goto", { detail: at }));
        }}
      />
      <input
        type="search"
        placeholder="Search"
        aria-label="Find artist or skill"
        value={filters.text}
        onChange={(e) => store.setFilters({ text: e.target.value })}
      />
      <label className="toolbar__field">
        <span className="visually-hidden">Skill</span>
        <select value={filters.skill} onChange={(e) => store.setFilters({ skill: e.target.value })}>
          <option value="">All skills</option>
          {skills.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label className="toolbar__field">
        <span className="visually-hidden">Project</span>
        <select value={filters.project} onChange={(e) => store.setFilters({ project: e.target.value })}>
          <option value="">All projects</option>
          {projects.map((p) => (
            <option key={p} value={p}>
              {projectName(p, known)}
            </option>
          ))}
        </select>
      </label>
      <label className="toolbar__field">
        <span className="visually-hidden">Group</span>
        <select value={filters.groupBy} onChange={(e) => store.setFilters({ groupBy: e.target.value as GroupBy })}>
          <option value="none">No grouping</option>
          <option value="skill">By skill</option>
          <option value="project">By project</option>
        </select>
      </label>
      {mayApproveTimeOff(session) ? (
        <button type="button" aria-pressed={findOpen} aria-label="Find someone" title="Find someone: by skills and free time" onClick={() => store.openFind(!findOpen)}>
          Find…
        </button>
      ) : null}
      <div className="toolbar__spacer" />
      <ul className="presence" aria-label={`Also here: ${people.length === 0 ? "nobody" : people.map(([, p]) => p.name ?? "Someone").join(", ")}`} data-testid="presence">
        {people.slice(0, 6).map(([id, p]) => (
          <li key={id} className={`avatar${p.editingBooking ? " avatar--editing" : ""}`} title={`${p.name ?? "Someone"}${p.editingBooking ? " (editing a booking)" : ""}`} data-name={p.name ?? ""}>
            {initials(p.name ?? "?")}
          </li>
        ))}
        {people.length > 6 ? <li className="avatar avatar--more">+{people.length - 6}</li> : null}
      </ul>
      <span className={`conn conn--${conn}`} role="status" data-testid="conn">
        {CONN_TEXT[conn]}
      </span>
      <div className="toolbar__me">
        <span className="toolbar__user" title={`${session?.user.displayName ?? ""}: ${session?.user.email ?? ""} · ${session?.role ?? ""}`} data-name={session?.user.displayName}>
          {session?.user.displayName}
        </span>
        <span className="toolbar__links">
          <JobsLink className="link" />
          <StudioLink className="link" />
          <button type="button" className="link" onClick={() => void store.signOut()}>
            Sign out
          </button>
        </span>
      </div>
    </header>
  );
}

/** Undo and redo, named by what they would do (`store/undo.ts`); disabled when there is nothing. */
function UndoButtons() {
  const { undoLabel, redoLabel } = useBoard(useShallow((st) => ({ undoLabel: st.undoLabel, redoLabel: st.redoLabel })));
  const mac = /Mac|iPhone|iPad/.test(navigator.platform);
  return (
    <div className="segmented toolbar__undo" role="group" aria-label="Undo and redo">
      <button type="button" aria-label="Undo" disabled={!undoLabel} title={undoLabel ? `Undo ${undoLabel} (${mac ? "⌘Z" : "Ctrl+Z"})` : "Nothing to undo"} onClick={() => store.undo()}>
        ↶
      </button>
      <button type="button" aria-label="Redo" disabled={!redoLabel} title={redoLabel ? `Redo ${redoLabel} (${mac ? "⌘⇧Z" : "Ctrl+Shift+Z"})` : "Nothing to redo"} onClick={() => store.redo()}>
        ↷
      </button>
    </div>
  );
}
