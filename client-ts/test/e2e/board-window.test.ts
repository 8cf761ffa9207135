// The board holds only the bookings of the rows and weeks on screen plus a
// margin (a `window` view, moved as it scrolls; `web/src/store/window.ts`).
// A studio with more artists than fit on screen (170 more, after the demo's
// 12): the first window leaves the far rows and weeks out; scrolled there,
// their bookings appear; an edit made over REST to a booking there, and a
// booking moved there from outside the window, appear live without a reload.
// The artists are archived afterwards (their bookings cancelled first), so
// the other files see the demo studio as it was.

import type { WebSocket as PwWebSocket } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { decodeClientFrame, type ClientFrame, type View } from "../../src/index.js";
import type { Browser } from "playwright-core";
import { DAY_US, HOUR_US, OWNER, api, goToDate, iso, launch, mondayUtc, openTab, shot, signIn, type Api, type RestBooking } from "./helpers.js";
import { patient } from "./project-helpers.js";

const EXTRA = 170;
const FAR = 165; // the artist whose bookings are far down (row 12 + 165)
const MOVER = 160; // whose booking moves into the window from outside it

let a: Api;
let browser: Browser;
const artists: string[] = [];
const bookings: RestBooking[] = [];

/** Seeding and edits over REST as the owner, paced so the board's own reads are never refused. */
function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  return patient<T>(a, method, path, body);
}

beforeAll(async () => {
  a = await api(OWNER);
  for (let i = 0; i < EXTRA; i++) {
    const name = `Zz Window ${String(i).padStart(3, "0")}`;
    artists.push((await call<{ data: { id: string } }>("POST", "/artists", { name, skills: ["roto"], timezone: "UTC" })).data.id);
  }
  browser = await launch();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const b of bookings) await call("DELETE", `/bookings/${b.id}`).catch(() => undefined);
  for (const id of artists) await call("DELETE", `/artists/${id}`).catch(() => undefined);
}, 120_000);

async function book(artist: string, title: string, start: number): Promise<RestBooking> {
  const b = (await call<{ data: RestBooking }>("POST", "/bookings", { artistId: artist, title, status: "pencil", startTime: iso(start), endTime: iso(start + 5 * HOUR_US) })).data;
  bookings.push(b);
  return b;
}

test("a window of the rows and weeks on screen: far bookings appear when scrolled to, and change live", async () => {
  // 20 weeks ahead, Tuesday 10:00–15:00 UTC: far outside the first window's weeks.
  const far = mondayUtc(20) + DAY_US + 10 * HOUR_US;
  const farBooking = await book(artists[FAR]!, "Window far booking", far);
  // 40 weeks ahead: moved later into the week shown.
  const mover = await book(artists[MOVER]!, "Window mover", mondayUtc(40) + DAY_US + 10 * HOUR_US);

  const tab = await openTab(browser);
  const { page } = tab;
  const windows: Extract<View, { kind: "window" }>[] = [];
  const tenant: ClientFrame[] = [];
  page.on("websocket", (ws: PwWebSocket) =>
    ws.on("framesent", (f) => {
      if (typeof f.payload === "string") return;
      const frame = decodeClientFrame(f.payload);
      if (frame.type !== "subscribe") return;
      if (frame.view.kind === "window") windows.push(frame.view);
      if (frame.view.kind === "tenant") tenant.push(frame);
    }),
  );
  await signIn(page, OWNER);
  await page.locator(".bar").first().waitFor();

  // The studio is watched without a snapshot (from a seq); the bookings through a window without the far rows.
  expect(tenant).toHaveLength(1);
  expect(tenant[0]).toMatchObject({ type: "subscribe", resumeFromSeq: expect.any(Number) });
  expect(windows.length).toBeGreaterThan(0);
  const first = windows[0]!;
  expect(first.artistIds).not.toContain(artists[FAR]);
  expect(first.artistIds.length).toBeLessThan(12 + EXTRA);
  expect(first.range.end).toBeLessThan(far);
  // Every row is there, though: the corner counts the demo's 12 and ours.
  await expect.poll(() => page.locator(".axis__corner").innerText()).toBe(`Artists · ${12 + EXTRA}`);

  // Scroll down to the far rows, then jump 20 weeks ahead: the far booking arrives with a new window.
  await page.evaluate(() => {
    const el = document.querySelector<HTMLElement>("[data-testid=board]")!;
    el.scrollTop = el.scrollHeight;
  });
  await page.locator(`[data-artist-row="${artists[FAR]}"]`).waitFor();
  await goToDate(page, far);
  const farBar = page.locator(`.bar[data-id="${farBooking.id}"]`);
  await farBar.waitFor({ timeout: 10_000 });
  expect(await farBar.textContent()).toContain("Window far booking");
  const last = windows[windows.length - 1]!;
  expect(last.artistIds).toContain(artists[FAR]);
  expect(last.range.start).toBeLessThanOrEqual(far);
  expect(last.range.end).toBeGreaterThan(far);
  expect(last.range.end).toBeLessThan(mondayUtc(40)); // the mover starts outside it

  // An edit over REST to a booking in the scrolled-to area: shown live.
  await call("PATCH", `/bookings/${farBooking.id}`, { version: farBooking.version, title: "Window far booking, renamed" });
  await expect.poll(() => farBar.textContent(), { timeout: 5_000 }).toContain("renamed");
  // A booking moved from outside the window into it (another artist's row, in view): appears live.
  await call("PATCH", `/bookings/${mover.id}`, { version: mover.version, artistId: artists[FAR - 1], startTime: iso(far + DAY_US), endTime: iso(far + DAY_US + 5 * HOUR_US) });
  const moverBar = page.locator(`.bar[data-id="${mover.id}"]`);
  await moverBar.waitFor({ timeout: 5_000 });
  expect(await moverBar.getAttribute("data-artist")).toBe(artists[FAR - 1]);
  await shot(page, "board-window-far");

  // Back to the top and today: the far row's bookings may leave, the demo's come back.
  await page.evaluate(() => document.querySelector<HTMLElement>("[data-testid=board]")!.scrollTo(0, 0));
  await page.getByRole("button", { name: "Today" }).click();
  await page.locator(".bar").first().waitFor();
  expect(tab.problems).toEqual([]);
});
