// Undo and redo on the board (issue 15), by compensating commands the server
// stores: a move is undone with Ctrl+Z (moved back, a new version) and redone
// with Ctrl+Shift+Z; a create (by drag and the dialog) is undone (cancelled)
// and redone with Ctrl+Y (created again, a new id); the toolbar's Undo button
// names what it undoes. An edit whose booking changed since is not undone: a
// notice says why.

import { expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, bookingsOf, drag, goToDate, mondayUtc, saved, shot, signedInTab, us, waitFor, xOf, yOf } from "./helpers.js";

const file = signedInTab(OWNER);

interface Stored {
  id: string;
  status: string;
  version: number;
  startTime: string;
}

test("undo and redo a move (Ctrl+Z, Ctrl+Shift+Z and the toolbar), each stored by the server", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const chiara = await artistId(owner, "Chiara Rossi");
  const mon = mondayUtc(34);
  const created = await book(owner, chiara, "E2E: undo move", "pencil", mon + 9 * HOUR_US, mon + 15 * HOUR_US);
  const get = async () => (await owner.call<{ data: Stored }>("GET", `/bookings/${created.id}`)).data;
  await goToDate(page, mon);
  const bar = page.locator(`.bar[data-id="${created.id}"]`);
  await bar.waitFor();
  const dayW = (await xOf(page, mon + DAY_US)) - (await xOf(page, mon));
  const box = (await bar.boundingBox())!;
  await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW, y: box.y + box.height / 2 });
  await saved(bar);
  expect(us((await get()).startTime)).toBe(mon + DAY_US + 9 * HOUR_US);
  const undoButton = page.getByRole("button", { name: "Undo", exact: true });
  expect(await undoButton.getAttribute("title")).toMatch(/^Undo move the booking/);

  await page.keyboard.press("Control+z");
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(mon + 9 * HOUR_US));
  await saved(bar);
  let now = await get();
  expect(us(now.startTime)).toBe(mon + 9 * HOUR_US);
  expect(now.version).toBe(3);

  await page.keyboard.press("Control+Shift+Z");
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(mon + DAY_US + 9 * HOUR_US));
  await saved(bar);
  now = await get();
  expect(us(now.startTime)).toBe(mon + DAY_US + 9 * HOUR_US);
  expect(now.version).toBe(4);

  // The toolbar's button does the same.
  await undoButton.click();
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(mon + 9 * HOUR_US));
  await saved(bar);
  expect((await get()).version).toBe(5);

  // Redo after someone else moved it: refused with a reason, nothing sent.
  await owner.call("PATCH", `/bookings/${created.id}`, { version: 5, startTime: new Date((mon + 10 * HOUR_US) / 1000).toISOString() });
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(mon + 10 * HOUR_US));
  await page.keyboard.press("Control+y");
  await page.locator("[data-testid=notice]", { hasText: "someone changed it since" }).waitFor();
  await shot(page, "72-undo-stale");
  expect((await get()).version).toBe(6);
  expect(file.tab.problems).toEqual([]);
});

test("undo a create (cancelled) and redo it (created again)", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const chiara = await artistId(owner, "Chiara Rossi");
  const wed = mondayUtc(34) + 2 * DAY_US;
  await goToDate(page, wed);
  const y = await yOf(page, "Chiara Rossi");
  await drag(page, { x: await xOf(page, wed + 9 * HOUR_US), y }, { x: await xOf(page, wed + 13 * HOUR_US), y });
  const dialog = page.getByRole("dialog", { name: "New booking" });
  await dialog.waitFor();
  await dialog.getByLabel("Pencil").check();
  await dialog.getByLabel("Title").fill("E2E: undo create");
  await page.keyboard.press("Enter");
  const bar = page.locator('.bar[aria-label*="E2E: undo create"]');
  await bar.waitFor();
  await saved(bar);
  const mine = async () => (await bookingsOf(owner, chiara, wed, wed + DAY_US)).filter((b) => b.title === "E2E: undo create");
  const first = (await mine())[0]!;
  expect(first.status).toBe("pencil");

  await page.locator("[data-testid=panel]").getByRole("button", { name: "Close panel" }).click();
  await page.keyboard.press("Control+z");
  await bar.waitFor({ state: "detached" });
  await waitFor("the create to be undone (cancelled)", async () => (await mine()).find((b) => b.id === first.id)?.status === "cancelled");

  await page.keyboard.press("Control+y");
  await bar.waitFor();
  await saved(bar);
  const again = (await mine()).filter((b) => b.status === "pencil");
  expect(again).toHaveLength(1);
  expect(again[0]!.id).not.toBe(first.id);
  expect(us(again[0]!.startTime)).toBe(wed + 9 * HOUR_US);
  expect(file.tab.problems).toEqual([]);
});
