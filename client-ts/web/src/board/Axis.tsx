// The board's time: the sticky axis on top (the corner with the artist
// count, major ticks — days or weeks — and minor ticks), and the day columns
// behind the rows, shaded on days off the studio's working week and on its
// holidays (`day--holiday`, named in the day's title); at day zoom
// the hours outside its working hours are shaded lightly too. Both cover only
// the rendered time range (virtual like the rows).

import { useMemo } from "react";
import { US_PER_HOUR, addDays, dayKey, dayStart, isWorkingDay, ticks, workingHours, type Scale, type WorkingWeek, type Zoom } from "../time.js";
import { LEFT_W } from "./geometry.js";

interface AxisProps {
  scale: Scale;
  zoom: Zoom;
  /** The rendered time range. */
  visFrom: number;
  visTo: number;
  now: number;
  workingWeek: WorkingWeek;
  artistCount: number;
}

export function TimeAxis({ scale, zoom, visFrom, visTo, now, workingWeek, artistCount }: AxisProps) {
  const width = scale.width;
  // Recomputed when the range moves by six hours, not on every scrolled step.
  const axis = useMemo(() => ticks(zoom, visFrom, visTo, now, workingWeek), [zoom, Math.floor(visFrom / (6 * US_PER_HOUR)), Math.floor(visTo / (6 * US_PER_HOUR)), dayStart(now), workingWeek]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="axis" style={{ width: LEFT_W + width }} role="row">
      <div className="axis__corner" role="columnheader">
        {/* One inline box: the flex corner would drop the space between two items. */}
        <span>
          Artists <span className="muted">· {artistCount}</span>
        </span>
      </div>
      {axis.major.map((t, i) => (
        <div
          key={`M${t.at}`}
          className={`axis__major${t.today ? " axis__major--today" : ""}`}
          style={{ left: LEFT_W + scale.x(t.at), width: scale.x(axis.major[i + 1]?.at ?? visTo) - scale.x(t.at) }}
          data-day={zoom === "day" ? dayKey(t.at) : undefined}
        >
          <span className="axis__sticky">{t.label}</span>
        </div>
      ))}
      {axis.minor.map((t) => (
        <div
          key={`m${t.at}`}
          className={`axis__minor${t.off ? " axis__minor--off" : ""}${t.today ? " axis__minor--today" : ""}`}
          style={{ left: LEFT_W + scale.x(t.at), width: zoom === "day" ? scale.x(t.at + 2 * US_PER_HOUR) - scale.x(t.at) : scale.x(addDays(t.at, 1)) - scale.x(t.at) }}
          role="columnheader"
          data-day={zoom === "day" ? undefined : dayKey(t.at)}
        >
          {t.label}
        </div>
      ))}
    </div>
  );
}

interface ShadingProps {
  scale: Scale;
  zoom: Zoom;
  visFrom: number;
  visTo: number;
  now: number;
  workingWeek: WorkingWeek;
  /** The body's height. */
  height: number;
  /** The studio's holidays, "YYYY-MM-DD". */
  holidays: ReadonlySet<string>;
}

export function DayShading({ scale, zoom, visFrom, visTo, now, workingWeek, height, holidays }: ShadingProps) {
  const days: { x: number; w: number; off: boolean; today: boolean; holiday: boolean }[] = [];
  const offHours: { x: number; w: number }[] = [];
  for (let d = dayStart(visFrom); d < visTo; d = addDays(d, 1)) {
    const next = addDays(d, 1);
    const holiday = holidays.size > 0 && holidays.has(dayKey(d));
    days.push({ x: scale.x(d), w: scale.x(next) - scale.x(d), off: holiday || !isWorkingDay(d, workingWeek), today: d === dayStart(now), holiday });
    const hours = zoom === "day" && !holiday ? workingHours(d, workingWeek) : undefined;
    if (hours) {
      for (const [a, b] of [
        [d, Math.min(hours.start, next)],
        [Math.max(hours.end, d), next],
      ] as const) {
        if (b > a) offHours.push({ x: scale.x(a), w: scale.x(b) - scale.x(a) });
      }
    }
  }
  return (
    <div className="days" aria-hidden="true">
      {days.map((d) => (
        <div key={d.x} className={`day${d.off ? " day--off" : ""}${d.holiday ? " day--holiday" : ""}${d.today ? " day--today" : ""}`} style={{ left: LEFT_W + d.x, width: d.w, height }} />
      ))}
      {offHours.map((h) => (
        <div key={`h${h.x}`} className="off-hours" style={{ left: LEFT_W + h.x, width: h.w, height }} />
      ))}
    </div>
  );
}
