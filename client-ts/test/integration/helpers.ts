// Shared by the integration tests: a fresh studio per test, booking slots,
// and a polling wait (no fixed sleeps).

import { afterEach, inject } from "vitest";
import { connect, type Client, type ConnectOptions } from "../../src/index.js";
import type { BookingStatus } from "../../src/generated/BookingStatus.js";
import type { NewBooking } from "../../src/generated/NewBooking.js";

export const HOUR = 3_600_000_000; // µs
/** 2027-01-01T00:00:00Z in µs: far enough ahead that nothing is in the past. */
export const BASE = 1_798_761_600_000_000;

/** A studio signed up for one test, and its owner's access token. */
export interface Studio {
  tenantId: string;
  token: string;
}

/** Signs up a new studio over REST (`POST /api/v1/auth/signup`). */
export async function newTenant(): Promise<Studio> {
  const email = `owner-${crypto.randomUUID()}@example.com`;
  const res = await fetch(`${inject("httpUrl")}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ studioName: "TS client test", email, password: "correct-horse-battery-9", displayName: "Owner" }),
  });
  const body = (await res.json()) as { data: { accessToken: string; tenant: { id: string } } };
  if (res.status !== 201) throw new Error(`signup failed: ${res.status} ${JSON.stringify(body)}`);
  return { tenantId: body.data.tenant.id, token: body.data.accessToken };
}

export function open(studio: Studio, options: Omit<ConnectOptions, "token"> = {}): Promise<Client> {
  return connect(inject("wsUrl"), { reconnect: { minDelayMs: 20, maxDelayMs: 500 }, ...options, token: studio.token });
}

/**
 * For one test file: `open`, plus closing every client it opened after each
 * test, so a failed test leaves no socket behind.
 */
export function openClosedAfterEach(): (studio: Studio, options?: Omit<ConnectOptions, "token">) => Promise<Client> {
  const clients: Client[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  return async (studio, options = {}) => {
    const c = await open(studio, options);
    clients.push(c);
    return c;
  };
}

/**
 * One hour starting `hour` hours after BASE (or `hours` long), at any hour of
 * the week: `allowOvertime`, since these tests are about the realtime path,
 * not about working hours (the server's own tests cover those).
 */
export function slot(artistId: string, hour: number, status: BookingStatus, title = `slot ${hour}`, hours = 1): NewBooking {
  return { artistId, title, startTime: BASE + hour * HOUR, endTime: BASE + (hour + hours) * HOUR, status, allowOvertime: true };
}

/** Polls `condition` every 10 ms until it holds; fails after `timeoutMs` saying what it waited for. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `id → version` of a subscription's bookings, for comparing two clients' states. */
export function versions(bookings: Map<string, { version: number }>): Record<string, number> {
  return Object.fromEntries([...bookings].map(([id, b]) => [id, b.version]).sort(([a], [b]) => String(a).localeCompare(String(b))));
}
