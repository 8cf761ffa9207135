// The job marketplace (`#/jobs/<tab>`): a bar of the tabs this role may see
// (`tabs.ts`), then the chosen one. `#/jobs` opens the first of them. The
// links are plain links (Tab, Enter), the current one `aria-current="page"`.

import { useEffect } from "react";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { JobBoard } from "./JobBoard.js";
import { MyApplications } from "./MyApplications.js";
import { SavedJobs } from "./SavedJobs.js";
import { StudioJobs } from "./StudioJobs.js";
import { JOBS_TABS, jobsTabsFor, type JobsTab } from "./tabs.js";
import "../admin/admin.css";
import "./jobs.css";

export function JobsPage({ tab }: { tab: string | undefined }) {
  const session = useBoard((st) => st.session);
  const tabs = jobsTabsFor(session?.role);
  const first = tabs[0];
  useEffect(() => {
    if (tab === undefined && first) location.replace(routeHash({ page: "jobs", tab: first.tab }));
  }, [tab, first]);
  const current = tabs.find((t) => t.tab === (tab ?? first?.tab));
  const known = JOBS_TABS.some((t) => t.tab === tab);

  return (
    <section className="jobs" aria-labelledby="jobs-title">
      <div className="page__head">
        <h1 id="jobs-title">Jobs</h1>
        <span className="muted">{session?.tenant.name}</span>
      </div>
      <nav className="studio-tabs" aria-label="Jobs sections">
        {tabs.map((t) => (
          <a key={t.tab} href={routeHash({ page: "jobs", tab: t.tab })} aria-current={t === current ? "page" : undefined} className="studio-tabs__link">
            {t.label}
          </a>
        ))}
      </nav>
      {current ? (
        <Tab tab={current.tab} />
      ) : (
        <p className="studio__denied" role="status" data-testid="jobs-denied">
          {tab !== undefined && !known ? `There is no “${tab}” section in Jobs.` : "This part of Jobs is not available for your role."}
        </p>
      )}
    </section>
  );
}

function Tab({ tab }: { tab: JobsTab }) {
  switch (tab) {
    case "studio":
      return <StudioJobs />;
    case "board":
      return <JobBoard />;
    case "applications":
      return <MyApplications />;
    case "saved":
      return <SavedJobs />;
  }
}
