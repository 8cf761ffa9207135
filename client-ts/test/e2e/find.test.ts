// "Find someone" on the board (a manager): skills with a least level and a
// range of days; the ranked results from `GET /artists/search` (matched and
// missing skills, free days, free windows). Dragging a result onto the board
// places a hold for that artist where it is dropped; dragging one of its free
// windows places a hold over that window. Both are checked over REST.

import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, bookingsOf, dayKey, goToDate, mondayUtc, saved, shot, signedInTab, us, xOf, yOf } from "./helpers.js";

const file = signedInTab(MANAGER);

/** Drags `source` (HTML drag and drop) onto the board at page point `to`. */
async function dropOnBoard(page: Page, source: ReturnType<Page["locator"]>, to: { x: number; y: number }): Promise<void> {
  const board = page.locator("[data-testid=board]");
  const box = (await board.boundingBox())!;
  await source.dragTo(board, { targetPosition: { x: to.x - box.x, y: to.y - box.y } });
}

test("find by skills and level, then drag a result and a free window onto the board: holds for that artist", async () => {
  const { page, problems } = file.tab;
  const owner = await api(OWNER);
  const grace = await artistId(owner, "Grace Kim");
  // Grace is a senior compositor; Ada (the other compositor) keeps the default level 1.
  await owner.call("PATCH", `/artist-profiles/${grace}`, { skills: [{ name: "compositing", level: 4 }, { name: "nuke", level: 3 }] });
  // A week far from the demo's bookings and the other tests'.
  const monday = mondayUtc(15);
  const tue = monday + DAY_US;
  await goToDate(page, monday);

  await page.getByRole("button", { name: "Find someone" }).click();
  const panel = page.locator("[data-testid=find-panel]");
  await panel.waitFor();
  await panel.getByLabel("Add a skill").selectOption("compositing");
  await panel.getByLabel("Least level for compositing").selectOption("3");
  await panel.getByLabel("Add a skill").selectOption("nuke");
  await panel.getByLabel("From").fill(dayKey(monday));
  await panel.getByLabel("To").fill(dayKey(monday + 4 * DAY_US));
  await panel.getByRole("button", { name: "Search" }).click();

  // Ranked: Grace (both skills, compositing at 4) before Ada (nuke only: her compositing is below 3).
  const results = panel.locator("[data-testid=find-result]");
  await results.first().waitFor();
  const first = results.first();
  expect(await first.getAttribute("data-artist")).toBe(grace);
  expect(await first.innerText()).toContain("compositing 4");
  const days = /(\d+) of (\d+) working days free/.exec(await first.innerText());
  expect(days?.[1]).toBe(days?.[2]); // nothing booked that week: every working day free
  expect(Number(days?.[2])).toBeGreaterThanOrEqual(4);
  const ada = results.filter({ hasText: "Ada Moreau" });
  expect(await ada.innerText()).toContain("no compositing");
  await shot(page, "80-find-someone-results");

  // The whole result, dropped on Tuesday 10:00 (over any row): a hold for Grace from there, 8 hours.
  const at = { x: await xOf(page, tue + 10 * HOUR_US + 10 * 60_000_000), y: await yOf(page, "Ada Moreau") };
  await dropOnBoard(page, first.locator(".find__name"), at);
  const hold = (start: number) => page.locator(`.bar[data-artist="${grace}"][data-status="hold"][data-start="${start}"]`);
  const dropped = hold(tue + 10 * HOUR_US);
  await saved(dropped);
  expect(Number(await dropped.getAttribute("data-end"))).toBe(tue + 18 * HOUR_US);
  expect(await dropped.getAttribute("aria-label")).toContain("Hold · compositing, nuke");
  await shot(page, "81-find-someone-dropped-hold");

  // One of its free windows: a hold over exactly that window.
  const window = first.locator(".find__window").first();
  const wStart = Number(await window.getAttribute("data-start"));
  const wEnd = Number(await window.getAttribute("data-end"));
  await dropOnBoard(page, window, { x: await xOf(page, monday + 12 * HOUR_US), y: at.y });
  const overWindow = hold(wStart);
  await saved(overWindow);
  expect(Number(await overWindow.getAttribute("data-end"))).toBe(wEnd);

  // The server has both, as holds of Grace's.
  const stored = (await bookingsOf(owner, grace, monday - DAY_US, monday + 14 * DAY_US)).filter((b) => b.status === "hold");
  expect(stored.map((b) => [us(b.startTime), us(b.endTime)])).toEqual(
    expect.arrayContaining([
      [tue + 10 * HOUR_US, tue + 18 * HOUR_US],
      [wStart, wEnd],
    ]),
  );
  expect(problems).toEqual([]);
});
