// The board opened from a link (`#/?artist=<id>&week=YYYY-MM-DD`, e.g. a
// utilization heat map cell): once the studio is loaded, the board is filtered
// to that artist (their name in the search box, which clears it) and scrolled
// to that week. Applied once per link, so the filter can then be changed.

import { useEffect, useRef } from "react";
import type { Route } from "../router.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";

export function useBoardRoute(route: Route, ready: boolean): void {
  const applied = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (route.page !== "board" || !ready) return;
    const key = `${route.artist ?? ""}|${route.week ?? ""}`;
    if (key === "|" || applied.current === key) return;
    applied.current = key;
    const artist = route.artist ? useBoard.getState().artists.find((a) => a.id === route.artist) : undefined;
    if (artist) store.setFilters({ text: artist.name, project: "", skill: "", groupBy: "none" });
    const week = route.week;
    if (week) {
      const at = Date.parse(`${week}T00:00:00`) * 1000; // the browser's midnight: the board draws local days
      // After the board has rendered with the filter (its "go to date" listener is then in place).
      // Not cancelled on cleanup: it is applied once per link (see `applied`).
      setTimeout(() => window.dispatchEvent(new CustomEvent("pt:goto", { detail: at })), 50);
    }
  }, [route, ready]);
}
