// The project names the board shows. Everyone but a freelancer watches the
// tenant view, whose snapshot and events carry every project (`fold.ts`). A
// freelancer watches their own artist (no plans in it), so their names come
// from `GET /api/v1/projects`, which the server limits to the projects they
// are booked on (without budgets).

import { z } from "zod";
import { apiCall } from "../api.js";
import { Project } from "../projects/schemas.js";
import { get, set } from "./state.js";

/** Whether the signed-in user may create and change projects (owners and managers). */
export function mayEditProjects(role: string | undefined): boolean {
  return role === "studio_owner" || role === "studio_manager";
}

/** Reads the projects over REST into the store (a freelancer's board). Failure leaves ids as names. */
export async function loadProjectNames(): Promise<void> {
  const tenant = get().session?.tenant.id;
  try {
    const list = await apiCall("GET", "/projects?limit=1000", z.array(Project));
    if (get().session?.tenant.id === tenant) set({ projects: new Map(list.map((p) => [p.id, p])) });
  } catch {
    // Offline or refused: bars show "Project 1a2b3c4d" until the next sign-in.
  }
}
