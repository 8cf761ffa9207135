// The app's pages, as links (keyboard accessible as they are: Tab, Enter);
// the current one says so (`aria-current="page"`). "Jobs" (the job
// marketplace, `jobs/`) is for every signed-in member. "Time off" (the approval
// queue) is for owners and managers only, with the number of requests waiting;
// "Studio" (the admin area) for a role that may see at least one of its tabs.
// The board's toolbar has no room left on its one line for another page link
// (toolbar.test.ts), so there `Nav studio={false} jobs={false}` leaves them
// out and the toolbar shows `JobsLink` and `StudioLink` under the user's
// name, beside Sign out.
// After the links, for every signed-in role: the bell and its inbox
// (`inbox/Bell.tsx`).

import { useMemo } from "react";
import { useShallow } from "zustand/react/shallow";
import { visibleTabs } from "./admin/tabs.js";
import { Bell } from "./inbox/Bell.js";
import { mayApproveTimeOff } from "./model.js";
import { routeHash, useRoute, type Route } from "./router.js";
import { useBoard } from "./store.js";

const PAGES: { page: Route["page"]; label: string; route: Route }[] = [
  { page: "board", label: "Board", route: { page: "board" } },
  { page: "projects", label: "Projects", route: { page: "projects" } },
  { page: "utilization", label: "Utilization", route: { page: "utilization" } },
];
const JOBS = { page: "jobs", label: "Jobs", route: { page: "jobs" } } as const;
const TIME_OFF = { page: "timeOff", label: "Time off", route: { page: "timeOff" } } as const;
const STUDIO = { page: "studio", label: "Studio", route: { page: "studio" } } as const;

/** The Studio area's link, for a role that may see one of its tabs (else nothing). */
export function StudioLink({ className }: { className?: string }) {
  const route = useRoute();
  const admin = useBoard((st) => visibleTabs(st.session).length > 0);
  if (!admin) return null;
  return (
    <a href={routeHash(STUDIO.route)} className={className} aria-current={route.page === "studio" ? "page" : undefined}>
      {STUDIO.label}
    </a>
  );
}

/** The Jobs link (every signed-in member), for the board's toolbar, where it sits beside Studio. */
export function JobsLink({ className }: { className?: string }) {
  const route = useRoute();
  return (
    <a href={routeHash(JOBS.route)} className={className} aria-current={route.page === "jobs" || route.page === "job" ? "page" : undefined}>
      {JOBS.label}
    </a>
  );
}

export function Nav({ studio = true, jobs = true }: { studio?: boolean; jobs?: boolean }) {
  const route = useRoute();
  const { approves, admin, artists } = useBoard(
    useShallow((st) => ({ approves: mayApproveTimeOff(st.session), admin: visibleTabs(st.session).length > 0, artists: st.artists })),
  );
  const waiting = useMemo(() => artists.reduce((n, a) => n + a.timeOff.filter((e) => e.status === "requested").length, 0), [artists]);
  const pages = [...PAGES, ...(jobs ? [JOBS] : []), ...(approves ? [TIME_OFF] : []), ...(admin && studio ? [STUDIO] : [])];
  // The Gantt chart belongs to the projects section, a job listing to the jobs.
  const current = route.page === "gantt" ? "projects" : route.page === "job" ? "jobs" : route.page;
  return (
    <>
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
      <Bell />
    </>
  );
}
