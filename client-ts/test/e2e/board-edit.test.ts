// Editing on the board (issue 15): a drag on empty space asks the new
// booking's status and title (a hold, with the studio's default lapse time;
// Escape drops it), the drag tip and the panel say working time ("4 h
// working"), a single click opens a booking (focus stays on the bar), a hold's
// lapse time is edited in the panel, and moving a confirmed booking asks
// first: "Keep it" leaves it, "Move" moves it. Ben Okafor works Monday to
// Thursday (the demo): his Friday is shaded in his row.

import { expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, bookingsOf, drag, goToDate, mondayUtc, saved, shot, signedInTab, us, xOf, yOf } from "./helpers.js";

const file = signedInTab(OWNER);

test("a hold placed by dragging: status chosen in the dialog, the studio's default lapse time; Escape drops a draft", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const ben = await artistId(owner, "Ben Okafor");
  const tue = mondayUtc(44) + DAY_US;
  await goToDate(page, tue);
  const benY = await yOf(page, "Ben Okafor");

  // Escape: nothing is created.
  await drag(page, { x: await xOf(page, tue + 10 * HOUR_US), y: benY }, { x: await xOf(page, tue + 14 * HOUR_US), y: benY });
  const dialog = page.getByRole("dialog", { name: "New booking" });
  await dialog.waitFor();
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  // Again, with the tip saying working time while dragging.
  await drag(page, { x: await xOf(page, tue + 10 * HOUR_US), y: benY }, { x: await xOf(page, tue + 14 * HOUR_US), y: benY }, false);
  await expect.poll(() => page.locator("[data-testid=drag-working]").innerText()).toContain("4 h working");
  await page.mouse.up();
  await dialog.waitFor();
  expect(await dialog.innerText()).toContain("4 h working");
  await dialog.getByLabel("Hold", { exact: true }).check();
  await dialog.getByLabel("Hold lapses").waitFor(); // a hold's lapse time, editable
  await dialog.getByLabel("Title").fill("E2E: dragged hold");
  await shot(page, "70-create-dialog-hold");
  const sentAt = Date.now() * 1000;
  await page.keyboard.press("Enter");
  const bar = page.locator('.bar[aria-label*="E2E: dragged hold"]');
  await bar.waitFor();
  expect(await bar.getAttribute("data-status")).toBe("hold");
  await saved(bar);

  const stored = (await bookingsOf(owner, ben, tue, tue + DAY_US)).filter((b) => b.title === "E2E: dragged hold");
  expect(stored).toHaveLength(1);
  const hold = stored[0]! as typeof stored[0] & { expiresAt: string };
  expect(hold.status).toBe("hold");
  expect(us(hold.startTime)).toBe(tue + 10 * HOUR_US);
  expect(us(hold.endTime)).toBe(tue + 14 * HOUR_US);
  const studio = (await owner.call<{ data: { defaultHoldMinutes: number } }>("GET", "/studio")).data;
  const lapse = us(hold.expiresAt) - sentAt;
  expect(Math.abs(lapse - studio.defaultHoldMinutes * 60_000_000)).toBeLessThan(60_000_000);

  // The next drag starts with the status chosen last.
  await drag(page, { x: await xOf(page, tue + DAY_US + 10 * HOUR_US), y: benY }, { x: await xOf(page, tue + DAY_US + 12 * HOUR_US), y: benY });
  await dialog.waitFor();
  expect(await dialog.getByLabel("Hold", { exact: true }).isChecked()).toBe(true);
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });

  // Ben does not work Fridays: his Friday is shaded in his row.
  const friday = tue + 3 * DAY_US;
  const offs = await page.locator(".row", { has: page.locator(`[data-artist-row="${ben}"]`) }).locator("[data-testid=artist-off]").evaluateAll((els) => els.map((e) => e.getBoundingClientRect()));
  const fx = await xOf(page, friday + 12 * HOUR_US);
  expect(offs.some((r) => r.left <= fx && r.right >= fx)).toBe(true);
  expect(file.tab.problems).toEqual([]);
});

test("a single click opens a booking in the panel, the focus stays on the bar; the panel says working time and edits a hold's lapse time", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const ben = await artistId(owner, "Ben Okafor");
  const wed = mondayUtc(44) + 2 * DAY_US;
  const created = await book(owner, ben, "E2E: click me", "hold", wed + 9 * HOUR_US, wed + 17 * HOUR_US);
  await goToDate(page, wed);
  const bar = page.locator(`.bar[data-id="${created.id}"]`);
  await bar.click();
  const panel = page.locator("[data-testid=panel]");
  await panel.waitFor();
  expect(await panel.getByLabel("Title").inputValue()).toBe("E2E: click me");
  expect(await bar.evaluate((el) => el === document.activeElement)).toBe(true);
  // Ben works 08:00–18:00 London: 8 of his 10 hours that day, summer or winter (not "0.3 d").
  expect(await panel.locator("[data-testid=panel-duration]").innerText()).toBe("8 h working");
  const lapses = panel.getByLabel("Hold lapses");
  const newLapse = mondayUtc(1) + 2 * DAY_US + 12 * HOUR_US; // next week's Wednesday, 12:00 (local = UTC in the tests)
  await lapses.fill(new Date(newLapse / 1000).toISOString().slice(0, 16));
  await panel.getByRole("button", { name: "Save" }).click();
  await saved(bar);
  const stored = (await owner.call<{ data: { expiresAt: string } }>("GET", `/bookings/${created.id}`)).data;
  expect(us(stored.expiresAt)).toBe(newLapse);
  await expect.poll(() => panel.innerText()).toMatch(/hold lapses .*12:00/);
  await panel.getByRole("button", { name: "Close panel" }).click();
  expect(file.tab.problems).toEqual([]);
});

test("moving a confirmed booking asks first: Keep it leaves it, Move moves it", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const ben = await artistId(owner, "Ben Okafor");
  const mon = mondayUtc(46);
  const created = await book(owner, ben, "E2E: confirmed move", "confirmed", mon + 9 * HOUR_US, mon + 15 * HOUR_US);
  await goToDate(page, mon);
  const bar = page.locator(`.bar[data-id="${created.id}"]`);
  await bar.waitFor();
  const dayW = (await xOf(page, mon + DAY_US)) - (await xOf(page, mon));
  const dragOneDay = async () => {
    const box = (await bar.boundingBox())!;
    await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW, y: box.y + box.height / 2 });
  };
  const confirm = page.locator("[data-testid=confirm]");

  await dragOneDay();
  await confirm.waitFor();
  expect(await confirm.innerText()).toContain("E2E: confirmed move");
  await shot(page, "71-confirm-move-confirmed");
  await confirm.getByRole("button", { name: "Keep it" }).click();
  await confirm.waitFor({ state: "detached" });
  expect(Number(await bar.getAttribute("data-start"))).toBe(mon + 9 * HOUR_US);
  const kept = (await owner.call<{ data: { version: number; startTime: string } }>("GET", `/bookings/${created.id}`)).data;
  expect(kept.version).toBe(1);

  await dragOneDay();
  await confirm.waitFor();
  await confirm.getByRole("button", { name: "Move" }).click();
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(mon + DAY_US + 9 * HOUR_US));
  await saved(bar);
  const moved = (await owner.call<{ data: { version: number; startTime: string } }>("GET", `/bookings/${created.id}`)).data;
  expect(us(moved.startTime)).toBe(mon + DAY_US + 9 * HOUR_US);
  expect(moved.version).toBe(2);
  expect(file.tab.problems).toEqual([]);
});
