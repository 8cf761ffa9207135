// Hash routes: the app is one page served at `/`, so the page to show is in
// the fragment (`#/projects`), which survives a reload and needs nothing from
// the server.
//
// * `#/` — the board; `#/?artist=<id>&week=YYYY-MM-DD` opens it on that
//   artist (filtered to them) and week (the utilization heat map links here);
// * `#/projects` — the projects list;
// * `#/projects/<id>` — one project's Gantt chart;
// * `#/utilization` — the utilization heat map;
// * `#/time-off` — the time-off approval queue (owners and managers);
// * `#/studio/<tab>` — the Studio admin area (`admin/tabs.tsx` lists the
//   tabs); `#/studio` is the first tab the role may see;
// * `#/jobs/<tab>` — the job marketplace (`jobs/tabs.ts` lists the tabs);
//   `#/jobs` is the first tab the role may see;
// * `#/jobs/listing/<id>` — one of the studio's job listings;
// * `#/invitation?token=inv_…` — accepting an invitation (shown signed out too).

import { useSyncExternalStore } from "react";

export type Route =
  | { page: "board"; artist?: string; week?: string }
  | { page: "projects" }
  | { page: "gantt"; projectId: string }
  | { page: "utilization" }
  | { page: "timeOff" }
  | { page: "studio"; tab?: string }
  | { page: "jobs"; tab?: string }
  | { page: "job"; jobId: string }
  | { page: "invitation"; token: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The route a location hash names; anything unknown is the board. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const [path = "", search = ""] = raw.split("?", 2);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "projects" && parts.length === 1) return { page: "projects" };
  if (parts[0] === "projects" && parts.length === 2) return { page: "gantt", projectId: parts[1]! };
  if (parts[0] === "utilization" && parts.length === 1) return { page: "utilization" };
  if (parts[0] === "time-off" && parts.length === 1) return { page: "timeOff" };
  if (parts[0] === "studio" && parts.length === 1) return { page: "studio" };
  if (parts[0] === "studio" && parts.length === 2) return { page: "studio", tab: parts[1]! };
  if (parts[0] === "jobs" && parts.length === 1) return { page: "jobs" };
  if (parts[0] === "jobs" && parts.length === 2) return { page: "jobs", tab: parts[1]! };
  if (parts[0] === "jobs" && parts[1] === "listing" && parts.length === 3) return { page: "job", jobId: parts[2]! };
  const q = new URLSearchParams(search);
  if (parts[0] === "invitation" && parts.length === 1) return { page: "invitation", token: q.get("token") ?? "" };
  const route: Route = { page: "board" };
  const artist = q.get("artist");
  const week = q.get("week");
  if (artist) route.artist = artist;
  if (week && DAY.test(week)) route.week = week;
  return route;
}

/** The hash of a route (what `parseHash` reads back). */
export function routeHash(route: Route): string {
  switch (route.page) {
    case "projects":
      return "#/projects";
    case "gantt":
      return `#/projects/${encodeURIComponent(route.projectId)}`;
    case "utilization":
      return "#/utilization";
    case "timeOff":
      return "#/time-off";
    case "studio":
      return route.tab ? `#/studio/${encodeURIComponent(route.tab)}` : "#/studio";
    case "jobs":
      return route.tab ? `#/jobs/${encodeURIComponent(route.tab)}` : "#/jobs";
    case "job":
      return `#/jobs/listing/${encodeURIComponent(route.jobId)}`;
    case "invitation":
      return `#/invitation?${new URLSearchParams({ token: route.token }).toString()}`;
    case "board": {
      const q = new URLSearchParams();
      if (route.artist) q.set("artist", route.artist);
      if (route.week) q.set("week", route.week);
      const s = q.toString();
      return s ? `#/?${s}` : "#/";
    }
  }
}

export function navigate(route: Route): void {
  location.hash = routeHash(route);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener("hashchange", onChange);
  return () => window.removeEventListener("hashchange", onChange);
}

/** The current route, re-rendering on every hash change. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => location.hash);
  // Memoized by the hash string: the same hash gives an equal route.
  return cached(hash);
}

let lastHash: string | undefined;
let lastRoute: Route = { page: "board" };
function cached(hash: string): Route {
  if (hash !== lastHash) {
    lastHash = hash;
    lastRoute = parseHash(hash);
  }
  return lastRoute;
}
