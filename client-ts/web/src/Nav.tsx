// The app's pages, as links (keyboard accessible as they are: Tab, Enter);
// the current one says so (`aria-current="page"`).

import { routeHash, useRoute, type Route } from "./router.js";

const PAGES: { page: Route["page"]; label: string; route: Route }[] = [
  { page: "board", label: "Board", route: { page: "board" } },
  { page: "projects", label: "Projects", route: { page: "projects" } },
  { page: "utilization", label: "Utilization", route: { page: "utilization" } },
];

export function Nav() {
  const route = useRoute();
  // The Gantt chart belongs to the projects section.
  const current = route.page === "gantt" ? "projects" : route.page;
  return (
    <nav className="nav" aria-label="Pages">
      {PAGES.map((p) => (
        <a key={p.page} href={routeHash(p.route)} aria-current={current === p.page ? "page" : undefined} className="nav__link">
          {p.label}
        </a>
      ))}
    </nav>
  );
}
