// Shared by the browser tests: Chromium, signing in, the board's geometry
// (days in the header, artists' rows), REST calls to set a scene, polling
// waits, and screenshots under test-artifacts/.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";
import { repo } from "../pt-server.js";

export const DAY_US = 86_400_000_000;
export const HOUR_US = 3_600_000_000;
export const PASSWORD = "demo-studio-2026";
export const OWNER = "owner@demo.studio";
export const MANAGER = "manager@demo.studio";
export const ARTIFACTS = join(repo, "client-ts", "test-artifacts");

export function baseUrl(): string {
  return inject("baseUrl");
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.PT_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

export interface Tab {
  context: BrowserContext;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
}

/** A fresh browser context (its own storage: another user) at 1440×860, UTC, British English. */
export async function openTab(browser: Browser): Promise<Tab> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, timezoneId: "UTC", locale: "en-GB" });
  const page = await context.newPage();
  const problems: string[] = [];
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)),
  );
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()} (${m.location().url})`);
  });
  return { context, page, problems };
}

/** Signs in through the form and waits for the live board. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(baseUrl());
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("[data-testid=board]").waitFor();
  await page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
}

/** A test file's browser, and a tab in it signed in as one user. */
export interface SignedIn {
  browser: Browser;
  tab: Tab;
}

/**
 * For one test file: launches a browser and signs a tab in as `email` before
 * its tests, and closes the browser after them. Read `.browser` and `.tab`
 * inside the tests (they are set once the hook has run).
 */
export function signedInTab(email: string): SignedIn {
  const s = {} as SignedIn;
  beforeAll(async () => {
    s.browser = await launch();
    s.tab = await openTab(s.browser);
    await signIn(s.tab.page, email);
  });
  afterAll(async () => {
    await s.browser?.close();
  });
  return s;
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Monday 00:00 UTC, `weeks` weeks after this week's. */
export function mondayUtc(weeks: number): number {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const back = (new Date(today).getUTCDay() + 6) % 7;
  return (today - back * 86_400_000 + weeks * 7 * 86_400_000) * 1000;
}

export function dayKey(us: number): string {
  return new Date(us / 1000).toISOString().slice(0, 10);
}

export function iso(us: number): string {
  return new Date(us / 1000).toISOString();
}

/** Scrolls the board so that the day of `us` is in view (the toolbar's "Go to date"). */
export async function goToDate(page: Page, us: number): Promise<void> {
  const input = page.getByLabel("Go to date");
  await input.fill(""); // the same date again would not fire a change (after a zoom, or a reload that kept it)
  await input.fill(dayKey(us));
  await page.locator(`.axis [data-day="${dayKey(us)}"]`).waitFor();
  await input.blur(); // no focus ring on the screenshots
}

/** The x (page px) where the instant `us` is drawn, from the header's day cells (week zoom). */
export async function xOf(page: Page, us: number): Promise<number> {
  const day = Math.floor(us / DAY_US) * DAY_US;
  const box = await page.locator(`.axis__minor[data-day="${dayKey(day)}"]`).boundingBox();
  if (!box) throw new Error(`day ${dayKey(day)} is not in view`);
  return box.x + (box.width * (us - day)) / DAY_US;
}

/** The vertical middle (page px) of an artist's row. */
export async function yOf(page: Page, artistName: string): Promise<number> {
  const box = await page.locator(".row-head", { hasText: artistName }).first().boundingBox();
  if (!box) throw new Error(`${artistName}'s row is not in view`);
  return box.y + box.height / 2;
}

/** Presses at `from`, moves in steps, releases at `to` (real pointer events). */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, release = true): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + (to.x - from.x) / 4, from.y + (to.y - from.y) / 4, { steps: 4 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  if (release) await page.mouse.up();
}

/**
 * Waits for a bar to say its change is durable (`data-save="saved"`: the
 * server's durable watermark passed every command this tab sent for it). The
 * bar says "sending" from the gesture's own task on, so a "saved" seen after
 * a change is that change's, not an earlier one's.
 */
export async function saved(bar: Locator): Promise<void> {
  await expect.poll(() => bar.getAttribute("data-save"), { timeout: 10_000, interval: 25 }).toBe("saved");
}

export async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

// ---- REST, to set scenes and check what the server stored -------------------------

export interface Api {
  token: string;
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** Signs in over REST as one of the demo users. */
export async function api(email: string): Promise<Api> {
  const base = baseUrl();
  const res = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return withToken(((await res.json()) as { data: { accessToken: string } }).data.accessToken);
}

/** REST with a session's access token (e.g. a signed-in tab's: `tokenOf`), no sign-in of its own. */
export function withToken(token: string): Api {
  const base = baseUrl();
  return {
    token,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (body !== undefined) headers["content-type"] = "application/json";
      const r = await fetch(`${base}/api/v1${path}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}

export interface RestBooking {
  id: string;
  artistId: string;
  title: string;
  status: string;
  notes: string | null;
  projectId: string | null;
  startTime: string;
  endTime: string;
  version: number;
}

/** The access token of the session signed in on `page` (its sessionStorage). */
export async function tokenOf(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(sessionStorage.getItem("pt.session") ?? "{}") as { accessToken?: string }).accessToken ?? "");
}

export async function artistId(a: Api, name: string): Promise<string> {
  const list = await a.call<{ data: { id: string; name: string }[] }>("GET", "/artists?limit=1000");
  const found = list.data.find((x) => x.name === name);
  if (!found) throw new Error(`no artist ${name}`);
  return found.id;
}

export async function bookingsOf(a: Api, artist: string, from: number, to: number): Promise<RestBooking[]> {
  const q = `/bookings?artist=${artist}&from=${encodeURIComponent(iso(from))}&to=${encodeURIComponent(iso(to))}&limit=1000`;
  return (await a.call<{ data: RestBooking[] }>("GET", q)).data;
}

export async function book(a: Api, artist: string, title: string, status: string, start: number, end: number): Promise<RestBooking> {
  const body = { artistId: artist, title, status, startTime: iso(start), endTime: iso(end) };
  return (await a.call<{ data: RestBooking }>("POST", "/bookings", body)).data;
}

export const us = (rfc3339: string): number => Date.parse(rfc3339) * 1000;
