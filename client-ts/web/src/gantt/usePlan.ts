// A project's plan, live: the Gantt chart subscribes to the project's view
// over the WebSocket (`{ kind: "project", projectId }`), so a phase moved in
// another browser moves here without a reload, and whoever else has the chart
// open is told by the view's presence (ours: our name, `lookingAt:
// "project:<id>"`); and its schedule (slack,
// critical path, progress) from `GET /projects/{id}/schedule`, read again
// shortly after every change of the plan.

import { useEffect, useState } from "react";
import type { PresenceState, ProjectPlan, Subscription } from "../../../src/index.js";
import { apiCall, errorMessage } from "../api.js";
import { Schedule as ScheduleSchema, type Schedule } from "../projects/schemas.js";
import { useBoard } from "../store.js";
import { live } from "../store/live.js";

/** Someone else on this project's chart: their session and presence. */
export type Viewer = [sessionId: string, state: PresenceState];

export function usePlan(projectId: string): { plan: ProjectPlan | undefined; error: string | undefined; others: Viewer[] } {
  const conn = useBoard((st) => st.conn);
  const name = useBoard((st) => st.session?.user.displayName);
  const [plan, setPlan] = useState<ProjectPlan | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [others, setOthers] = useState<Viewer[]>([]);
  const client = live.client;
  useEffect(() => {
    if (!client || client.state === "closed") return;
    let sub: Subscription;
    try {
      sub = client.subscribe({ kind: "project", projectId });
    } catch (e) {
      setError(errorMessage(e));
      return;
    }
    const readOthers = () => setOthers([...sub.presence].filter(([id]) => id !== client.sessionId));
    const stop = sub.onChange((change) => {
      if (change.projects.includes(projectId)) setPlan(sub.projects.get(projectId));
      if (change.presence.length > 0 || change.cause === "snapshot" || change.cause === "resumed") readOthers();
    });
    sub.ready.then(
      () => {
        const p = sub.projects.get(projectId);
        setPlan(p);
        if (!p) setError("This project was not found, or you may not see it.");
        // Who we are, to the others on this chart (the board does the same in the tenant view).
        else sub.setPresence({ ...(name ? { name } : {}), lookingAt: `project:${projectId}` });
        readOthers();
      },
      (e: unknown) => setError(`The project could not be opened: ${errorMessage(e)}`),
    );
    return () => {
      stop();
      setOthers([]);
      void sub.unsubscribe();
    };
  }, [client, projectId, conn === "closed"]); // eslint-disable-line react-hooks/exhaustive-deps
  return { plan, error, others };
}

/** The schedule, read again 250 ms after the plan last changed. */
export function useSchedule(projectId: string, plan: ProjectPlan | undefined): Schedule | undefined {
  const [schedule, setSchedule] = useState<Schedule | undefined>();
  useEffect(() => {
    if (!plan) return;
    let stale = false;
    const t = setTimeout(() => {
      apiCall("GET", `/projects/${projectId}/schedule`, ScheduleSchema).then(
        (s) => !stale && setSchedule(s),
        () => undefined, // the chart works without it (no critical path shown)
      );
    }, 250);
    return () => {
      stale = true;
      clearTimeout(t);
    };
  }, [projectId, plan]);
  return schedule;
}
