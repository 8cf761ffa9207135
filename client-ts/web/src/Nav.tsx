// The app's pages, as links (keyboard accessible as they are: Tab, Enter);
// the current one says so (`aria-current="page"`). "Time off" (the approval
// queue) is for owners and managers only, with the number of requests waiting;
// "Studio" (the admin area) for a role that may see at least one of its tabs.

import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { visibleTabs } from "./admin/tabs.js";
import { mayApproveTimeOff } from "./model.js";
import { routeHash, useRoute, type Route } from "./router.js";
import { useBoard } from "./store.js";

const PAGES: { page: Route["page"]; label: string; route: Route }[] = [
  { page: "board", label: "Board", route: { page: "board" } },
  { page: "projects", label: "Projects", route: { page: "projects" } },
  { page: "utilization", label: "Utilization", route: { page: "utilization" } },
];
const TIME_OFF = { page: "timeOff", label: "Time off", route: { page: "timeOff" } } as const;
const STUDIO = { page: "studio", label: "Studio", route: { page: "studio" } } as const;

export function Nav() {
  const route = useRoute();
  const { approves, admin, artists } = useBoard(
    useShallow((st) => ({ approves: mayApproveTimeOff(st.session), admin: visibleTabs(st.session).length > 0, artists: st.artists })),
  );
  const waiting = useMemo(() => artists.reduce((n, a) => n + a.timeOff.filter((e) => e.status === "requested").length, 0), [artists]);
  const pages = [...PAGES, ...(approves ? [TIME_OFF] : []), ...(admin ? [STUDIO] : [])];
  // The Gantt chart belongs to the projects section.
  const current = route.page === "gantt" ? "projects" : route.page;
  return (
    <nav className="nav" aria-label="Pages">
      {pages.map((p) => (
        <a key={p.page} href={routeHash(p.route)} aria-current={current === p.page ? "page" : undefined} className="nav__link">
          {p.label}
          {p.page === "timeOff" && waiting > 0 ? (
            <>
              <span className="nav__count" aria-hidden="true">
                {waiting}
              </span>
              <span className="visually-hidden">, {waiting} waiting</span>
            </>
          ) : null}
        </a>
      ))}
    </nav>
  );
}
