// Where one's notifications go, apart from React: the answer of
// `GET /me/notification-preferences` as zod schemas tied to the generated
// DTOs (see `rest.ts` for `Tie`; here, not there, so that their code loads
// with the settings dialog), each kind as people read it, what a kind's two
// channels together mean, the form the stored preferences fill in, and the
// `PreferencesPatch` of only what changed (`PATCH`). The server checks the
// quiet hours; its field errors (`quietHours.start`, …) are put under their
// inputs by `problemKey`.

import { z } from "zod";
import type { ChannelChoice as ChannelChoiceDto } from "../../../src/generated/ChannelChoice.js";
import type { NotificationKind } from "../../../src/generated/NotificationKind.js";
import type { NotificationPreferences as NotificationPreferencesDto } from "../../../src/generated/NotificationPreferences.js";
import type { PreferencesPatch as PreferencesPatchDto } from "../../../src/generated/PreferencesPatch.js";
import type { QuietHours as QuietHoursDto } from "../../../src/generated/QuietHours.js";
import type { Tie } from "../rest.js";

export const ChannelChoice = z.object({ inApp: z.boolean(), email: z.boolean() });
export type ChannelChoiceTie = Tie<typeof ChannelChoice, ChannelChoiceDto>;
export type ChannelChoice = z.output<typeof ChannelChoice>;

/** `HH:MM` on `timezone`'s clock; `start` after `end` spans midnight. */
export const QuietHours = z.object({ start: z.string(), end: z.string(), timezone: z.string() });
export type QuietHoursTie = Tie<typeof QuietHours, QuietHoursDto>;
export type QuietHours = z.output<typeof QuietHours>;

/** Every kind's channels (by kind name: one added later is still read; `catchall`, not `z.record`, whose code would join the main bundle), and quiet hours. */
export const NotificationPreferences = z.object({ kinds: z.object({}).catchall(ChannelChoice), quietHours: QuietHours.nullable() });
export type NotificationPreferencesTie = Tie<typeof NotificationPreferences, NotificationPreferencesDto>;
export type NotificationPreferences = z.output<typeof NotificationPreferences>;

/**
 * Every kind, in the order the settings list them: a kind of the generated
 * `NotificationKind` missing here does not compile; one listed ahead of it is
 * shown once the server sends it.
 */
const LABELS: Record<NotificationKind, string> & Record<string, string> = {
  bookingOffered: "A booking is made for you",
  bookingChanged: "Your booking changes",
  bookingConfirmed: "Your booking is confirmed",
  bookingCancelled: "Your booking is cancelled",
  holdPromoted: "Your hold moves up",
  holdChallenged: "Your 1st hold is challenged",
  holdReleased: "Your hold lapses or is released",
  queuePlaced: "Your waiting request gets its slot",
  holdExpiring: "Your hold lapses in 24 hours",
  challengeDeadline: "Your challenged hold has 2 hours left",
  timeOffDecided: "Your time off is approved or declined",
  invitationAccepted: "Someone you invited joins the studio",
  applicationChanged: "An application you made or received moved",
  jobInvited: "A studio invites you to apply",
  jobMatched: "A new public job matches your skills",
};

/** Quiet hours as first offered: overnight. */
export const QUIET_START = "22:00";
export const QUIET_END = "07:00";

/** A kind as people read it (one this app does not know yet: its name). */
export function kindLabel(kind: string): string {
  return LABELS[kind] ?? kind;
}

/** The kinds to list: the known ones in their order, then any other the server sent. */
export function kindsOf(p: Pick<NotificationPreferences, "kinds">): string[] {
  const known = Object.keys(LABELS).filter((k) => k in p.kinds);
  return [...known, ...Object.keys(p.kinds).filter((k) => !(k in LABELS))];
}

/** What a kind's choice does, in a few words. */
export function outcomeText(c: ChannelChoice): string {
  if (c.inApp && c.email) return "In the inbox and by email";
  if (c.inApp) return "In the inbox only";
  if (c.email) return "By email; in the inbox as read";
  return "Not sent";
}

export interface PrefsForm {
  kinds: Record<string, ChannelChoice>;
  /** Quiet hours on. */
  quiet: boolean;
  start: string;
  end: string;
  timezone: string;
}

/** The form of stored preferences; without quiet hours, the overnight ones on `zone` are offered. */
export function formOf(p: NotificationPreferences, zone: string): PrefsForm {
  const kinds: Record<string, ChannelChoice> = {};
  for (const [k, c] of Object.entries(p.kinds)) kinds[k] = { inApp: c.inApp, email: c.email };
  const q = p.quietHours;
  return { kinds, quiet: q !== null, start: q?.start ?? QUIET_START, end: q?.end ?? QUIET_END, timezone: q?.timezone ?? zone };
}

export interface ChannelPatch {
  inApp?: boolean;
  email?: boolean;
}

/** `PATCH /me/notification-preferences`: what is left out stays. */
export interface PreferencesPatch {
  kinds?: Record<string, ChannelPatch>;
  /** `null` turns quiet hours off. */
  quietHours?: QuietHours | null;
}
/** Compiles only while every patch this form sends is a generated `PreferencesPatch`. */
type Sendable<P extends PreferencesPatchDto> = P;
export type PreferencesPatchTie = Sendable<PreferencesPatch>;

function sameQuiet(a: QuietHours | null, b: QuietHours | null): boolean {
  return a === b || (a !== null && b !== null && a.start === b.start && a.end === b.end && a.timezone === b.timezone);
}

/** Only what `f` changed of `p`: each channel flipped, and the quiet hours if they differ (`null`: off). */
export function patchOf(p: NotificationPreferences, f: PrefsForm): PreferencesPatch {
  const kinds: Record<string, ChannelPatch> = {};
  for (const [kind, c] of Object.entries(f.kinds)) {
    const was = p.kinds[kind] ?? { inApp: true, email: true };
    const d: ChannelPatch = {};
    if (c.inApp !== was.inApp) d.inApp = c.inApp;
    if (c.email !== was.email) d.email = c.email;
    if (d.inApp !== undefined || d.email !== undefined) kinds[kind] = d;
  }
  const patch: PreferencesPatch = {};
  if (Object.keys(kinds).length > 0) patch.kinds = kinds;
  const quiet = f.quiet ? { start: f.start, end: f.end, timezone: f.timezone } : null;
  if (!sameQuiet(p.quietHours, quiet)) patch.quietHours = quiet;
  return patch;
}

export type QuietField = "start" | "end" | "timezone" | "quietHours";
/** The server's reasons, by the input they are shown under. */
export type QuietProblems = Partial<Record<QuietField, string>>;

/** The input a refused field (the API's name) is shown under; undefined: with the form's message. */
export function problemKey(field: string): QuietField | undefined {
  if (field === "quietHours") return "quietHours";
  const m = /^quietHours\.(start|end|timezone)$/.exec(field);
  return m ? (m[1] as QuietField) : undefined;
}

/** The zones to offer: `wanted` first where the list lacks them (the browser's, the stored one), then the list. */
export function zoneOptions(known: readonly string[], ...wanted: string[]): string[] {
  const have = new Set(known);
  const extra = [...new Set(wanted.filter((z) => z !== "" && !have.has(z)))];
  return [...extra, ...known];
}

/** The browser's own time zone (quiet hours are first offered on its clock). */
export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Whether quiet hours `start`–`end` span midnight (`start` after `end`). */
export function spansMidnight(start: string, end: string): boolean {
  return start > end;
}
