// The board's viewport, for virtual rendering: the scroll container's
// position and size (coalesced to one update per frame), where it starts
// (now, a third of the way in), what stays put when zooming (the instant in
// the middle), and the toolbar's "Today" and "Go to date" (window events
// `pt:today`, `pt:goto`). Also the clock that moves the today marker.

import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import { addDays, dayStart, type Scale } from "../time.js";
import { LEFT_W } from "./geometry.js";

export interface Viewport {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Now, in microseconds, updated every minute. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now() * 1000);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() * 1000), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The scroll container's viewport and its `onScroll` handler. */
export function useViewport(scrollRef: RefObject<HTMLDivElement | null>, scale: Scale, now: number, span: { start: number }): { view: Viewport; onScroll: () => void } {
  const [view, setView] = useState<Viewport>({ left: 0, top: 0, width: 1200, height: 800 });

  // Viewport tracking (rAF-coalesced) for virtualization.
  const frame = useRef(0);
  const measure = useCallback(() => {
    frame.current = 0;
    const el = scrollRef.current;
    if (!el) return;
    setView((v) =>
      v.left === el.scrollLeft && v.top === el.scrollTop && v.width === el.clientWidth && v.height === el.clientHeight
        ? v
        : { left: el.scrollLeft, top: el.scrollTop, width: el.clientWidth, height: el.clientHeight },
    );
  }, [scrollRef]);
  const onScroll = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(measure);
  }, [measure]);
  useLayoutEffect(() => {
    measure();
    const ro = new ResizeObserver(() => measure());
    if (scrollRef.current) ro.observe(scrollRef.current);
    return () => ro.disconnect();
  }, [measure, scrollRef]);

  // Start with now a third of the way in; keep the instant in the middle when zooming.
  const prevScale = useRef<Scale | null>(null);
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const before = prevScale.current;
    const width = el.clientWidth - LEFT_W;
    if (before === null) {
      el.scrollLeft = Math.max(0, scale.x(now) - width / 3); // now, a third of the way in
    } else if (before.zoom !== scale.zoom) {
      const center = before.t(el.scrollLeft + width / 2);
      el.scrollLeft = Math.max(0, scale.x(center) - width / 2);
    }
    prevScale.current = scale;
    measure();
  }, [scale]); // eslint-disable-line react-hooks/exhaustive-deps

  // "Today" and "Go to date" from the toolbar.
  useEffect(() => {
    const today = () => {
      const el = scrollRef.current;
      if (el) el.scrollTo({ left: Math.max(0, scale.x(now) - (el.clientWidth - LEFT_W) / 3), behavior: "smooth" });
    };
    const goto = (e: Event) => {
      const el = scrollRef.current;
      const at = (e as CustomEvent<number>).detail;
      if (el && Number.isFinite(at)) el.scrollLeft = Math.max(0, scale.x(dayStart(at)) - (scale.zoom === "day" ? 0 : scale.x(addDays(span.start, 1))));
    };
    window.addEventListener("pt:today", today);
    window.addEventListener("pt:goto", goto);
    return () => {
      window.removeEventListener("pt:today", today);
      window.removeEventListener("pt:goto", goto);
    };
  }, [scale, now, span, scrollRef]);

  return { view, onScroll };
}
