// Apply for a listing (freelancers): a note and the day rate asked for, in
// the listing's currency (`POST /jobs/{id}/applications`). A refusal — an
// application already live for it (409), a listing no longer open — is the
// server's message, under the form.

import { useEffect, useRef, useState, type FormEvent } from "react";
import { apiCall } from "../api.js";
import { readable } from "../admin/readable.js";
import { datesText, rateText } from "./model.js";
import { JobApplication, type JobListing } from "./schemas.js";

interface Props {
  job: JobListing;
  /** The listing's studio, when it is another one (the board). */
  studioName?: string;
  onClose: (sent?: JobApplication) => void;
}

export function ApplyDialog({ job, studioName, onClose }: Props) {
  const [note, setNote] = useState("");
  const [rate, setRate] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);
  const currency = job.rate?.currency;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      const body: { note?: string; rate?: number } = {};
      if (note.trim() !== "") body.note = note;
      if (rate.trim() !== "") body.rate = Number(rate);
      onClose(await apiCall("POST", `/jobs/${job.id}/applications`, JobApplication, body));
    } catch (err) {
      setError(readable(err));
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === "Escape" && onClose()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="apply-title" aria-describedby="apply-about" onSubmit={submit} data-testid="apply-form">
        <h2 id="apply-title">Apply for {job.title}</h2>
        <p id="apply-about" className="muted">
          {[studioName, datesText(job.startDate, job.endDate), rateText(job.rate)].filter(Boolean).join(" · ")}
        </p>
        <label className="field">
          <span>Note to the studio</span>
          <textarea ref={first} rows={4} maxLength={5000} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="field">
          <span>Your day rate{currency ? ` (${currency})` : ""}</span>
          <input type="number" min={0} max={1000000} inputMode="numeric" value={rate} onChange={(e) => setRate(e.target.value)} />
        </label>
        {error ? (
          <p className="form-error" role="alert" data-testid="form-error">
            {error}
          </p>
        ) : null}
        <div className="dialog__actions">
          <button type="button" onClick={() => onClose()}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            Send application
          </button>
        </div>
      </form>
    </div>
  );
}
