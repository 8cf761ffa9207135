// The REST answers the web app reads, as zod schemas, in one place: the
// sign-in answer (`LoginResponse`, with its `StudioSummary` and `UserSummary`),
// the error envelope (`ErrorBody`), the studio's settings (`StudioSettings`,
// `WorkingWeek`), a refusal's `ConflictDetails` or `UnavailableDetails`, and
// the search's `ArtistMatch` (`search.ts`), and the inbox's `NotificationPage`
// and `ReadReceipt` (`store/inbox.ts`). Each schema is named after
// the server's DTO it reads and parses only the inner object; the `{ data: … }`
// envelope is added by `data()`.
//
// Each schema has a `…Tie` line binding it to the TypeScript type generated
// from that DTO. Until the generated type exists it says `never` (which ties
// nothing); replacing `never` with the generated type (and importing it) makes
// `npm run typecheck` fail whenever the server could send something the schema
// would refuse: a renamed, dropped or retyped field.

import { z } from "zod";
import type { StudioSummary as StudioSummaryDto } from "../../src/generated/StudioSummary.js";
import type { UserSummary as UserSummaryDto } from "../../src/generated/UserSummary.js";
import type { LoginResponse as LoginResponseDto } from "../../src/generated/LoginResponse.js";
import type { WorkingWeek as WorkingWeekDto } from "../../src/generated/WorkingWeek.js";
import type { StudioSettings as StudioSettingsDto } from "../../src/generated/StudioSettings.js";
import type { ErrorBody as ErrorBodyDto } from "../../src/generated/ErrorBody.js";
import type { ConflictDetails as ConflictDetailsDto } from "../../src/generated/ConflictDetails.js";
import type { UnavailableDetails as UnavailableDetailsDto } from "../../src/generated/UnavailableDetails.js";
import type { ArtistMatch as ArtistMatchDto } from "../../src/generated/ArtistMatch.js";
import type { Notification as NotificationDto } from "../../src/generated/Notification.js";
import type { NotificationPage as NotificationPageDto } from "../../src/generated/NotificationPage.js";
import type { ReadReceipt as ReadReceiptDto } from "../../src/generated/ReadReceipt.js";

/**
 * Compiles only if every `Dto` is a valid input of the schema `S`: the schema
 * reads nothing the server does not send. (The input side, not the output:
 * schemas turn wire strings into numbers, so their output is not the DTO.)
 */
export type Tie<S extends z.ZodType, Dto extends z.input<S>> = S;

/** `{ "data": … }`, the envelope of every successful REST answer. */
export function data<S extends z.ZodType>(inner: S) {
  return z.object({ data: inner });
}

// ---- sign-in: POST /api/v1/auth/login and /auth/refresh -----------------------

export const StudioSummary = z.object({ id: z.string(), name: z.string() });
export type StudioSummaryTie = Tie<typeof StudioSummary, StudioSummaryDto>;

export const UserSummary = z.object({ id: z.string(), email: z.string(), displayName: z.string().nullish() });
export type UserSummaryTie = Tie<typeof UserSummary, UserSummaryDto>;

export const LoginResponse = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
  accessExpiresAt: z.string(),
  tenant: StudioSummary,
  user: UserSummary,
  role: z.string(),
  artistId: z.string().nullish(),
});
export type LoginResponseTie = Tie<typeof LoginResponse, LoginResponseDto>;

// ---- errors: every non-2xx answer ---------------------------------------------

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBodyTie = Tie<typeof ErrorBody, ErrorBodyDto>;

// ---- the studio: GET /api/v1/studio -------------------------------------------

/** `HH:MM` → minutes after midnight. */
const HhMm = z
  .string()
  .regex(/^\d{2}:\d{2}$/)
  .transform((s) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5)));

export const WorkingWeek = z.object({ days: z.array(z.number().int().min(1).max(7)), start: HhMm, end: HhMm });
export type WorkingWeekTie = Tie<typeof WorkingWeek, WorkingWeekDto>;

/** The settings the board uses (the rest of the answer is not read). */
export const StudioSettings = z.object({
  timezone: z.string(),
  workingWeek: WorkingWeek,
  defaultHoldMinutes: z.number().int().positive(),
  challengeHours: z.number().int().positive(),
  holidays: z.array(z.object({ date: z.string(), name: z.string() })),
});
export type StudioSettingsTie = Tie<typeof StudioSettings, StudioSettingsDto>;

// ---- a `conflict` refusal's details (REST error details, WebSocket `rejected`) ---

/** An instant: microseconds (MessagePack), or an RFC 3339 string (JSON) → microseconds. */
export const Instant = z.union([z.number(), z.string().transform((s) => Date.parse(s) * 1000)]);

export const ConflictDetails = z.object({
  conflicts: z
    .array(z.object({ title: z.string(), status: z.string(), startTime: Instant, endTime: Instant }).passthrough())
    .optional()
    .default([]),
  freeWindows: z.array(z.object({ start: Instant, end: Instant })).optional().default([]),
});
export type ConflictDetailsTie = Tie<typeof ConflictDetails, ConflictDetailsDto>;

// ---- an `unavailable` refusal's details: time off, a holiday, outside working hours ---

export const UnavailableDetails = z.object({
  unavailable: z
    .array(z.object({ reason: z.enum(["time_off", "holiday", "outside_working_hours"]), start: Instant, end: Instant, holiday: z.string().optional() }))
    .optional()
    .default([]),
  freeWindows: z.array(z.object({ start: Instant, end: Instant })).optional().default([]),
});
export type UnavailableDetailsTie = Tie<typeof UnavailableDetails, UnavailableDetailsDto>;

// ---- "Find someone": GET /api/v1/artists/search → { data: ArtistMatch[] } ---------

/** One result (the artist's fields the panel shows; the rest is not read). */
export const ArtistMatch = z.object({
  artist: z.object({ id: z.string(), name: z.string(), skills: z.array(z.string()), timezone: z.string() }),
  matchedSkills: z.array(z.object({ name: z.string(), level: z.number() })),
  missingSkills: z.array(z.string()),
  workingDays: z.number(),
  freeDays: z.number(),
  freeMinutes: z.number(),
  freeWindows: z.array(z.object({ start: Instant, end: Instant })),
});
export type ArtistMatchTie = Tie<typeof ArtistMatch, ArtistMatchDto>;
export type ArtistMatch = z.output<typeof ArtistMatch>;

// ---- the inbox: GET /api/v1/notifications, POST …/{id}/read and …/read-all -------

/** One notification; its instants in microseconds (REST sends RFC 3339, the WebSocket numbers). */
export const Notification = z.object({
  id: z.string(),
  userId: z.string(),
  // Any string: a kind added later must not make the whole page unreadable.
  kind: z.string(),
  title: z.string(),
  body: z.string(),
  bookingId: z.string().optional(),
  artistId: z.string().optional(),
  by: z.string(),
  createdAt: Instant,
  readAt: Instant.nullable(),
});
export type NotificationTie = Tie<typeof Notification, NotificationDto>;
export type Notification = z.output<typeof Notification>;

export const NotificationPage = z.object({ items: z.array(Notification), unreadCount: z.number().int().nonnegative(), nextBefore: z.string().nullable() });
export type NotificationPageTie = Tie<typeof NotificationPage, NotificationPageDto>;
export type NotificationPage = z.output<typeof NotificationPage>;

export const ReadReceipt = z.object({ ids: z.array(z.string()), readAt: Instant, unreadCount: z.number().int().nonnegative() });
export type ReadReceiptTie = Tie<typeof ReadReceipt, ReadReceiptDto>;
