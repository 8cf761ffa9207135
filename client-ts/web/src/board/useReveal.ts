// A booking to bring into view (`store/reveal.ts`, e.g. from a notification):
// once its artist's row is among the rows, the board scrolls to that row and
// the booking's date, and asks for its bar's focus (`useFollowFocus` gives it
// when the window of bookings has drawn it).

import { useLayoutEffect, type MutableRefObject, type RefObject } from "react";
import type { Row } from "../model.js";
import * as store from "../store.js";
import { useBoard } from "../store.js";
import type { Scale } from "../time.js";
import { HEADER_H, LEFT_W, ROW_H, type RowLayout } from "./geometry.js";

export function useReveal(scrollRef: RefObject<HTMLDivElement | null>, scale: Scale, layout: RowLayout, rows: Row[], focusWanted: MutableRefObject<string | undefined>): void {
  const reveal = useBoard((st) => st.reveal);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!reveal || !el) return;
    const row = rows.findIndex((r) => r.kind === "artist" && r.artist.id === reveal.artistId);
    if (row < 0) {
      // Not drawn yet (the filters were just cleared …): a later render has it. An artist gone for good: give up.
      if (!useBoard.getState().artists.some((a) => a.id === reveal.artistId)) store.revealed();
      return;
    }
    // "instant" also ends a smooth scroll still running (Today's), which
    // would otherwise carry the board on past the booking.
    el.scrollTo({
      left: Math.max(0, scale.x(reveal.start) - (el.clientWidth - LEFT_W) / 4),
      top: Math.max(0, (layout.tops[row] ?? 0) + HEADER_H - Math.max(HEADER_H + ROW_H, el.clientHeight / 3)),
      behavior: "instant",
    });
    if (reveal.focus) focusWanted.current = reveal.key;
    store.revealed();
  }, [reveal, rows, layout, scale, scrollRef, focusWanted]);
}
