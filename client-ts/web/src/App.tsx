// The app: the sign-in screen until there is a session, then the page the
// location hash names (`router.ts`): the board (toolbar, grid, side panel —
// a booking, an artist's profile or time off, "Find someone" — notices,
// legend), the projects list, a project's Gantt chart, the utilization heat
// map, the time-off approval queue, the Studio admin area, or the job
// marketplace (`jobs/`: the job board, the studio's listings, applications). An invitation
// link (`#/invitation?token=…`) opens its accept form, signed in or not.

import { lazy, Suspense, useEffect, useState } from "react";
import { AcceptInvitation } from "./AcceptInvitation.js";
import { useShallow } from "zustand/react/shallow";
import * as auth from "./auth.js";
import { Board } from "./board/Board.js";
import { FindPanel } from "./board/FindPanel.js";
import { Notices } from "./board/Notices.js";
import { Panel } from "./board/Panel.js";
import { ProfilePanel } from "./board/ProfilePanel.js";
import { TimeOffPanel } from "./board/TimeOffPanel.js";
import { Toolbar } from "./board/Toolbar.js";
import { useBoardRoute } from "./board/useBoardRoute.js";
import { PageHeader } from "./PageHeader.js";
import { ProjectsPage } from "./projects/ProjectsPage.js";
import { useRoute, type Route } from "./router.js";
import { SignIn } from "./SignIn.js";
import * as store from "./store.js";
import { useBoard } from "./store.js";
import { TimeOffPage } from "./timeoff/TimeOffPage.js";
import "./pages.css";

// Pages most sessions never open load on first visit, so the board (what
// everyone opens first) does not wait for them: the Studio area (owners and
// managers), a project's Gantt chart, the utilization heat map, the jobs.
const StudioPage = lazy(() => import("./admin/StudioPage.js").then((m) => ({ default: m.StudioPage })));
const GanttPage = lazy(() => import("./gantt/GanttPage.js").then((m) => ({ default: m.GanttPage })));
const JobsPage = lazy(() => import("./jobs/JobsPage.js").then((m) => ({ default: m.JobsPage })));
const ListingPage = lazy(() => import("./jobs/ListingPage.js").then((m) => ({ default: m.ListingPage })));
const HeatmapPage = lazy(() => import("./utilization/HeatmapPage.js").then((m) => ({ default: m.HeatmapPage })));

/** StrictMode runs effects twice in development: restore once. */
let restoreStarted = false;

export function App() {
  const { session, ready, panelOpen, artistPanel, artistPanelKind, findOpen } = useBoard(
    useShallow((st) => ({ session: st.session, ready: st.ready, panelOpen: st.panelOpen, artistPanel: st.artistPanel, artistPanelKind: st.artistPanelKind, findOpen: st.findOpen })),
  );
  const [restoring, setRestoring] = useState(() => auth.restore() !== undefined);
  const route = useRoute();
  useBoardRoute(route, ready);

  // A session kept in this tab (a reload): use it, refreshing first if its access token is stale.
  useEffect(() => {
    const saved = auth.restore();
    if (!saved || restoreStarted) return;
    restoreStarted = true;
    (async () => {
      try {
        const fresh = saved.accessExpiresAt < Date.now() + 30_000 ? await auth.refresh(saved) : saved;
        await store.start(fresh);
      } catch {
        auth.forget();
        await store.signOut("Your session has ended. Please sign in again.");
      } finally {
        setRestoring(false);
      }
    })();
  }, []);

  if (route.page === "invitation") return <AcceptInvitation token={route.token} />;
  if (!session) return restoring ? <p className="loading">Loading…</p> : <SignIn />;
  if (route.page !== "board") return <OtherPage route={route} />;
  return (
    <div className={`app${panelOpen || artistPanel || findOpen ? " app--panel" : ""}`}>
      <Toolbar />
      <div className="app__main">
        {ready ? <Board /> : <p className="loading">Loading the studio…</p>}
        {panelOpen ? <Panel /> : artistPanel ? artistPanelKind === "profile" ? <ProfilePanel /> : <TimeOffPanel /> : findOpen ? <FindPanel /> : null}
      </div>
      <footer className="legend" aria-label="Legend">
        <span className="legend__item">
          <span className="swatch swatch--confirmed" aria-hidden="true" /> ● Confirmed
        </span>
        <span className="legend__item">
          <span className="swatch swatch--pencil" aria-hidden="true" /> ○ Pencil
        </span>
        <span className="legend__item">
          <span className="swatch swatch--hold" aria-hidden="true" /> ◌ Hold (1st, 2nd … in the order placed)
        </span>
        <span className="legend__item">
          <span className="swatch swatch--time-off" aria-hidden="true" /> Time off (holds only, or overtime)
        </span>
        <span className="legend__item">
          <span className="swatch swatch--time-off-requested" aria-hidden="true" /> Requested time off
        </span>
        <span className="muted">Drag empty space to book · drag a bar to move · drag its edges to resize · Enter opens · Delete cancels</span>
      </footer>
      <Notices />
    </div>
  );
}

/** A page beyond the board, under the common header. */
function OtherPage({ route }: { route: Exclude<Route, { page: "board" | "invitation" }> }) {
  return (
    <div className="app app--page">
      <PageHeader />
      <main className="page">
        <Suspense fallback={<p role="status">Loading…</p>}>
          {route.page === "projects" ? (
            <ProjectsPage />
          ) : route.page === "gantt" ? (
            <GanttPage key={route.projectId} projectId={route.projectId} />
          ) : route.page === "timeOff" ? (
            <TimeOffPage />
          ) : route.page === "studio" ? (
            <StudioPage tab={route.tab} />
          ) : route.page === "jobs" ? (
            <JobsPage tab={route.tab} />
          ) : route.page === "job" ? (
            <ListingPage key={route.jobId} jobId={route.jobId} />
          ) : (
            <HeatmapPage />
          )}
        </Suspense>
      </main>
      <Notices />
    </div>
  );
}
