// A freelancer on the board (issue 15): a booking offered to their own artist
// opens read-only with Accept and Decline — no fields, no Save, no Cancel
// booking, no Undo; a drag neither moves a bar nor creates one. Accept
// confirms it (the bar, and REST); Decline cancels another.

import { expect, test } from "vitest";
import { DAY_US, HOUR_US, OWNER, api, artistId, book, drag, goToDate, mondayUtc, shot, signedInTab, xOf, yOf } from "./helpers.js";
import { FREELANCER } from "./project-helpers.js";

const file = signedInTab(FREELANCER);

test("the freelancer sees Accept and Decline and no edit controls; accepting confirms, declining cancels", async () => {
  const { page } = file.tab;
  const owner = await api(OWNER);
  const ada = await artistId(owner, "Ada Moreau");
  // 08:00–16:00 UTC: inside Ada's 09:00–18:00 in Paris, summer or winter.
  const tue = mondayUtc(36) + DAY_US;
  const offered = await book(owner, ada, "E2E: offered pencil", "pencil", tue + 8 * HOUR_US, tue + 16 * HOUR_US);
  const other = await book(owner, ada, "E2E: offered hold", "hold", tue + DAY_US + 8 * HOUR_US, tue + DAY_US + 16 * HOUR_US);
  await page.reload();
  await page.locator("[data-testid=board]").waitFor();
  await goToDate(page, tue);
  const bar = page.locator(`.bar[data-id="${offered.id}"]`);
  await bar.waitFor();

  // A drag on the bar does not move it; one on empty space creates nothing.
  const box = (await bar.boundingBox())!;
  const dayW = (await xOf(page, tue + DAY_US)) - (await xOf(page, tue));
  await drag(page, { x: box.x + box.width / 2, y: box.y + box.height / 2 }, { x: box.x + box.width / 2 + dayW * 2, y: box.y + box.height / 2 }, false);
  expect(await page.locator("[data-testid=ghost]").count()).toBe(0);
  await page.mouse.up();
  expect(Number(await bar.getAttribute("data-start"))).toBe(tue + 8 * HOUR_US);
  const y = await yOf(page, "Ada Moreau");
  await drag(page, { x: await xOf(page, tue + 3 * DAY_US + 9 * HOUR_US), y }, { x: await xOf(page, tue + 3 * DAY_US + 12 * HOUR_US), y });
  expect(await page.getByRole("dialog", { name: "New booking" }).count()).toBe(0);

  // A click opens it: read-only, with Accept and Decline.
  await bar.click();
  const panel = page.locator("[data-testid=panel]");
  await panel.getByRole("button", { name: "Accept" }).waitFor();
  expect(await panel.getByRole("button", { name: "Decline" }).count()).toBe(1);
  expect(await panel.locator("input, select, textarea").count()).toBe(0);
  expect(await panel.getByRole("button", { name: /Save|Cancel booking/ }).count()).toBe(0);
  expect(await page.getByRole("button", { name: "Undo", exact: true }).count()).toBe(0);
  expect(await panel.innerText()).toMatch(/Working time\s+8 h working/);
  await shot(page, "73-freelancer-offered");

  await panel.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => bar.getAttribute("data-status")).toBe("confirmed");
  await expect.poll(async () => (await owner.call<{ data: { status: string } }>("GET", `/bookings/${offered.id}`)).data.status).toBe("confirmed");
  // Confirmed: nothing left to answer.
  await expect.poll(() => panel.getByRole("button", { name: "Accept" }).count()).toBe(0);

  // Decline the hold: it goes (cancelled on the server).
  const holdBar = page.locator(`.bar[data-id="${other.id}"]`);
  await holdBar.click();
  await panel.getByRole("button", { name: "Decline" }).click();
  await holdBar.waitFor({ state: "detached" });
  await expect.poll(async () => (await owner.call<{ data: { status: string } }>("GET", `/bookings/${other.id}`)).data.status).toBe("cancelled");
  expect(file.tab.problems).toEqual([]);
});
