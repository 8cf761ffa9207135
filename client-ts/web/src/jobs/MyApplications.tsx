// Jobs › My applications (freelancers): every application I made, in any
// studio, newest first (`GET /job-applications`): the listing, its studio and
// dates, the rate I asked, where it stands, and what I may do now — Withdraw
// while it is live; Accept or Decline an offer. Accepting pencils me in for
// the listing's days in its studio; then the row says "Pencilled in" with
// the booking. An accept that would clash with another booking is refused
// with what is in the way and when I am free (`RefusalNote`). Live: every
// job notification (`applicationChanged` …) reads the list again.

import { useState } from "react";
import { readable } from "../admin/readable.js";
import { ListStatus } from "../admin/ListStatus.js";
import { useList } from "../admin/useList.js";
import { Confirm } from "../Confirm.js";
import { useBoard } from "../store.js";
import { transition } from "./actions.js";
import { APPLICATION_STATUS_TEXT, applicantMoves, datesText, refusalOf, type Move, type Refusal } from "./model.js";
import { RefusalNote } from "./RefusalNote.js";
import { ApplicationView, type ApplicationStatus } from "./schemas.js";
import { useJobNotifications } from "./useJobEvents.js";

export function MyApplications() {
  const tenant = useBoard((st) => st.session?.tenant.name);
  const { list, error, reload } = useList("/job-applications", ApplicationView);
  const [refused, setRefused] = useState<ReadonlyMap<string, Refusal>>(new Map());
  const [busy, setBusy] = useState<string | undefined>();
  const [withdrawing, setWithdrawing] = useState<ApplicationView | undefined>();
  const [done, setDone] = useState("");
  useJobNotifications(() => reload());

  const run = async (v: ApplicationView, move: Move<ApplicationStatus>) => {
    const a = v.application;
    setBusy(a.id);
    try {
      await transition(a.id, move.to, a.version);
      setRefused((m) => without(m, a.id));
      setDone(`${v.jobTitle}: ${APPLICATION_STATUS_TEXT[move.to].toLowerCase()}.`);
      reload();
    } catch (e) {
      setRefused((m) => new Map(m).set(a.id, refusalOf(e, readable)));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div className="studio-tab" data-testid="my-applications">
      <div className="studio-tab__head">
        <h2>My applications</h2>
        <span className="muted" role="status">
          {done}
        </span>
      </div>
      <ListStatus error={error} list={list} empty="No applications yet: apply on the job board." />
      {list && list.length > 0 ? (
        <ul className="applications" aria-label="My applications, newest first">
          {list.map((v) => {
            const a = v.application;
            const moves = applicantMoves(a.status);
            const headingId = `app-${a.id}`;
            return (
              <li key={a.id} className="application" aria-labelledby={headingId} data-testid="my-application" data-id={a.id} data-status={a.status}>
                <div className="application__head">
                  <h3 id={headingId}>{v.jobTitle}</h3>
                  <span className={`app-status app-status--${a.status}`} data-testid="application-status">
                    {APPLICATION_STATUS_TEXT[a.status]}
                  </span>
                </div>
                <p className="application__meta">
                  {v.studioName} · {datesText(v.startDate, v.endDate)}
                  {a.rate !== null ? ` · you asked ${a.rate.toLocaleString("en-GB")} a day` : ""}
                </p>
                {a.status === "offered" ? <p className="application__news">The studio offers you this job: accept to be pencilled in for its days.</p> : null}
                {a.status === "accepted" ? (
                  <p className="application__booked" data-testid="pencilled">
                    <strong>Pencilled in</strong> at {v.studioName} for {datesText(v.startDate, v.endDate)}
                    {a.bookingId ? (
                      <>
                        {" "}
                        · booking <span className="code">{a.bookingId.slice(0, 8)}</span>
                        {v.studioName === tenant ? " (on your board)" : ""}
                      </>
                    ) : null}
                  </p>
                ) : null}
                {moves.length > 0 ? (
                  <div className="application__actions">
                    {moves.map((m) => (
                      <button
                        key={m.to}
                        type="button"
                        className={m.tone ?? ""}
                        disabled={busy === a.id}
                        aria-label={`${m.label}: ${v.jobTitle}`}
                        onClick={() => (m.to === "withdrawn" ? setWithdrawing(v) : void run(v, m))}
                      >
                        {m.label}
                      </button>
                    ))}
                  </div>
                ) : null}
                {refused.get(a.id) ? <RefusalNote refusal={refused.get(a.id)!} /> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      {withdrawing ? (
        <Confirm
          title={`Withdraw your application for ${withdrawing.jobTitle}?`}
          text="The studio is told. You can apply again while the listing is open."
          action="Withdraw"
          run={() => transition(withdrawing.application.id, "withdrawn", withdrawing.application.version).then(() => setDone(`${withdrawing.jobTitle}: withdrawn.`))}
          onDone={() => {
            setWithdrawing(undefined);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

function without<K, V>(m: ReadonlyMap<K, V>, k: K): ReadonlyMap<K, V> {
  if (!m.has(k)) return m;
  const next = new Map(m);
  next.delete(k);
  return next;
}
