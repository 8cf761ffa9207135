// The header of the pages beyond the board (projects, Gantt, utilization):
// the studio, the page links, the connection state and the signed-in user.
// (The board's own toolbar carries the same links.)

import { useShallow } from "zustand/react/shallow";
import { Nav } from "./Nav.js";
import * as store from "./store.js";
import { useBoard } from "./store.js";

const CONN_TEXT = { idle: "Offline", connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", closed: "Disconnected" };

export function PageHeader() {
  const { conn, session } = useBoard(useShallow((st) => ({ conn: st.conn, session: st.session })));
  return (
    <header className="toolbar">
      <div className="toolbar__brand">
        <strong>Production Tool</strong>
        <span className="muted" title={session?.tenant.name}>
          {session?.tenant.name}
        </span>
      </div>
      <Nav />
      <div className="toolbar__spacer" />
      <span className={`conn conn--${conn}`} role="status" data-testid="conn">
        {CONN_TEXT[conn]}
      </span>
      <span className="toolbar__user" title={`${session?.user.email ?? ""} · ${session?.role ?? ""}`} data-name={session?.user.displayName}>
        {session?.user.displayName}
      </span>
      <button type="button" onClick={() => void store.signOut()}>
        Sign out
      </button>
    </header>
  );
}
