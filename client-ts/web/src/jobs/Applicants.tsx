// A listing's applicants (owners and managers), best fit first
// (`GET /job-applications?jobId=…`): each one's name, where their application
// stands, their fit (score and reasons), the rate they asked, their note, and
// the studio's buttons for that state — Shortlist, Offer, Reject. Live: read
// again on every `applicationCreated` / `applicationUpdated` event for this
// listing (a new application, the applicant withdrawing or accepting …),
// and a new one is said to screen readers.

import { useState } from "react";
import { query } from "../api.js";
import { readable } from "../admin/readable.js";
import { ListStatus } from "../admin/ListStatus.js";
import { useList } from "../admin/useList.js";
import { transition } from "./actions.js";
import { FitScore } from "./FitScore.js";
import { APPLICATION_STATUS_TEXT, byFit, refusalOf, studioMoves, type Move, type Refusal } from "./model.js";
import { RefusalNote } from "./RefusalNote.js";
import { ApplicationView, type ApplicationStatus, type JobListing } from "./schemas.js";
import { useJobEvents } from "./useJobEvents.js";

export function Applicants({ job }: { job: JobListing }) {
  const { list, error, reload } = useList(`/job-applications${query({ jobId: job.id })}`, ApplicationView);
  const [busy, setBusy] = useState<string | undefined>();
  const [refused, setRefused] = useState<{ id: string; refusal: Refusal } | undefined>();
  const [said, setSaid] = useState("");
  useJobEvents((e) => {
    if (e.type !== "applicationCreated" && e.type !== "applicationUpdated") return;
    if (e.application.jobId !== job.id) return;
    if (e.type === "applicationCreated") setSaid(`New application from ${e.application.applicantName}.`);
    reload();
  });
  const ranked = list && byFit(list, (v) => v.application.applicantName);

  const run = async (v: ApplicationView, m: Move<ApplicationStatus>) => {
    const a = v.application;
    setBusy(a.id);
    try {
      await transition(a.id, m.to, a.version);
      setRefused(undefined);
      setSaid(`${a.applicantName}: ${APPLICATION_STATUS_TEXT[m.to].toLowerCase()}.`);
    } catch (e) {
      setRefused({ id: a.id, refusal: refusalOf(e, readable) });
    } finally {
      setBusy(undefined);
      reload();
    }
  };

  return (
    <section className="listing-panel" aria-labelledby="applicants-title" data-testid="applicants">
      <div className="listing-panel__head">
        <h2 id="applicants-title">Applicants{list ? ` (${list.length})` : ""}</h2>
        <span className="muted" role="status">
          {said}
        </span>
      </div>
      <ListStatus error={error} list={list} empty={job.status === "open" ? "No applications yet." : "No applications."} />
      {ranked && ranked.length > 0 ? (
        <ol className="ranked" aria-label="Applicants, best fit first">
          {ranked.map((v) => {
            const a = v.application;
            const moves = studioMoves(a.status);
            return (
              <li key={a.id} className="ranked__item" data-testid="applicant" data-id={a.id} data-status={a.status}>
                <div className="ranked__head">
                  <strong className="ranked__name">{a.applicantName}</strong>
                  <span className={`app-status app-status--${a.status}`} data-testid="application-status">
                    {APPLICATION_STATUS_TEXT[a.status]}
                  </span>
                  {a.rate !== null ? <span className="muted">asks {a.rate.toLocaleString("en-GB")}{job.rate ? ` ${job.rate.currency}` : ""} a day</span> : null}
                </div>
                <FitScore fit={v.fit} />
                {a.note ? <p className="ranked__note">“{a.note}”</p> : null}
                {a.status === "accepted" ? <p className="application__booked">Accepted: pencilled in on the board for the listing’s days.</p> : null}
                {moves.length > 0 ? (
                  <div className="application__actions">
                    {moves.map((m) => (
                      <button key={m.to} type="button" className={m.tone ?? ""} disabled={busy === a.id} aria-label={`${m.label} ${a.applicantName}`} onClick={() => void run(v, m)}>
                        {m.label}
                      </button>
                    ))}
                  </div>
                ) : null}
                {refused?.id === a.id ? <RefusalNote refusal={refused.refusal} /> : null}
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}
