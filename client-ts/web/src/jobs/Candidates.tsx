// Candidates for a listing (owners and managers): the studio's artists ranked
// by fit (`GET /jobs/{id}/candidates`: score and reasons), and "Invite to
// apply" for an artist linked to a freelancer account (`POST /jobs/{id}/invite`;
// they are notified). An artist with no account cannot be invited, and says so.

import { useState } from "react";
import { z } from "zod";
import { apiCall } from "../api.js";
import { readable } from "../admin/readable.js";
import { ListStatus } from "../admin/ListStatus.js";
import { useList } from "../admin/useList.js";
import { FitScore } from "./FitScore.js";
import { byFit } from "./model.js";
import { JobCandidate, type JobListing } from "./schemas.js";

export function Candidates({ job }: { job: JobListing }) {
  const { list, error } = useList(`/jobs/${job.id}/candidates`, JobCandidate);
  const [invited, setInvited] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<string | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [said, setSaid] = useState("");
  const ranked = list && byFit(list, (c) => c.name);

  const invite = async (c: JobCandidate) => {
    setBusy(c.artistId);
    setProblem(undefined);
    try {
      await apiCall("POST", `/jobs/${job.id}/invite`, z.unknown(), { artistId: c.artistId });
      setInvited((s) => new Set(s).add(c.artistId));
      setSaid(`Invited ${c.name} to apply.`);
    } catch (e) {
      setProblem(`${c.name}: ${readable(e)}`);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="listing-panel" aria-labelledby="candidates-title" data-testid="candidates">
      <div className="listing-panel__head">
        <h2 id="candidates-title">Candidates</h2>
        <span className="muted" role="status">
          {said}
        </span>
      </div>
      <p className="muted">The studio’s artists, best fit first.{job.status !== "open" ? " Open the listing to invite them." : ""}</p>
      <ListStatus error={error ?? problem} list={list} empty="The studio has no artists yet." />
      {ranked && ranked.length > 0 ? (
        <ol className="ranked" aria-label="Candidates, best fit first">
          {ranked.map((c) => (
            <li key={c.artistId} className="ranked__item" data-testid="candidate" data-id={c.artistId}>
              <div className="ranked__head">
                <strong className="ranked__name">{c.name}</strong>
                {c.userId === null ? (
                  <span className="muted">No freelancer account to invite</span>
                ) : invited.has(c.artistId) ? (
                  <span className="badge">Invited</span>
                ) : (
                  <button type="button" disabled={busy === c.artistId || job.status !== "open"} onClick={() => void invite(c)}>
                    Invite to apply<span className="visually-hidden"> ({c.name})</span>
                  </button>
                )}
              </div>
              <FitScore fit={c.fit} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
