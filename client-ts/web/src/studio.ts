// The studio's settings the board uses: its working week (which days and
// hours to leave unshaded), its holidays and its default hold duration, from
// `GET /api/v1/studio`. Every member may read
// it; if the answer is refused or malformed the board keeps its default
// (Monday to Friday, no hours). The answer's shape is in `rest.ts`.

import { StudioSettings, data } from "./rest.js";
import { zoneOffsetMs, type WorkingWeek } from "./time.js";

const StudioAnswer = data(StudioSettings);

export interface StudioForBoard {
  week: WorkingWeek;
  defaultHoldMinutes: number;
  /** How long a challenged 1st hold's holder has to answer. */
  challengeHours: number;
  /** Holidays as "YYYY-MM-DD" on the studio's calendar. */
  holidays: Set<string>;
}

/** The studio's working week, holidays and hold duration, or undefined when they cannot be read. */
export async function fetchStudio(accessToken: string): Promise<StudioForBoard | undefined> {
  const res = await fetch("/api/v1/studio", { headers: { authorization: `Bearer ${accessToken}` } });
  if (!res.ok) return undefined;
  const parsed = StudioAnswer.safeParse(await res.json());
  if (!parsed.success) return undefined;
  const { timezone, workingWeek: w, defaultHoldMinutes, challengeHours, holidays } = parsed.data.data;
  const week: WorkingWeek = { days: new Set(w.days), start: w.start, end: w.end };
  try {
    zoneOffsetMs(Date.now(), timezone); // a zone this browser knows
    week.timeZone = timezone;
  } catch {
    // unknown here: the hours on the browser's clock
  }
  return { week, defaultHoldMinutes, challengeHours, holidays: new Set(holidays.map((h) => h.date)) };
}
