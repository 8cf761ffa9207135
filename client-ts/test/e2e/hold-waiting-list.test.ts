// The waiting list on the board: a pencil dragged over a confirmed booking is
// refused; "Queue as the next hold" places it as a hold waiting for the slot;
// when the booking in the way is cancelled (by someone else), the waiting
// hold becomes the pencil by itself, live on the board.

import { expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, bookingsOf, drag, goToDate, mondayUtc, shot, signedInTab, xOf, yOf } from "./helpers.js";

const file = signedInTab(OWNER);

test("a busy pencil waits as a hold and takes the slot when it frees", async () => {
  const { page } = file.tab;
  const tue = mondayUtc(46) + DAY_US;
  const owner = await api(OWNER);
  const ada = await artistId(owner, "Ada Moreau");
  const blocker = await book(owner, ada, "E2E: locked grade", "confirmed", tue + 12 * HOUR_US, tue + 15 * HOUR_US);

  await goToDate(page, tue);
  await page.locator(`.bar[data-id="${blocker.id}"]`).waitFor();
  const y = await yOf(page, "Ada Moreau");
  // From free time into the confirmed booking: a pencil there is refused.
  await drag(page, { x: await xOf(page, tue + 10 * HOUR_US), y }, { x: await xOf(page, tue + 13 * HOUR_US), y });
  const dialog = page.getByRole("dialog", { name: "New booking" });
  await dialog.waitFor();
  await dialog.getByLabel("Pencil", { exact: true }).check();
  await dialog.getByLabel("Title").fill("E2E: wants the slot");
  await page.keyboard.press("Enter");

  const notice = page.locator("[data-testid=notice]", { hasText: "Could not create the booking" });
  await notice.waitFor();
  await notice.locator("[data-testid=queue-if-busy]").click();
  const waiting = page.locator('.bar[aria-label*="E2E: wants the slot"]');
  await expect.poll(() => waiting.getAttribute("data-queued-for"), { timeout: 3_000 }).toBe("pencil");
  expect(await waiting.getAttribute("data-status")).toBe("hold");
  await page.locator("[data-testid=panel] [data-testid=queued-for]").waitFor();
  await shot(page, "hold-waiting-list-queued");

  // Someone cancels the booking in the way: the waiting hold becomes the pencil.
  await owner.call("DELETE", `/bookings/${blocker.id}?version=1`);
  await expect.poll(() => waiting.getAttribute("data-status"), { timeout: 5_000 }).toBe("pencil");
  expect(await waiting.getAttribute("data-queued-for")).toBe("");
  const stored = (await bookingsOf(owner, ada, tue, tue + DAY_US)).filter((b) => b.title === "E2E: wants the slot");
  expect(stored.map((b) => b.status)).toEqual(["pencil"]);

  expect(file.tab.problems).toEqual([]);
});
