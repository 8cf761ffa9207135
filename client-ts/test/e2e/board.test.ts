// One scheduler, start to finish: sign in, book by dragging on empty space
// (the create dialog: pencil, Enter) (over two days and the night between:
// refused as outside working hours, then
// booked anyway as overtime from the notice), name it and give it notes and a project in the side panel, move it to the
// next day and the next artist, stretch it by its end and by its start,
// confirm it; each change is waited for until the bar says it is durable
// ("saved") and then checked over REST. After a reload it is all still there.
// From the keyboard: Shift+→ a day later, Shift+↓ to the next artist (each
// asked first: it is confirmed), Delete.
// Screenshots of the board at each zoom and grouping, on the demo's weeks.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import {
  DAY_US,
  HOUR_US,
  OWNER,
  api,
  artistId,
  baseUrl,
  dayKey,
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

/** The demo's "Feature: The Lighthouse" (made by project commands, so its id is new every run). */
let LIGHTHOUSE = "";

test("create by dragging, name it, move, resize both ends, change status, move by keyboard; all durable and still there after a reload", async () => {
  const { page } = tab;
  const projects = await (await api(OWNER)).call<{ data: { id: string; name: string }[] }>("GET", "/projects?q=Lighthouse");
  LIGHTHOUSE = projects.data.find((p) => p.name === "Feature: The Lighthouse")!.id;
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
  // The create dialog: pencil (the first default), the title left empty ("New booking"); Enter creates.
  const dialog = page.getByRole("dialog", { name: "New booking" });
  await dialog.waitFor();
  expect(await dialog.getByLabel("Pencil").isChecked()).toBe(true);
  await page.keyboard.press("Enter");

  // Over two days, nights included: outside Ada's working hours, so the
  // server refuses the pencil, saying why; "Book anyway (overtime)" re-sends it.
  const refusal = page.locator("[data-testid=notice]", { hasText: "Could not create the booking" });
  await refusal.waitFor();
  expect(await refusal.innerText()).toMatch(/Not available then: outside working hours/);
  await shot(page, "03b-drag-create-refused-overtime");
  await refusal.getByRole("button", { name: "Book anyway (overtime)" }).click();

  // The new booking is selected and its panel open; the create becomes durable.
  const panel = page.locator("[data-testid=panel]");
  await panel.waitFor();
  await saved(page.locator('.bar[aria-pressed="true"]'));

  // Name it, give it notes and a project, in the panel.
  await panel.getByLabel("Title").fill("E2E: comp shot 100");
  await panel.getByLabel("Notes").fill("Plate from the 3rd unit.\nCheck the grade.");
  await panel.getByLabel("Project").selectOption(LIGHTHOUSE);
  await panel.getByRole("button", { name: "Save" }).click();
  const bar = page.locator('.bar[aria-label*="E2E: comp shot 100"]');
  await bar.waitFor();
  await saved(bar);
  await shot(page, "04-created-panel");

  const owner = await api(OWNER);
  const ada = await artistId(owner, "Ada Moreau");
  const ben = await artistId(owner, "Ben Okafor");
  const chiara = await artistId(owner, "Chiara Rossi"); // the row below Ben's
  const find = async (artist: string) =>
    (await bookingsOf(owner, artist, monday, monday + 7 * DAY_US)).find((b) => b.title === "E2E: comp shot 100");
  const created = await find(ada);
  expect(created).toBeDefined();
  expect(us(created!.startTime)).toBe(tue + 10 * HOUR_US);
  expect(us(created!.endTime)).toBe(tue + DAY_US + 18 * HOUR_US);
  expect(created!.status).toBe("pencil");
  expect(created!.notes).toBe("Plate from the 3rd unit.\nCheck the grade.");
  expect(created!.projectId).toBe(LIGHTHOUSE);
  const id = created!.id;

  // Move: one day later and one row down (Ben Okafor).
  await page.keyboard.press("Escape");
  let box = (await bar.boundingBox())!;
  const dayW = (await xOf(page, tue + DAY_US)) - (await xOf(page, tue));
  const benY = await yOf(page, "Ben Okafor");
  await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW, y: benY });
  await expect.poll(() => bar.getAttribute("data-artist")).toBe(ben);
  await saved(bar);
  const moved = await find(ben);
  expect(us(moved!.startTime)).toBe(tue + DAY_US + 10 * HOUR_US);
  expect(us(moved!.endTime)).toBe(tue + 2 * DAY_US + 18 * HOUR_US);

  // Resize by the end edge: half a day later (Thursday 18:00 → Friday 06:00).
  box = (await bar.boundingBox())!;
  await drag(page, { x: box.x + box.width - 2, y: box.y + box.height / 2 }, { x: box.x + box.width - 2 + dayW / 2, y: box.y + box.height / 2 });
  await saved(bar);
  expect(us((await find(ben))!.endTime)).toBe(tue + 3 * DAY_US + 6 * HOUR_US);
  expect(us((await find(ben))!.startTime)).toBe(tue + DAY_US + 10 * HOUR_US);

  // Resize by the start edge: half a day earlier (Wednesday 10:00 → Tuesday 22:00).
  box = (await bar.boundingBox())!;
  await drag(page, { x: box.x + 2, y: box.y + box.height / 2 }, { x: box.x + 2 - dayW / 2, y: box.y + box.height / 2 });
  await saved(bar);
  expect(us((await find(ben))!.startTime)).toBe(tue + 22 * HOUR_US);
  expect(us((await find(ben))!.endTime)).toBe(tue + 3 * DAY_US + 6 * HOUR_US);

  // Status: open the panel from the keyboard and confirm it.
  await bar.click();
  await page.keyboard.press("Enter");
  await panel.getByLabel("Status").selectOption("confirmed");
  await panel.getByRole("button", { name: "Save" }).click();
  await expect.poll(() => bar.getAttribute("data-status")).toBe("confirmed");
  await saved(bar);
  expect((await find(ben))?.status).toBe("confirmed");
  await shot(page, "05-moved-resized-confirmed");

  // Reload: the session is kept for this tab, the booking is where we left it,
  // with its notes and project.
  await page.reload();
  await page.locator("[data-testid=board]").waitFor();
  await goToDate(page, monday);
  const after = page.locator(`.bar[data-id="${id}"]`);
  await after.waitFor();
  expect(await after.getAttribute("data-artist")).toBe(ben);
  expect(await after.getAttribute("data-status")).toBe("confirmed");
  expect(Number(await after.getAttribute("data-start"))).toBe(tue + 22 * HOUR_US);
  expect(Number(await after.getAttribute("data-end"))).toBe(tue + 3 * DAY_US + 6 * HOUR_US);
  expect(await after.getAttribute("aria-label")).toMatch(/^Confirmed E2E: comp shot 100 Feature: The Lighthouse, Ben Okafor, /);
  await after.click();
  await page.keyboard.press("Enter");
  await expect.poll(() => panel.getByLabel("Notes").inputValue()).toBe("Plate from the 3rd unit.\nCheck the grade.");
  expect(await panel.getByLabel("Project").inputValue()).toBe(LIGHTHOUSE);
  expect(await panel.getByLabel("Title").inputValue()).toBe("E2E: comp shot 100");
  await panel.getByRole("button", { name: "Close panel" }).click();

  // Keyboard: Shift+→ moves it a day later (week zoom), focus stays on it.
  await after.focus();
  await page.keyboard.press("Shift+ArrowRight");
  await page.locator("[data-testid=confirm]").getByRole("button", { name: "Move" }).click();
  await saved(after);
  expect(us((await find(ben))!.startTime)).toBe(tue + DAY_US + 22 * HOUR_US);
  await expect.poll(() => after.evaluate((el) => el === document.activeElement)).toBe(true);

  // Shift+↓ moves it to the artist below (Chiara Rossi), same times; focus follows it.
  await page.keyboard.press("Shift+ArrowDown");
  await page.locator("[data-testid=confirm]").getByRole("button", { name: "Move" }).click();
  await expect.poll(() => after.getAttribute("data-artist")).toBe(chiara);
  await saved(after);
  const down = await find(chiara);
  expect(down?.id).toBe(id);
  expect(us(down!.startTime)).toBe(tue + DAY_US + 22 * HOUR_US);
  expect(us(down!.endTime)).toBe(tue + 4 * DAY_US + 6 * HOUR_US);
  await expect.poll(() => after.evaluate((el) => el === document.activeElement)).toBe(true);

  // Delete cancels it.
  await page.keyboard.press("Delete");
  await after.waitFor({ state: "detached" });
  await waitFor("the cancellation to be stored", async () => (await find(chiara))?.status === "cancelled");

  // The other zooms and groupings, on the demo studio's current weeks (with bookings).
  const thisMonday = mondayUtc(0);
  await page.getByRole("button", { name: "Month", exact: true }).click();
  await goToDate(page, thisMonday);
  await shot(page, "06-board-month");
  await page.getByRole("button", { name: "Day", exact: true }).click();
  await goToDate(page, thisMonday + DAY_US);
  await page.locator(".bar").first().waitFor();
  await shot(page, "07-board-day");
  await page.getByRole("button", { name: "Week", exact: true }).click();
  await goToDate(page, thisMonday);
  await page.getByLabel("Group").selectOption("skill");
  await shot(page, "08-grouped-by-skill");
  const corner = page.locator(".axis__corner");
  expect(await corner.innerText()).toBe("Artists · 12");
  await page.getByLabel("Group").selectOption("project");
  await shot(page, "08b-grouped-by-project");
  expect(await corner.innerText()).toBe("Artists · 12"); // each artist once, whatever their rows

  // The studio's working week (GET /studio) decides the shading: with Saturday
  // a working day, only Sunday is shaded; at day zoom, the hours before 08:00
  // and after 20:00 are.
  await owner.call("PATCH", "/studio", { timezone: "UTC", workingWeek: { days: [1, 2, 3, 4, 5, 6], start: "08:00", end: "20:00" } });
  try {
    await page.reload();
    await page.locator("[data-testid=board]").waitFor();
    await goToDate(page, thisMonday);
    const dayCell = (at: number) => page.locator(`.axis__minor[data-day="${dayKey(at)}"]`);
    await expect.poll(() => dayCell(thisMonday + 5 * DAY_US).getAttribute("class")).not.toContain("axis__minor--off");
    expect(await dayCell(thisMonday + 6 * DAY_US).getAttribute("class")).toContain("axis__minor--off");
    expect(await dayCell(thisMonday).getAttribute("class")).not.toContain("axis__minor--off");
    await page.getByRole("button", { name: "Day", exact: true }).click();
    await goToDate(page, thisMonday + DAY_US);
    const offHours = await page.locator(".off-hours").evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().width)));
    expect(offHours).toContain(Math.round((8 / 24) * 960)); // 00:00–08:00
    expect(offHours).toContain(Math.round((4 / 24) * 960)); // 20:00–24:00
  } finally {
    await owner.call("PATCH", "/studio", { timezone: "Europe/London", workingWeek: { days: [1, 2, 3, 4, 5], start: "09:00", end: "18:00" } });
  }

  expect(tab.problems).toEqual([]);
});
