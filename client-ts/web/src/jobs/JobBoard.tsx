// Jobs › Job board: every studio's open public listings (`GET /jobs/board`),
// filtered by skill, dates (from, to), remote only, and a minimum day rate in
// a currency. The list is read again 250 ms after a filter settles, and when
// a job alert (`jobMatched`) arrives. Each listing is a `JobCard` (your fit,
// Save, Apply). Above the filters, the job alerts checkbox (`JobAlertsToggle`).

import { useEffect, useState } from "react";
import { z } from "zod";
import { apiCall } from "../api.js";
import { readable } from "../admin/readable.js";
import { ListStatus } from "../admin/ListStatus.js";
import { useBoard } from "../store.js";
import { JobAlertsToggle } from "./JobAlertsToggle.js";
import { JobCard } from "./JobCard.js";
import { NO_FILTERS, boardQuery, filtersSet, mayApply, type BoardFilters } from "./model.js";
import { JobBoardItem } from "./schemas.js";
import { useJobNotifications } from "./useJobEvents.js";

export function JobBoard() {
  const role = useBoard((st) => st.session?.role);
  const [filters, setFilters] = useState<BoardFilters>(NO_FILTERS);
  const [list, setList] = useState<JobBoardItem[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  // Bumped by each job alert heard: a new public listing to read in.
  const [alerted, setAlerted] = useState(0);
  useJobNotifications((n) => {
    if (n.kind === "jobMatched") setAlerted((a) => a + 1);
  });
  const q = boardQuery(filters);
  useEffect(() => {
    let stale = false;
    const t = setTimeout(() => {
      apiCall("GET", `/jobs/board${q}`, z.array(JobBoardItem)).then(
        (l) => {
          if (stale) return;
          setList(l);
          setError(undefined);
        },
        (e: unknown) => !stale && setError(readable(e)),
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [q, alerted]);
  const put = (patch: Partial<BoardFilters>) => setFilters({ ...filters, ...patch });

  return (
    <div className="studio-tab" data-testid="job-board">
      <div className="studio-tab__head">
        <h2>Job board</h2>
        <span className="muted">Open listings every studio has made public.</span>
      </div>
      <JobAlertsToggle />
      <form className="job-filters" role="search" aria-label="Filter the job board" onSubmit={(e) => e.preventDefault()}>
        <label className="field">
          <span>Skill</span>
          <input type="search" value={filters.skill} placeholder="compositing" onChange={(e) => put({ skill: e.target.value })} />
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" value={filters.from} onChange={(e) => put({ from: e.target.value })} />
        </label>
        <label className="field">
          <span>To</span>
          <input type="date" value={filters.to} onChange={(e) => put({ to: e.target.value })} />
        </label>
        <label className="field">
          <span>Minimum day rate</span>
          <input type="number" min={0} inputMode="numeric" value={filters.minRate} onChange={(e) => put({ minRate: e.target.value })} />
        </label>
        <label className="field">
          <span>Currency</span>
          <input value={filters.currency} placeholder="EUR" maxLength={3} size={4} onChange={(e) => put({ currency: e.target.value })} />
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.remoteOnly} onChange={(e) => put({ remoteOnly: e.target.checked })} />
          Remote only
        </label>
        <button type="button" disabled={filtersSet(filters) === 0} onClick={() => setFilters(NO_FILTERS)}>
          Clear filters
        </button>
      </form>
      <ListStatus error={error} list={list} empty={filtersSet(filters) > 0 ? "No open listing matches these filters." : "No public listings are open right now."} />
      {list && list.length > 0 ? (
        <>
          <p className="muted" role="status">
            {list.length === 1 ? "1 listing" : `${list.length} listings`}
          </p>
          <div className="job-cards">
            {list.map((item) => (
              <JobCard key={item.job.id} item={item} canApply={mayApply(role)} onSaved={() => undefined} />
            ))}
          </div>
        </>
      ) : null}
    </div>
  );
}
