// One public listing on the job board (or among saved jobs): its title and
// studio, dates, place, rate, skills and positions, the description, "your
// fit" (score and reasons, when you have an artist in your studio), Save /
// Unsave (`POST`/`DELETE /jobs/{id}/save`), and for freelancers Apply
// (`ApplyDialog`).

import { useState } from "react";
import { z } from "zod";
import { apiCall } from "../api.js";
import { readable } from "../admin/readable.js";
import { routeHash } from "../router.js";
import { ApplyDialog } from "./ApplyDialog.js";
import { FitScore } from "./FitScore.js";
import { JobFacts } from "./JobFacts.js";
import type { JobBoardItem } from "./schemas.js";

interface Props {
  item: JobBoardItem;
  canApply: boolean;
  /** Saved or unsaved: the list may change (saved jobs drop it). */
  onSaved: (saved: boolean) => void;
}

export function JobCard({ item, canApply, onSaved }: Props) {
  const { job, studioName, fit } = item;
  const [saved, setSaved] = useState(item.saved);
  const [busy, setBusy] = useState(false);
  const [applying, setApplying] = useState(false);
  const [applied, setApplied] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const titleId = `job-${job.id}-title`;

  const toggleSave = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await apiCall(saved ? "DELETE" : "POST", `/jobs/${job.id}/save`, z.unknown());
      setSaved(!saved);
      onSaved(!saved);
    } catch (e) {
      setError(readable(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <article className="job-card" aria-labelledby={titleId} data-testid="job-card" data-id={job.id}>
      <header className="job-card__head">
        <h3 id={titleId}>{job.title}</h3>
        <span className="job-card__studio">{studioName}</span>
      </header>
      <JobFacts job={job} />
      {job.description ? <p className="job-card__text">{job.description}</p> : null}
      <div className="job-card__fit">
        <span className="job-card__label">Your fit</span>
        <FitScore fit={fit} />
      </div>
      <div className="job-card__actions">
        <button type="button" className="job-save" aria-pressed={saved} disabled={busy} onClick={() => void toggleSave()} data-testid="save-job">
          <span aria-hidden="true">{saved ? "★ " : "☆ "}</span>
          Save<span className="visually-hidden"> {job.title}</span>
        </button>
        {canApply ? (
          applied ? (
            <span className="job-card__applied" role="status">
              Applied · <a href={routeHash({ page: "jobs", tab: "applications" })}>My applications</a>
            </span>
          ) : (
            <button type="button" className="primary" onClick={() => setApplying(true)} aria-label={`Apply for ${job.title}`}>
              Apply
            </button>
          )
        ) : null}
        {error ? (
          <span className="form-error" role="alert">
            {error}
          </span>
        ) : null}
      </div>
      {applying ? (
        <ApplyDialog
          job={job}
          studioName={studioName}
          onClose={(sent) => {
            setApplying(false);
            if (sent) setApplied(true);
          }}
        />
      ) : null}
    </article>
  );
}
