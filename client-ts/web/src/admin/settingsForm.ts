// The Settings tab's form, apart from React: the weekdays it offers, the
// form a stored `StudioSettings` fills in (the hold duration in hours), and
// the `StudioPatch` of what changed (minutes again; the week whole, as the
// API replaces it). A value that is not a number is sent as typed, for the
// server to refuse by its field.

import type { Settings } from "./studioSchemas.js";

export const DAYS: { n: number; short: string; long: string }[] = [
  { n: 1, short: "Mon", long: "Monday" },
  { n: 2, short: "Tue", long: "Tuesday" },
  { n: 3, short: "Wed", long: "Wednesday" },
  { n: 4, short: "Thu", long: "Thursday" },
  { n: 5, short: "Fri", long: "Friday" },
  { n: 6, short: "Sat", long: "Saturday" },
  { n: 7, short: "Sun", long: "Sunday" },
];

export interface SettingsForm {
  name: string;
  timezone: string;
  holdHours: string;
  /** How long a challenged 1st hold's holder has to answer (whole hours). */
  challengeHours: string;
  days: number[];
  start: string;
  end: string;
}

export function formOf(s: Settings): SettingsForm {
  const w = s.workingWeek;
  return { name: s.name, timezone: s.timezone, holdHours: String(Math.round((s.defaultHoldMinutes / 60) * 100) / 100), challengeHours: String(s.challengeHours), days: [...w.days].sort((a, b) => a - b), start: w.start, end: w.end };
}

/** The changed fields as a `StudioPatch` (the week goes whole: the API replaces it). */
export function patchOf(s: Settings, f: SettingsForm): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  if (f.name !== s.name) patch.name = f.name;
  if (f.timezone !== s.timezone) patch.timezone = f.timezone;
  const minutes = f.holdHours.trim() === "" ? NaN : Math.round(Number(f.holdHours) * 60);
  // Not a number: sent as it is typed, for the server to name the field.
  if (minutes !== s.defaultHoldMinutes) patch.defaultHoldMinutes = Number.isFinite(minutes) ? minutes : f.holdHours;
  const challenge = f.challengeHours.trim() === "" ? NaN : Number(f.challengeHours);
  if (challenge !== s.challengeHours) patch.challengeHours = Number.isInteger(challenge) ? challenge : f.challengeHours;
  const w = s.workingWeek;
  if (f.start !== w.start || f.end !== w.end || f.days.join() !== [...w.days].sort((a, b) => a - b).join()) patch.workingWeek = { days: f.days, start: f.start, end: f.end };
  return patch;
}
