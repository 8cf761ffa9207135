// The hold queue on the board, in two browsers: the owner opens the 2nd hold
// on a slot and challenges the 1st; the manager's board marks the 1st hold
// challenged without a reload, and its panel counts down the holder's time
// to confirm or release. The freelancer offered a challenged hold sees the
// same countdown in their read-only panel, with Accept to answer it.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, book, goToDate, launch, mondayUtc, openTab, shot, signIn, type Tab } from "./helpers.js";
import { FREELANCER } from "./project-helpers.js";

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

test("a challenge on the 1st hold shows live in a second browser with its countdown", async () => {
  const monday = mondayUtc(12);
  const wed = monday + 2 * DAY_US;
  const owner = await api(OWNER);
  const artist = await artistId(owner, "Chiara Rossi");
  const first = await book(owner, artist, "E2E: first call", "hold", wed + 9 * HOUR_US, wed + 17 * HOUR_US);
  const second = await book(owner, artist, "E2E: second call", "hold", wed + 10 * HOUR_US, wed + 16 * HOUR_US);

  await signIn(a.page, OWNER);
  await signIn(b.page, MANAGER);
  for (const t of [a, b]) await goToDate(t.page, monday);
  const firstOnB = b.page.locator(`.bar[data-id="${first.id}"]`);
  await firstOnB.waitFor();
  expect(await firstOnB.getAttribute("data-challenged")).toBe("false");

  // The owner opens the 2nd hold and challenges the 1st.
  const secondOnA = a.page.locator(`.bar[data-id="${second.id}"]`);
  await secondOnA.click();
  await a.page.keyboard.press("Enter");
  const queue = a.page.locator("[data-testid=panel] [data-testid=hold-queue]");
  await queue.getByText("2nd hold on this slot").waitFor();
  await queue.locator("[data-testid=challenge-first]").click();

  // The manager sees it without reloading: the bar is marked and says so.
  await expect.poll(() => firstOnB.getAttribute("data-challenged"), { timeout: 3_000 }).toBe("true");
  expect(await firstOnB.getAttribute("aria-label")).toContain("challenged");
  await firstOnB.click();
  await b.page.keyboard.press("Enter");
  const countdown = b.page.locator("[data-testid=panel] [data-testid=challenge-countdown]");
  await countdown.waitFor();
  const text = (await countdown.textContent()) ?? "";
  expect(text).toContain("E2E: second call");
  // The studio's window (24 hours unless its settings say otherwise), counting down.
  const hours = (await owner.call<{ data: { challengeHours: number } }>("GET", "/studio")).data.challengeHours;
  expect(text).toMatch(new RegExp(`(${hours - 1}|${hours}) h \\d+ min left`));
  await shot(b.page, "hold-queue-challenged");

  // On the owner's side the button is now spent: the 1st hold is already challenged.
  await expect.poll(() => queue.locator("[data-testid=challenge-first]").isDisabled(), { timeout: 3_000 }).toBe(true);

  // The stored state agrees.
  const stored = await owner.call<{ data: { challengedBy?: string; holdRank?: number } }>("GET", `/bookings/${first.id}`);
  expect(stored.data.challengedBy).toBe(second.id);
  expect(stored.data.holdRank).toBe(1);

  expect(a.problems).toEqual([]);
  expect(b.problems).toEqual([]);
});

test("the freelancer offered a challenged hold sees the countdown and answers it by accepting", async () => {
  const c = await openTab(browser);
  const thu = mondayUtc(12) + 3 * DAY_US;
  const owner = await api(OWNER);
  const ada = await artistId(owner, "Ada Moreau"); // the demo freelancer's own artist
  const first = await book(owner, ada, "E2E: offered first", "hold", thu + 9 * HOUR_US, thu + 17 * HOUR_US);
  const second = await book(owner, ada, "E2E: offered second", "hold", thu + 9 * HOUR_US, thu + 12 * HOUR_US);
  await owner.call("POST", `/bookings/${first.id}/challenge`, { by: second.id });

  await signIn(c.page, FREELANCER);
  await goToDate(c.page, mondayUtc(12));
  const bar = c.page.locator(`.bar[data-id="${first.id}"]`);
  await bar.waitFor();
  expect(await bar.getAttribute("data-challenged")).toBe("true");
  await bar.click();
  await c.page.keyboard.press("Enter");
  const panel = c.page.locator("[data-testid=panel]");
  await panel.locator("[data-testid=challenge-countdown]").waitFor();
  expect(await panel.locator("[data-testid=challenge-first]").count()).toBe(0);
  await panel.getByRole("button", { name: "Accept" }).click();
  await expect.poll(() => bar.getAttribute("data-status"), { timeout: 3_000 }).toBe("confirmed");
  await expect.poll(() => bar.getAttribute("data-challenged"), { timeout: 3_000 }).toBe("false");
  const stored = await owner.call<{ data: { status: string; challengedBy?: string } }>("GET", `/bookings/${first.id}`);
  expect([stored.data.status, stored.data.challengedBy]).toEqual(["confirmed", undefined]);
  expect(c.problems).toEqual([]);
});
