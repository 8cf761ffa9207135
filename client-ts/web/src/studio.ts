// The studio's settings the board uses: its working week (which days and
// hours to leave unshaded), from `GET /api/v1/studio`. Every member may read
// it; if the answer is refused or malformed the board keeps its default
// (Monday to Friday, no hours). The answer's shape is in `rest.ts`.

import { StudioSettings, data } from "./rest.js";
import { zoneOffsetMs, type WorkingWeek } from "./time.js";

const StudioAnswer = data(StudioSettings);

/** The studio's working week, or undefined when it cannot be read. */
export async function fetchWorkingWeek(accessToken: string): Promise<WorkingWeek | undefined> {
  const res = await fetch("/api/v1/studio", { headers: { authorization: `Bearer ${accessToken}` } });
  if (!res.ok) return undefined;
  const parsed = StudioAnswer.safeParse(await res.json());
  if (!parsed.success) return undefined;
  const { timezone, workingWeek: w } = parsed.data.data;
  const week: WorkingWeek = { days: new Set(w.days), start: w.start, end: w.end };
  try {
    zoneOffsetMs(Date.now(), timezone); // a zone this browser knows
    week.timeZone = timezone;
  } catch {
    // unknown here: the hours on the browser's clock
  }
  return week;
}
