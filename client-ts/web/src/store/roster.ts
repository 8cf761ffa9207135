// The studio's artists and projects, without its bookings: what the board
// needs for every row, however many artists the studio has. Its bookings come
// through windows (`window.ts`).
//
// Read over REST at sign-in (`GET /artists`, `GET /projects`, each project's
// plan from `GET /projects/{id}`), then kept live by the studio subscription
// (`session.ts`): a tenant view started at the welcome's `serverSeq` without a
// snapshot, so it carries every later event and the studio's presence but no
// bookings snapshot. The REST answers are read after that `seq`, so nothing
// decided before it is missed; an event and a REST answer may cross, so:
// * an artist is taken from whichever says the higher `version` (events carry
//   the whole artist);
// * a project event makes the board read that project's plan again (a read
//   started after the event sees it); reads of one project never overlap, so
//   the last answer is the newest.

import { z } from "zod";
import type { Artist, TimeOff } from "../../../src/index.js";
import { apiCall } from "../api.js";
import type { ProjectNames } from "../model.js";
import { Project, ProjectPlan } from "../projects/schemas.js";
import { get, set } from "./state.js";

type ProjectName = ProjectNames extends ReadonlyMap<string, infer V> ? V : never;

const PAGE = 1000;
/** Plans read at once at sign-in (the names come with the list already). */
const PLAN_READS = 4;

/** Every artist known, archived ones included (the rows leave them out), by id. */
const artists = new Map<string, Artist>();
/** Per project: the plan read on its way, and whether another was asked for meanwhile. */
const planReads = new Map<string, { again: boolean; running: Promise<void> | undefined }>();
/**
 * Project events within this long are answered by one read. A second: a plan
 * of 300 phases made over REST is a burst of 300 events, and 150 ms still had
 * the board's reads run into its token's rate limit (a 429 seen in CI).
 */
const PLAN_COALESCE_MS = 1_000;

/** Forgets the roster (signed out). */
export function resetRoster(): void {
  artists.clear();
  planReads.clear();
}

/** `localeCompare`'s order, without building a collator per comparison (2,000 names: ~22,000 of them). */
const byName = new Intl.Collator();

/** The artists to show (not archived), by name. */
export function rosterArtists(): Artist[] {
  return [...artists.values()].filter((a) => !a.archivedAt).sort((a, b) => byName.compare(a.name, b.name));
}

/** Takes `a` unless a newer version of it is known; returns whether it changed. */
export function mergeArtist(a: Artist): boolean {
  const known = artists.get(a.id);
  if (known && known.version >= a.version) return false;
  artists.set(a.id, a);
  return true;
}

/** Reads every artist and project over REST into the roster and the store. */
export async function loadRoster(): Promise<void> {
  const [list, projects] = await Promise.all([readArtists(), readProjects()]);
  for (const a of list) mergeArtist(a);
  // Plans read by events meanwhile are newer than the list's bare projects.
  const next: Map<string, ProjectName> = new Map(projects.map((p) => [p.id, p]));
  for (const [id, p] of get().projects) next.set(id, p);
  set({ projects: next });
  void readPlans(projects.map((p) => p.id));
}

/**
 * A project event arrived: read its plan again (names, colour, status and
 * phases). A burst of events (a plan of 300 phases made over REST) costs one
 * read per project per PLAN_COALESCE_MS, never two at once: a read asked for
 * while one is on its way starts when that one is answered.
 */
export function refreshProject(id: string, delayMs = PLAN_COALESCE_MS): Promise<void> {
  let r = planReads.get(id);
  if (!r) planReads.set(id, (r = { again: false, running: undefined }));
  if (r.running) {
    r.again = true;
    return r.running;
  }
  const tenant = get().session?.tenant.id;
  const read = r;
  read.running = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
    .then(() => apiCall("GET", `/projects/${id}`, ProjectPlan))
    .then(
      (plan) => {
        if (get().session?.tenant.id !== tenant || planReads.get(id) !== read) return;
        const next = new Map(get().projects);
        next.set(id, { ...plan.project, phases: plan.phases.map((ph) => ({ id: ph.id, name: ph.name })) });
        set({ projects: next });
      },
      () => undefined, // gone, or offline: the name stays as it was
    )
    .finally(() => {
      read.running = undefined;
      if (read.again && planReads.get(id) === read) {
        read.again = false;
        void refreshProject(id);
      }
    });
  return read.running;
}

async function readPlans(ids: string[]): Promise<void> {
  let next = 0;
  const one = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!;
      if (planReads.has(id)) continue; // an event already asked for it
      await refreshProject(id, 0);
    }
  };
  await Promise.all(Array.from({ length: PLAN_READS }, one));
}

async function readProjects(): Promise<z.output<typeof Project>[]> {
  // The list leaves archived projects out unless asked for; their bars still need names.
  const [open, archived] = await Promise.all([
    apiCall("GET", `/projects?limit=${PAGE}`, z.array(Project)),
    apiCall("GET", `/projects?status=archived&limit=${PAGE}`, z.array(Project)),
  ]);
  return [...open, ...archived];
}

interface Page {
  data: Record<string, unknown>[];
  meta: { total: number };
}

async function readArtists(): Promise<Artist[]> {
  const page = async (n: number): Promise<Page> => {
    const token = get().session?.accessToken ?? "";
    const res = await fetch(`/api/v1/artists?limit=${PAGE}&page=${n}`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`The studio's artists could not be read (${res.status}).`);
    return (await res.json()) as Page;
  };
  const first = await page(1);
  const more = Math.ceil(first.meta.total / PAGE) - 1;
  const rest = await Promise.all(Array.from({ length: Math.max(0, more) }, (_, i) => page(i + 2)));
  return [first, ...rest].flatMap((p) => p.data.map(artistFromJson));
}

/** An RFC 3339 instant in microseconds (the frames' unit), keeping the fraction's microseconds. */
export function micros(s: string): number {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(.*)$/.exec(s);
  if (!m) return Date.parse(s) * 1000;
  return Date.parse(`${m[1]}${m[3]}`) * 1000 + Number((m[2] ?? "").padEnd(6, "0").slice(0, 6));
}

const at = (v: unknown): number => (typeof v === "string" ? micros(v) : (v as number));
const atOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : at(v));

/** An artist as REST answers it (instants as RFC 3339) in the frames' shape (microseconds). */
export function artistFromJson(j: Record<string, unknown>): Artist {
  const a = j as unknown as Artist;
  const timeOff = (a.timeOff ?? []).map((t: TimeOff) => ({
    ...t,
    start: at(t.start),
    end: at(t.end),
    decidedAt: atOrNull(t.decidedAt),
    createdAt: at(t.createdAt),
  }));
  const out: Artist = { ...a, timeOff, createdAt: at(a.createdAt), updatedAt: at(a.updatedAt) };
  if (a.archivedAt !== undefined) out.archivedAt = atOrNull(a.archivedAt);
  return out;
}
