// Two schedulers (two browser contexts, two demo users: the owner and the
// manager, each signed in with their own password) on one studio: one
// moves a booking by dragging, the other sees it move within a second, sees
// who else is here, and sees which booking they have open.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, book, drag, goToDate, launch, mondayUtc, openTab, shot, signIn, xOf, type Tab } from "./helpers.js";

let browser: Browser;
let a: Tab;
let b: Tab;

beforeAll(async () => {
  browser = await launch();
  a = await openTab(browser);
  b = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("one user moves a booking, the other sees it move within a second and sees their presence", async () => {
  const monday = mondayUtc(9);
  const tue = monday + DAY_US;
  const owner = await api(OWNER);
  const chiara = await artistId(owner, "Chiara Rossi");
  const shared = await book(owner, chiara, "E2E: shared shot", "pencil", tue + 9 * HOUR_US, tue + DAY_US + 17 * HOUR_US);

  await signIn(a.page, OWNER);
  await signIn(b.page, MANAGER);
  for (const t of [a, b]) await goToDate(t.page, monday);
  const barA = a.page.locator(`.bar[data-id="${shared.id}"]`);
  const barB = b.page.locator(`.bar[data-id="${shared.id}"]`);
  await barA.waitFor();
  await barB.waitFor();

  // Each sees the other in the presence list, by name.
  const nameA = (await a.page.locator(".toolbar__user").getAttribute("data-name"))!;
  const nameB = (await b.page.locator(".toolbar__user").getAttribute("data-name"))!;
  expect(nameA).not.toBe(nameB);
  await b.page.locator(`[data-testid=presence] [data-name="${nameA}"]`).waitFor({ timeout: 5_000 });
  await a.page.locator(`[data-testid=presence] [data-name="${nameB}"]`).waitFor({ timeout: 5_000 });

  // A moves it one day later.
  const box = (await barA.boundingBox())!;
  const dayW = (await xOf(a.page, tue + DAY_US)) - (await xOf(a.page, tue));
  const start = Date.now();
  await drag(a.page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW, y: box.y + box.height / 2 });
  const moved = String(tue + DAY_US + 9 * HOUR_US);
  await expect.poll(() => barA.getAttribute("data-start"), { timeout: 2_000 }).toBe(moved); // A: at once (optimistic)
  await expect.poll(() => barB.getAttribute("data-start"), { timeout: 1_000, interval: 10 }).toBe(moved); // B: live
  const seenAfterMs = Date.now() - start;
  expect(seenAfterMs).toBeLessThan(1_000 + 500); // the drag itself takes a few frames
  console.log(`the other user saw the move ${seenAfterMs} ms after the drag started`);

  // A opens it in the side panel: B sees who is editing it.
  await barA.click();
  await a.page.keyboard.press("Enter");
  await a.page.locator("[data-testid=panel]").waitFor();
  await expect.poll(() => barB.getAttribute("aria-label"), { timeout: 3_000 }).toContain(`being edited by ${nameA}`);
  await b.page.locator(`[data-testid=presence] [data-name="${nameA}"].avatar--editing`).waitFor();
  await shot(a.page, "09-two-users-a");
  await shot(b.page, "10-two-users-b-sees-a-editing");

  // B opens it too: the panel says A is editing it as well.
  await barB.click();
  await b.page.keyboard.press("Enter");
  await b.page.locator("[data-testid=panel]", { hasText: `${nameA} is editing this booking too` }).waitFor();

  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
});
