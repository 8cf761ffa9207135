// One of the studio's listings (`#/jobs/listing/<id>`, `GET /jobs/{id}`): its
// fields, and for owners and managers its status buttons (Open, Close, Mark
// filled, Reopen: `PATCH` with the status and version), Edit (`JobDialog`),
// Delete for a draft, its applicants ranked by fit (`Applicants`) and the
// studio's artists ranked as candidates (`Candidates`). A freelancer sees an
// open listing of their studio and applies. Live: a change to the listing
// made anywhere (`jobUpdated`, `jobDeleted`) shows at once.

import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { apiCall } from "../api.js";
import { readable } from "../admin/readable.js";
import { Confirm } from "../Confirm.js";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { moveListing } from "./actions.js";
import { Applicants } from "./Applicants.js";
import { ApplyDialog } from "./ApplyDialog.js";
import { Candidates } from "./Candidates.js";
import { JobDialog } from "./JobDialog.js";
import { JobFacts } from "./JobFacts.js";
import { JOB_STATUS_TEXT, listingMoves, mayApply, mayDeleteListing, mayEditListing, mayManageJobs, type Move } from "./model.js";
import { JobListing, type JobStatus } from "./schemas.js";
import { useJobEvents } from "./useJobEvents.js";
import "../admin/admin.css";
import "./jobs.css";

export function ListingPage({ jobId }: { jobId: string }) {
  const role = useBoard((st) => st.session?.role);
  const manages = mayManageJobs(role);
  const [job, setJob] = useState<JobListing | undefined>();
  const [gone, setGone] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [applying, setApplying] = useState(false);
  const [done, setDone] = useState("");

  const load = useCallback(() => {
    apiCall("GET", `/jobs/${jobId}`, JobListing).then(
      (j) => {
        setJob(j);
        setGone(undefined);
      },
      (e: unknown) => setGone(readable(e)),
    );
  }, [jobId]);
  useEffect(load, [load]);
  useJobEvents((e) => {
    if (e.type === "jobUpdated" && e.job.id === jobId) load();
    if (e.type === "jobDeleted" && e.job.id === jobId) setGone("This listing was deleted.");
  });

  const move = async (m: Move<JobStatus>) => {
    if (!job) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = await moveListing(job, m.to);
      setJob(next);
      setDone(`${next.title} is ${JOB_STATUS_TEXT[next.status].toLowerCase()}.`);
    } catch (e) {
      setError(readable(e));
      load();
    } finally {
      setBusy(false);
    }
  };

  if (gone && !job) {
    return (
      <section className="jobs" aria-labelledby="listing-title">
        <BackLink />
        <h1 id="listing-title">Job listing</h1>
        <p className="form-error" role="alert">
          {gone}
        </p>
      </section>
    );
  }
  if (!job) return <p role="status">Loading…</p>;

  return (
    <section className="jobs listing" aria-labelledby="listing-title" data-testid="listing" data-status={job.status}>
      <BackLink />
      <div className="page__head">
        <h1 id="listing-title">{job.title}</h1>
        <span className={`job-status job-status--${job.status}`} data-testid="listing-status">
          {JOB_STATUS_TEXT[job.status]}
        </span>
        <span className="muted">{job.visibility === "public" ? "On the public job board" : "This studio only"}</span>
        <ListingActions
          job={job}
          manages={manages}
          mayApplyHere={mayApply(role) && job.status === "open"}
          busy={busy}
          onMove={(m) => void move(m)}
          onEdit={() => setEditing(true)}
          onDelete={() => setDeleting(true)}
          onApply={() => setApplying(true)}
        />
        <span className="muted" role="status">
          {done}
        </span>
      </div>
      {error || gone ? (
        <p className="form-error" role="alert">
          {error ?? gone}
        </p>
      ) : null}
      <ListingFacts job={job} />
      {manages ? (
        <div className="listing__panels">
          <Applicants job={job} />
          <Candidates job={job} />
        </div>
      ) : null}
      {editing ? (
        <JobDialog
          job={job}
          onClose={(saved) => {
            setEditing(false);
            if (saved) {
              setJob(saved);
              setDone(`Saved ${saved.title}.`);
            }
          }}
        />
      ) : null}
      {deleting ? (
        <Confirm
          title={`Delete the draft ${job.title}?`}
          text="It is gone for good. (An open listing is closed instead.)"
          action="Delete"
          run={() => apiCall("DELETE", `/jobs/${job.id}`, z.unknown()).then(() => location.assign(routeHash({ page: "jobs", tab: "studio" })))}
          onDone={() => setDeleting(false)}
        />
      ) : null}
      {applying ? <ApplyDialog job={job} onClose={(sent) => (setApplying(false), sent && setDone(`Applied for ${job.title}.`))} /> : null}
    </section>
  );
}

/** The listing's facts: dates, place, rate, positions, skills, description. */
function ListingFacts({ job }: { job: JobListing }) {
  return (
    <>
      <JobFacts job={job} wide />
      {job.description ? <p className="listing__text">{job.description}</p> : null}
    </>
  );
}

/** Status moves, Edit and Delete for those who manage jobs; Apply for others. */
function ListingActions(p: {
  job: JobListing;
  manages: boolean;
  mayApplyHere: boolean;
  busy: boolean;
  onMove: (m: Move<JobStatus>) => void;
  onEdit: () => void;
  onDelete: () => void;
  onApply: () => void;
}) {
  const { job } = p;
  if (!p.manages) {
    return p.mayApplyHere ? (
      <button type="button" className="primary" onClick={p.onApply}>
        Apply
      </button>
    ) : null;
  }
  return (
    <div className="listing__actions" role="group" aria-label="Listing actions">
      {listingMoves(job.status).map((m) => (
        <button key={m.to} type="button" className={m.tone ?? ""} disabled={p.busy} onClick={() => p.onMove(m)}>
          {m.label}
        </button>
      ))}
      {mayEditListing(job.status) ? (
        <button type="button" onClick={p.onEdit}>
          Edit
        </button>
      ) : null}
      {mayDeleteListing(job.status) ? (
        <button type="button" className="danger" onClick={p.onDelete}>
          Delete
        </button>
      ) : null}
    </div>
  );
}

function BackLink() {
  return (
    <a href={routeHash({ page: "jobs", tab: "studio" })} className="job-back">
      ← Studio jobs
    </a>
  );
}
