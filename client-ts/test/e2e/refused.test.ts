// A drag onto a confirmed booking: the ghost says "busy" while dragging (the
// local view), the server refuses the move, and the bar snaps back with the
// server's reason, the booking in the way and the nearest free windows.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, bookingsOf, drag, goToDate, launch, mondayUtc, openTab, saved, shot, signIn, us, xOf, type Tab } from "./helpers.js";

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("a move onto a confirmed booking is refused and snaps back with the reason", async () => {
  const { page } = tab;
  const monday = mondayUtc(11);
  const tue = monday + DAY_US;
  const thu = monday + 3 * DAY_US;
  const owner = await api(OWNER);
  // Kemi Adeyemi works 09:00–18:00 in Lagos (no summer time): 08:00–17:00 UTC all year.
  const kemi = await artistId(owner, "Kemi Adeyemi");
  await book(owner, kemi, "E2E: locked edit", "confirmed", tue + 9 * HOUR_US, tue + 17 * HOUR_US);
  const movable = await book(owner, kemi, "E2E: movable comp", "pencil", thu + 9 * HOUR_US, thu + 17 * HOUR_US);

  await signIn(page, OWNER);
  await goToDate(page, monday);
  const bar = page.locator(`.bar[data-id="${movable.id}"]`);
  await bar.waitFor();
  const box = (await bar.boundingBox())!;
  const twoDays = (await xOf(page, thu)) - (await xOf(page, tue));
  const from = { x: box.x + box.width / 2, y: box.y + box.height / 2 };

  // While dragging onto Tuesday, the target shows busy.
  await drag(page, from, { x: from.x - twoDays, y: from.y }, false);
  await expect.poll(() => page.locator("[data-testid=ghost]").getAttribute("data-free")).toBe("false");
  await expect.poll(() => page.locator("[data-testid=drag-tip]").innerText()).toContain("E2E: locked edit");
  await shot(page, "11-drag-onto-confirmed");
  await page.mouse.up();

  // Refused: the reason, what is in the way, where it would fit.
  const notice = page.locator("[data-testid=notice]", { hasText: "Could not move the booking" });
  await notice.waitFor();
  const text = await notice.innerText();
  expect(text).toMatch(/the slot is taken/i);
  expect(text).toContain("E2E: locked edit");
  expect(text).toContain("Free nearby");
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(thu + 9 * HOUR_US)); // snapped back
  await shot(page, "12-refused-snapped-back");
  const stored = (await bookingsOf(owner, kemi, monday, monday + 7 * DAY_US)).find((b) => b.id === movable.id)!;
  expect(us(stored.startTime)).toBe(thu + 9 * HOUR_US);
  expect(stored.version).toBe(1);

  // One of the suggested windows applies the move there: one of Kemi's whole
  // working days (others span a night, so a pencil there would be refused as
  // outside working hours).
  await notice.getByRole("button", { name: /08:00 – 16:00$/ }).first().click();
  await saved(bar);
  const after = (await bookingsOf(owner, kemi, monday - 100 * DAY_US, monday + 100 * DAY_US)).find((b) => b.id === movable.id)!;
  expect(after.version).toBe(2);
  expect(us(after.endTime) - us(after.startTime)).toBe(8 * HOUR_US);

  expect(tab.problems).toEqual([]);
});
