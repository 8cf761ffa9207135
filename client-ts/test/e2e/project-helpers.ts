// Shared by the project pages' browser tests: a fresh project made over REST
// (two phases "Layout" then "Animation", finish to start, and a milestone),
// dated next week so it is in view; moving between pages by the hash; the
// Gantt's bars by phase name.

import type { Locator, Page } from "playwright-core";
import type { Api, Tab } from "./helpers.js";

export const FREELANCER = "freelancer@demo.studio";

export interface RestPhase {
  id: string;
  name: string;
  startDate: string;
  endDate: string;
  progress: number;
  version: number;
}

export interface RestProject {
  id: string;
  name: string;
  code: string;
  client: string | null;
  status: string;
  startDate: string;
  endDate: string;
  version: number;
}

export interface Plan {
  project: RestProject;
  layout: RestPhase;
  animation: RestPhase;
}

/** `YYYY-MM-DD` of this week's Monday (UTC) plus `days`. */
export function day(days: number): string {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * 86_400_000;
  return new Date(monday + days * 86_400_000).toISOString().slice(0, 10);
}

/** A code no other test run used (letters and digits, at most 16). */
export function uniqueCode(prefix: string): string {
  return `${prefix}${Date.now().toString(36).toUpperCase().slice(-6)}${Math.floor(Math.random() * 100)}`;
}

/**
 * A project from this Monday for eight weeks: "Layout" next Monday to Friday,
 * "Animation" the week after (finish to start after Layout), and a milestone
 * "Lock" on Animation's Friday.
 */
export async function freshPlan(a: Api, name: string): Promise<Plan> {
  const project = (await a.call<{ data: RestProject }>("POST", "/projects", { name, code: uniqueCode("E2E"), client: "E2E Client", startDate: day(0), endDate: day(56), status: "active" })).data;
  const phase = async (n: string, from: number, to: number) =>
    (await a.call<{ data: RestPhase }>("POST", `/projects/${project.id}/phases`, { name: n, startDate: day(from), endDate: day(to) })).data;
  const layout = await phase("Layout", 7, 12);
  const animation = await phase("Animation", 14, 19);
  await a.call("POST", `/projects/${project.id}/dependencies`, { predecessorId: layout.id, successorId: animation.id, kind: "finish_to_start", lagDays: 0 });
  await a.call("POST", `/projects/${project.id}/milestones`, { name: "Lock", date: day(18), phaseId: animation.id });
  return { project, layout, animation };
}

export async function phasesOf(a: Api, projectId: string): Promise<Map<string, RestPhase>> {
  const phases = (await a.call<{ data: RestPhase[] }>("GET", `/projects/${projectId}/phases`)).data;
  return new Map(phases.map((p) => [p.name, p]));
}

/**
 * Takes out of `tab.problems` the console errors Chromium logs for REST
 * answers a test provoked on purpose (a refused field, a refused loop): the
 * browser reports any 4xx fetch that way. Returns how many there were.
 */
export function expectedRefusals(tab: Tab, status: number): number {
  const pattern = `Failed to load resource: the server responded with a status of ${status}`;
  const before = tab.problems.length;
  tab.problems.splice(0, tab.problems.length, ...tab.problems.filter((p) => !p.includes(pattern)));
  return before - tab.problems.length;
}

/**
 * Seeding pace: the e2e server keeps production limits (50 requests/s per
 * address, burst 100), and the test driver shares 127.0.0.1 with the browser
 * under test. Seeding at half the sustained rate leaves the other half to the
 * page, so a seeding loop never makes the app's own reads answer 429.
 */
const SEED_PER_SECOND = 25;
let nextSeedAt = 0;

async function seedTurn(): Promise<void> {
  const now = Date.now();
  nextSeedAt = Math.max(nextSeedAt, now) + 1000 / SEED_PER_SECOND;
  const wait = nextSeedAt - 1000 / SEED_PER_SECOND - now;
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** A REST call for seeding many entities: paced (see SEED_PER_SECOND), and waits out a 429 instead of failing. */
export async function patient<T>(a: Api, method: string, path: string, body?: unknown): Promise<T> {
  await seedTurn();
  for (;;) {
    try {
      return await a.call<T>(method, path, body);
    } catch (e) {
      const m = /: 429 .*"retryAfterSeconds":(\d+)/.exec(String(e));
      if (!m) throw e;
      await new Promise((r) => setTimeout(r, Number(m[1]) * 1000));
    }
  }
}

/** Goes to a page of the signed-in app by its hash (no reload). */
export async function goTo(page: Page, hash: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

/** Opens a project's Gantt chart and waits for its bars. */
export async function openGantt(page: Page, projectId: string): Promise<void> {
  await goTo(page, `#/projects/${projectId}`);
  await page.locator("[data-testid=gantt] [data-testid=phase-bar]").first().waitFor();
}

export function bar(page: Page, name: string): Locator {
  return page.locator(`[data-testid=phase-bar][data-name="${name}"]`);
}
