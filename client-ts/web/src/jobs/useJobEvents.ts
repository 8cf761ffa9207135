// The job pages hear of changes live. Owners and managers watch the studio
// (the tenant view, `store/session.ts`), which carries the job events:
// `jobCreated`, `jobUpdated`, `jobDeleted`, `applicationCreated` and
// `applicationUpdated`. An applicant is told of each step of their
// application by a notification (`applicationChanged`), which the client
// passes on once (`client.on("notification")`).

import { useEffect, useRef } from "react";
import type { Event } from "../../../src/index.js";
import type { Notification } from "../../../src/generated/Notification.js";
import { live } from "../store/live.js";
import { useBoard } from "../store.js";

export type JobEvent = Extract<Event, { type: "jobCreated" | "jobUpdated" | "jobDeleted" | "applicationCreated" | "applicationUpdated" }>;

const JOB_EVENTS: ReadonlySet<string> = new Set(["jobCreated", "jobUpdated", "jobDeleted", "applicationCreated", "applicationUpdated"]);

export function isJobEvent(e: Event): e is JobEvent {
  return JOB_EVENTS.has(e.type);
}

/** The job a job event is about. */
export function eventJobId(e: JobEvent): string {
  return e.type === "applicationCreated" || e.type === "applicationUpdated" ? e.application.jobId : e.job.id;
}

/** The notification kinds about jobs. */
export const JOB_KINDS: ReadonlySet<string> = new Set(["applicationChanged", "jobInvited", "jobMatched"]);

/** Calls `onEvent` for every job event the studio's view hears while mounted (the latest `onEvent`). */
export function useJobEvents(onEvent: (e: JobEvent) => void): void {
  // The studio's view exists once connected (the tenant view is subscribed right after).
  const ready = useBoard((st) => st.ready || st.conn === "connected");
  const latest = useRef(onEvent);
  useEffect(() => {
    latest.current = onEvent;
  });
  useEffect(() => {
    const sub = live.studio;
    if (!ready || !sub) return;
    return sub.onChange((change) => {
      const e = change.cause === "event" ? change.event?.event : undefined;
      if (e && isJobEvent(e)) latest.current(e);
    });
  }, [ready]);
}

/** Calls `onNotice` for every job notification heard live while mounted. */
export function useJobNotifications(onNotice: (n: Notification) => void): void {
  // The client exists from the first connection on (`conn` leaves "idle").
  const started = useBoard((st) => st.conn !== "idle");
  const latest = useRef(onNotice);
  useEffect(() => {
    latest.current = onNotice;
  });
  useEffect(() => {
    const c = live.client;
    if (!started || !c) return;
    return c.on("notification", (n) => {
      if (JOB_KINDS.has(n.kind)) latest.current(n);
    });
  }, [started]);
}
