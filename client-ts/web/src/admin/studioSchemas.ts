// The REST answers the settings, tokens, webhooks, feeds and data tabs read,
// as zod schemas tied to the generated DTOs (see `rest.ts` for `Tie`): the
// studio's settings as stored (`HH:MM` strings, unlike the board's parsed
// copy), API tokens, webhook subscriptions and their deliveries (server-side
// DTOs with no generated type: not tied), calendar feeds, and an import's report.

import { z } from "zod";
import type { ApiTokenView as ApiTokenViewDto } from "../../../src/generated/ApiTokenView.js";
import type { CalendarFeedView as CalendarFeedViewDto } from "../../../src/generated/CalendarFeedView.js";
import type { CreatedCalendarFeed as CreatedCalendarFeedDto } from "../../../src/generated/CreatedCalendarFeed.js";
import type { CreatedApiToken as CreatedApiTokenDto } from "../../../src/generated/CreatedApiToken.js";
import type { ImportReport as ImportReportDto } from "../../../src/generated/ImportReport.js";
import type { RowError as RowErrorDto } from "../../../src/generated/RowError.js";
import type { StudioSettings as StudioSettingsDto } from "../../../src/generated/StudioSettings.js";
import type { Tie } from "../rest.js";

// ---- GET/PATCH /studio ----------------------------------------------------------

export const Holiday = z.object({ date: z.string(), name: z.string() });
export type Holiday = z.output<typeof Holiday>;

export const Settings = z.object({
  id: z.string(),
  name: z.string(),
  timezone: z.string(),
  defaultHoldMinutes: z.number(),
  challengeHours: z.number(),
  workingWeek: z.object({ days: z.array(z.number()), start: z.string(), end: z.string() }),
  holidays: z.array(Holiday),
});
export type SettingsTie = Tie<typeof Settings, StudioSettingsDto>;
export type Settings = z.output<typeof Settings>;

// ---- /studio/api-tokens ---------------------------------------------------------

export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: z.string(),
  hint: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiTokenTie = Tie<typeof ApiToken, ApiTokenViewDto>;
export type ApiToken = z.output<typeof ApiToken>;

export const CreatedApiToken = z.object({ apiToken: ApiToken, token: z.string() });
export type CreatedApiTokenTie = Tie<typeof CreatedApiToken, CreatedApiTokenDto>;

// ---- /webhooks (owners: `webhooks:manage`) ----------------------------------------

/** A subscription; a deleted one is listed too, with `deletedAt`. */
export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  // Any string: a kind added later must not make the list unreadable.
  events: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
  deletedAt: z.string().nullable(),
  /** The last `seq` whose deliveries are queued. */
  cursor: z.number(),
});
export type Webhook = z.output<typeof Webhook>;

/** `POST /webhooks`: the subscription with its signing secret, shown this once. */
export const CreatedWebhook = Webhook.extend({ secret: z.string() });

/** One try of a delivery: the receiver's status when it answered, else why not. */
export const DeliveryTry = z.object({ attempt: z.number(), at: z.string(), statusCode: z.number().nullable(), error: z.string().nullable() });
export type DeliveryTry = z.output<typeof DeliveryTry>;

/** A delivery (`pending`, `sent`, `dead` or `skipped`) and its tries; its id is the `X-PT-Delivery` header. */
export const Delivery = z.object({
  id: z.string(),
  seq: z.number().nullable(),
  status: z.string(),
  attempts: z.number(),
  nextAt: z.string(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  payload: z.unknown(),
  tries: z.array(DeliveryTry),
});
export type Delivery = z.output<typeof Delivery>;

// ---- /studio/calendar-feeds -----------------------------------------------------

export const CalendarFeed = z.object({
  id: z.string(),
  name: z.string(),
  artistId: z.string().nullable(),
  hint: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});
export type CalendarFeedTie = Tie<typeof CalendarFeed, CalendarFeedViewDto>;
export type CalendarFeed = z.output<typeof CalendarFeed>;

export const CreatedCalendarFeed = z.object({ feed: CalendarFeed, path: z.string() });
export type CreatedCalendarFeedTie = Tie<typeof CreatedCalendarFeed, CreatedCalendarFeedDto>;

// ---- POST /import/{artists|bookings}?dryRun= -------------------------------------

export const RowError = z.object({ line: z.number(), column: z.string().nullable(), reason: z.string() });
export type RowError = z.output<typeof RowError>;
export type RowErrorTie = Tie<typeof RowError, RowErrorDto>;

/** A dry run lists every problem; a real run writes every row or none. */
export const ImportReport = z.object({ dryRun: z.boolean(), rows: z.number(), errors: z.array(RowError), created: z.array(z.string()), reverted: z.array(z.string()) });
export type ImportReportTie = Tie<typeof ImportReport, ImportReportDto>;
export type ImportReport = z.output<typeof ImportReport>;
