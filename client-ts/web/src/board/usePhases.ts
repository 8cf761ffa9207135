// The phases the booking panel's Phase select lists. Everyone but a
// freelancer has them in the store (the tenant snapshot's plans, live). A
// freelancer's store knows projects only by name (`GET /projects`), so their
// phases are read from `GET /projects/{id}`, which the server allows for the
// projects the freelancer is booked on; read once per project and session.

import { useEffect, useState } from "react";
import { apiCall } from "../api.js";
import type { PhaseName, ProjectNames } from "../model.js";
import { ProjectPlan } from "../projects/schemas.js";
import { useBoard } from "../store.js";

const NONE: readonly PhaseName[] = [];
/** Phases read over REST, by token and project (a new sign-in reads again). */
const fetched = new Map<string, Promise<readonly PhaseName[]>>();

function readPhases(token: string, projectId: string): Promise<readonly PhaseName[]> {
  const key = `${token}:${projectId}`;
  let p = fetched.get(key);
  if (!p) {
    p = apiCall("GET", `/projects/${projectId}`, ProjectPlan).then(
      (plan) => plan.phases.map((ph) => ({ id: ph.id, name: ph.name })),
      () => NONE, // refused or offline: the select offers only "No phase" (or the phase by id)
    );
    fetched.set(key, p);
  }
  return p;
}

export function usePhases(projectId: string, known: ProjectNames): readonly PhaseName[] {
  const project = projectId ? known.get(projectId) : undefined;
  const token = useBoard((st) => st.session?.refreshToken);
  const [loaded, setLoaded] = useState<{ projectId: string; phases: readonly PhaseName[] } | undefined>();
  // Only a project the store knows without its plan (a freelancer's) is read.
  const needed = project !== undefined && project.phases === undefined;
  useEffect(() => {
    if (!needed || !token) return;
    let stale = false;
    void readPhases(token, projectId).then((phases) => !stale && setLoaded({ projectId, phases }));
    return () => {
      stale = true;
    };
  }, [needed, token, projectId]);
  if (project?.phases) return project.phases;
  return loaded?.projectId === projectId ? loaded.phases : NONE;
}
