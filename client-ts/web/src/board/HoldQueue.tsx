// A hold's place in the queue on its slot (the hold rules: README, "The hold
// queue"): its rank; whether it waits on the list for a pencil or
// confirmed booking; the challenge it is under, with the time its holder has
// left to confirm or release, counting down live; and, on a hold behind the
// 1st of another project, the button that challenges the 1st (to those who
// may change bookings; `readOnly` panels show the rest: a freelancer offered
// a challenged hold sees how long they have to accept it).

import { useEffect, useState } from "react";
import type { Booking } from "../../../src/index.js";
import { ordinal, type Placed } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import { expiryText } from "../time.js";

const US_PER_MS = 1000;

/** "23 h 59 min left", "4 min 10 s left", "answer overdue". */
export function timeLeft(deadlineUs: number, nowMs: number): string {
  const s = Math.floor((deadlineUs / US_PER_MS - nowMs) / 1000);
  if (s <= 0) return "answer overdue";
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${m} min left`;
  return m > 0 ? `${m} min ${s % 60} s left` : `${s} s left`;
}

/** The clock, ticking once a second while mounted. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The 1st hold on `b`'s slot, when `b` is a later hold of another project. */
function firstAhead(b: Booking, placed: Placed | undefined, row: Placed[]): Placed | undefined {
  if (!placed?.holdRank || placed.holdRank < 2) return undefined;
  return row.find(
    (p) =>
      p.key !== placed.key &&
      p.booking.status === "hold" &&
      p.holdRank === 1 &&
      p.booking.startTime < b.endTime &&
      b.startTime < p.booking.endTime &&
      !(p.booking.projectId !== null && p.booking.projectId === b.projectId),
  );
}

export function HoldQueue({ booking: b, placed, row, readOnly = false }: { booking: Booking; placed: Placed | undefined; row: Placed[]; readOnly?: boolean }) {
  const now = useNow();
  const hours = useBoard((st) => st.studio.challengeHours);
  if (b.status !== "hold") return null;
  const challenger = b.challengedBy ? row.find((p) => p.booking.id === b.challengedBy) : undefined;
  const first = readOnly ? undefined : firstAhead(b, placed, row);
  const challengedAlready = first?.booking.challengedBy !== undefined;
  return (
    <section className="panel__queue" aria-label="Hold queue" data-testid="hold-queue">
      {placed?.holdRank ? <p>{ordinal(placed.holdRank)} hold on this slot.</p> : null}
      {b.queuedFor ? (
        <p data-testid="queued-for">
          On the waiting list for a <strong>{b.queuedFor}</strong> booking: it becomes one by itself once it is the 1st hold and the slot is free.
        </p>
      ) : null}
      {b.challengedBy && b.expiresAt ? (
        <p className="panel__challenge" role="status" data-testid="challenge-countdown">
          Challenged{challenger ? ` by “${challenger.booking.title}”` : ""}: confirm or release by {expiryText(b.expiresAt)} —{" "}
          <strong>{timeLeft(b.expiresAt, now)}</strong>. Without an answer the hold lapses and the next hold moves up.
        </p>
      ) : null}
      {first ? (
        <p>
          <button type="button" disabled={challengedAlready} onClick={() => store.challengeHold(first.key, placed!.key)} data-testid="challenge-first">
            Challenge the 1st hold
          </button>{" "}
          <span className="muted small">
            {challengedAlready ? "The 1st hold is already challenged." : `“${first.booking.title}” then has ${hours} hours to confirm or release.`}
          </span>
        </p>
      ) : null}
    </section>
  );
}
