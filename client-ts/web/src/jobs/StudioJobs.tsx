// Jobs › Studio jobs: the signed-in studio's listings (`GET /jobs`). Owners
// and managers see every status, filter by one (chips), and post a listing
// ("Post a job", `JobDialog`); each title opens its page (`ListingPage`). A
// freelancer sees the open ones and applies (`ApplyDialog`). Live: the list
// is read again whenever the studio's view says a listing changed.

import { useState } from "react";
import { z } from "zod";
import { query } from "../api.js";
import { ListStatus } from "../admin/ListStatus.js";
import { useList } from "../admin/useList.js";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { ApplyDialog } from "./ApplyDialog.js";
import { JobDialog } from "./JobDialog.js";
import { JOB_STATUS_TEXT, datesText, mayApply, mayManageJobs, rateText, skillsText } from "./model.js";
import { JOB_STATUSES, JobListing, type JobStatus } from "./schemas.js";
import { useJobEvents } from "./useJobEvents.js";

export function StudioJobs() {
  const role = useBoard((st) => st.session?.role);
  const studio = useBoard((st) => st.session?.tenant.name ?? "your studio");
  const manages = mayManageJobs(role);
  const [status, setStatus] = useState<JobStatus | "">("");
  const { list, error, reload } = useList(`/jobs${query({ status: manages ? status : "" })}`, JobListing);
  const [posting, setPosting] = useState(false);
  const [applying, setApplying] = useState<z.output<typeof JobListing> | undefined>();
  const [done, setDone] = useState("");
  useJobEvents((e) => {
    if (e.type === "jobCreated" || e.type === "jobUpdated" || e.type === "jobDeleted") reload();
  });

  return (
    <div className="studio-tab" data-testid="studio-jobs">
      <div className="studio-tab__head">
        <h2>Studio jobs</h2>
        {manages ? (
          <button type="button" className="primary" onClick={() => setPosting(true)}>
            Post a job
          </button>
        ) : null}
        <span className="muted" role="status">
          {done}
        </span>
      </div>
      {manages ? (
        <div className="chips" role="group" aria-label="Show listings">
          {(["", ...JOB_STATUSES] as const).map((s) => (
            <button key={s || "all"} type="button" className="chip" aria-pressed={status === s} onClick={() => setStatus(s)}>
              {s === "" ? "All" : JOB_STATUS_TEXT[s]}
            </button>
          ))}
        </div>
      ) : (
        <p className="muted">Open listings of {studio}. The job board lists every studio’s public ones.</p>
      )}
      <ListStatus error={error} list={list} empty={manages ? (status ? `No ${JOB_STATUS_TEXT[status].toLowerCase()} listings.` : "No listings yet: post a job.") : "No open listings right now."} />
      {list && list.length > 0 ? (
        <table className="admin-table" aria-label="Studio jobs">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">Status</th>
              <th scope="col">Dates</th>
              <th scope="col">Skills</th>
              <th scope="col">Rate</th>
              <th scope="col">Who sees it</th>
              {mayApply(role) ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {list.map((j) => (
              <tr key={j.id} data-testid="job-row" data-id={j.id} data-status={j.status}>
                <th scope="row">
                  <a href={routeHash({ page: "job", jobId: j.id })}>{j.title}</a>
                </th>
                <td>
                  <span className={`job-status job-status--${j.status}`}>{JOB_STATUS_TEXT[j.status]}</span>
                </td>
                <td>{datesText(j.startDate, j.endDate)}</td>
                <td>{skillsText(j.skills) || <span className="muted">—</span>}</td>
                <td>{rateText(j.rate)}</td>
                <td>{j.visibility === "public" ? "Public board" : "This studio"}</td>
                {mayApply(role) ? (
                  <td className="actions">
                    <button type="button" className="primary" onClick={() => setApplying(j)} aria-label={`Apply for ${j.title}`}>
                      Apply
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {posting ? (
        <JobDialog
          job={undefined}
          onClose={(saved) => {
            setPosting(false);
            if (saved) {
              setDone(`Posted ${saved.title} (${JOB_STATUS_TEXT[saved.status].toLowerCase()}).`);
              reload();
            }
          }}
        />
      ) : null}
      {applying ? (
        <ApplyDialog
          job={applying}
          onClose={(sent) => {
            setApplying(undefined);
            if (sent) setDone(`Applied for ${applying.title}.`);
          }}
        />
      ) : null}
    </div>
  );
}
