// One scheduler, start to finish: sign in, book by dragging on empty space,
// move the booking to the next day and the next artist, stretch it, confirm
// it in the side panel; after a reload it is all still there (and in the
// server's REST view). Screenshots of the board at each zoom.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  DAY_US,
  HOUR_US,
  OWNER,
  api,
  artistId,
  baseUrl,
  bookingsOf,
  drag,
  goToDate,
  launch,
  mondayUtc,
  openTab,
  saved,
  shot,
  signIn,
  us,
  waitFor,
  xOf,
  yOf,
  type Tab,
} from "./helpers.js";

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("create by dragging, move, resize, change status; still there after a reload", async () => {
  const { page } = tab;
  await page.goto(baseUrl());
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await shot(page, "01-sign-in");
  await signIn(page, OWNER);
  expect(await page.locator(".bar").count()).toBeGreaterThan(10); // the demo studio
  await page.locator("[data-testid=today-marker]").waitFor();
  await shot(page, "02-board-week");

  // Seven weeks ahead: clear of the demo's bookings.
  const monday = mondayUtc(7);
  const tue = monday + DAY_US;
  await goToDate(page, monday);

  // Drag on Ada's empty row from Tuesday ~09:36 (snaps to 10:00) to Wednesday 18:00.
  const adaY = await yOf(page, "Ada Moreau");
  await drag(page, { x: await xOf(page, tue + 9.6 * HOUR_US), y: adaY }, { x: await xOf(page, tue + DAY_US + 18 * HOUR_US), y: adaY }, false);
  await expect.poll(() => page.locator("[data-testid=ghost]").getAttribute("data-free")).toBe("true");
  await shot(page, "03-drag-create");
  await page.mouse.up();

  // The panel opens on the new booking: name it.
  const panel = page.locator("[data-testid=panel]");
  await panel.waitFor();
  await panel.getByLabel("Title").fill("E2E: comp shot 100");
  await panel.getByRole("button", { name: "Save" }).click();
  const bar = page.locator('.bar[aria-label*="E2E: comp shot 100"]');
  await bar.waitFor();
  await saved(bar);
  await shot(page, "04-created-panel");

  const owner = await api(OWNER);
  const ada = await artistId(owner, "Ada Moreau");
  const ben = await artistId(owner, "Ben Okafor");
  const find = async (artist: string) =>
    (await bookingsOf(owner, artist, monday, monday + 7 * DAY_US)).find((b) => b.title === "E2E: comp shot 100");
  const created = await find(ada);
  expect(created).toBeDefined();
  expect(us(created!.startTime)).toBe(tue + 10 * HOUR_US);
  expect(us(created!.endTime)).toBe(tue + DAY_US + 18 * HOUR_US);
  expect(created!.status).toBe("pencil");
  const id = created!.id;

  // Move: one day later and one row down (Ben Okafor).
  await page.keyboard.press("Escape");
  let box = (await bar.boundingBox())!;
  const dayW = (await xOf(page, tue + DAY_US)) - (await xOf(page, tue));
  const benY = await yOf(page, "Ben Okafor");
  await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW, y: benY });
  await expect.poll(() => bar.getAttribute("data-artist")).toBe(ben);
  await waitFor("the move to be stored", async () => {
    const b = await find(ben);
    return b !== undefined && us(b.startTime) === tue + DAY_US + 10 * HOUR_US && us(b.endTime) === tue + 2 * DAY_US + 18 * HOUR_US;
  });

  // Resize: drag the end edge half a day later (Friday 06:00).
  box = (await bar.boundingBox())!;
  await drag(page, { x: box.x + box.width - 2, y: box.y + box.height / 2 }, { x: box.x + box.width - 2 + dayW / 2, y: box.y + box.height / 2 });
  await waitFor("the resize to be stored", async () => us((await find(ben))?.endTime ?? "") === tue + 3 * DAY_US + 6 * HOUR_US);
  expect(us((await find(ben))!.startTime)).toBe(tue + DAY_US + 10 * HOUR_US);

  // Status: open the panel from the keyboard and confirm it.
  await bar.click();
  await page.keyboard.press("Enter");
  await panel.getByLabel("Status").selectOption("confirmed");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => bar.getAttribute("data-status")).toBe("confirmed");
  await waitFor("the confirmation to be stored", async () => (await find(ben))?.status === "confirmed");
  await saved(bar);
  await shot(page, "05-moved-resized-confirmed");

  // Reload: the session is kept for this tab, the booking is where we left it.
  await page.reload();
  await page.locator("[data-testid=board]").waitFor();
  await goToDate(page, monday);
  const after = page.locator(`.bar[data-id="${id}"]`);
  await after.waitFor();
  expect(await after.getAttribute("data-artist")).toBe(ben);
  expect(await after.getAttribute("data-status")).toBe("confirmed");
  expect(Number(await after.getAttribute("data-start"))).toBe(tue + DAY_US + 10 * HOUR_US);
  expect(Number(await after.getAttribute("data-end"))).toBe(tue + 3 * DAY_US + 6 * HOUR_US);
  expect(await after.getAttribute("aria-label")).toMatch(/^Confirmed E2E: comp shot 100 No project, Ben Okafor, /);

  // Keyboard: Shift+→ moves it a day later (week zoom), Delete cancels it.
  await after.click();
  await page.keyboard.press("Shift+ArrowRight");
  await waitFor("the keyboard move to be stored", async () => us((await find(ben))?.startTime ?? "") === tue + 2 * DAY_US + 10 * HOUR_US);
  await expect.poll(() => after.evaluate((el) => el === document.activeElement)).toBe(true); // focus stays on it
  await page.keyboard.press("Delete");
  await after.waitFor({ state: "detached" });
  await waitFor("the cancellation to be stored", async () => (await find(ben))?.status === "cancelled");

  // The other zooms, for the record.
  await page.getByRole("button", { name: "Month", exact: true }).click();
  await shot(page, "06-board-month");
  await page.getByRole("button", { name: "Day", exact: true }).click();
  await goToDate(page, tue + DAY_US).catch(() => undefined);
  await shot(page, "07-board-day");
  await page.getByRole("button", { name: "Week", exact: true }).click();
  await page.getByLabel("Group").selectOption("skill");
  await shot(page, "08-grouped-by-skill");

  expect(tab.problems).toEqual([]);
});
