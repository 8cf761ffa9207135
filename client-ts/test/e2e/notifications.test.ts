// Notifications in the browser: the bell's count and the inbox, live.
// (a) The owner books the freelancer's own artist over REST: the freelancer's
// bell counts it without a reload, in two tabs; the inbox says "New booking
// for you"; a click on it opens that booking's panel on the board (scrolled
// to its week) and marks it read — the count goes down in both tabs.
// (b) The manager's hold is 2nd behind the owner's 1st; the owner cancels
// the 1st: the manager's bell says "Your hold moved up to 1st" and the bar
// on the board shows 1st, both without a reload; opened from today's weeks,
// the notification brings the board back to the hold and opens its panel.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, book, goToDate, launch, mondayUtc, openTab, shot, signIn, type Api, type Tab } from "./helpers.js";
import { FREELANCER } from "./project-helpers.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

interface RestNotification {
  id: string;
  title: string;
  body: string;
  bookingId?: string;
  readAt: string | null;
}

/** What the bell shows: its badge's number (0 when there is none). */
async function bellCount(page: Page): Promise<number> {
  const badge = page.locator("[data-testid=bell-count]");
  return (await badge.count()) === 0 ? 0 : Number(await badge.textContent());
}

/** Every earlier test's notifications read, so that the counts here start at 0. */
async function readAll(a: Api): Promise<void> {
  await a.call("POST", "/notifications/read-all");
  const page = await a.call<{ data: { unreadCount: number } }>("GET", "/notifications?unread=true&limit=1");
  expect(page.data.unreadCount).toBe(0);
}

/** The newest notification of `a`'s user about `bookingId`, once there is one. */
async function notificationAbout(a: Api, bookingId: string): Promise<RestNotification> {
  let found: RestNotification | undefined;
  await expect
    .poll(async () => {
      const list = await a.call<{ data: { items: RestNotification[] } }>("GET", "/notifications?limit=20");
      found = list.data.items.find((n) => n.bookingId === bookingId);
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

test("a booking for the freelancer: the bell counts it live in two tabs; opening it shows the booking and reads it", async () => {
  const owner = await api(OWNER);
  const freelancer = await api(FREELANCER);
  const ada = await artistId(owner, "Ada Moreau"); // the demo freelancer's own artist
  await readAll(freelancer);
  const one: Tab = await openTab(browser);
  const two: Tab = await openTab(browser);
  await signIn(one.page, FREELANCER);
  await signIn(two.page, FREELANCER);
  for (const t of [one, two]) {
    expect(await bellCount(t.page)).toBe(0);
    expect(await t.page.locator("[data-testid=bell]").getAttribute("aria-label")).toBe("Notifications");
  }

  // 08:00–16:00 UTC: inside Ada's working hours in Paris, summer or winter; weeks ahead, so the board must scroll there.
  const tue = mondayUtc(41) + DAY_US;
  const booking = await book(owner, ada, "E2E: notified pencil", "pencil", tue + 8 * HOUR_US, tue + 16 * HOUR_US);

  // Both tabs count it, without a reload.
  for (const t of [one, two]) await expect.poll(() => bellCount(t.page), { timeout: 5_000 }).toBe(1);
  expect(await one.page.locator("[data-testid=bell]").getAttribute("aria-label")).toBe("Notifications, 1 unread");

  // The inbox: the newest on top, unread.
  await one.page.locator("[data-testid=bell]").click();
  const inbox = one.page.locator("[data-testid=inbox]");
  await inbox.waitFor();
  const item = inbox.locator("[data-testid=inbox-item]").first();
  await expect.poll(() => item.getAttribute("data-unread")).toBe("true");
  expect(await item.innerText()).toContain("New booking for you");
  expect(await item.innerText()).toContain("E2E: notified pencil");
  const stored = await notificationAbout(freelancer, booking.id);
  expect(await item.getAttribute("data-id")).toBe(stored.id);
  expect(stored.readAt).toBeNull();
  // The focus is in the inbox, on the newest notification.
  expect(await one.page.evaluate(() => document.activeElement?.closest("[data-testid=inbox-item]")?.getAttribute("data-id"))).toBe(stored.id);
  await shot(one.page, "notifications-inbox");

  // A click opens the booking on the board (scrolled to it: its bar is drawn) with its panel.
  await item.locator("button").click();
  await inbox.waitFor({ state: "detached" });
  const panel = one.page.locator("[data-testid=panel]");
  await panel.getByRole("heading", { name: "E2E: notified pencil" }).waitFor();
  const bar = one.page.locator(`.bar[data-id="${booking.id}"]`);
  await bar.waitFor();
  await expect.poll(() => bar.getAttribute("aria-pressed")).toBe("true");
  await expect.poll(() => one.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe(booking.id);
  expect(await one.page.locator(`.axis [data-day="${new Date(tue / 1000).toISOString().slice(0, 10)}"]`).count()).toBe(1);
  await shot(one.page, "notifications-opened");

  // Read: the count goes down here and, live, in the other tab; the server agrees.
  for (const t of [one, two]) await expect.poll(() => bellCount(t.page), { timeout: 5_000 }).toBe(0);
  expect(await two.page.locator("[data-testid=bell]").getAttribute("aria-label")).toBe("Notifications");
  await two.page.locator("[data-testid=bell]").click();
  const itemOnTwo = two.page.locator(`[data-testid=inbox] [data-testid=inbox-item][data-id="${stored.id}"]`);
  await expect.poll(() => itemOnTwo.getAttribute("data-unread")).toBe("false");
  expect((await notificationAbout(freelancer, booking.id)).readAt).not.toBeNull();
  // Escape closes the inbox and gives the focus back to the bell.
  await two.page.keyboard.press("Escape");
  await two.page.locator("[data-testid=inbox]").waitFor({ state: "detached" });
  expect(await two.page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe("bell");

  expect(one.problems).toEqual([]);
  expect(two.problems).toEqual([]);
  await one.context.close();
  await two.context.close();
});

test("the manager's hold moves up to 1st: the bell says so live and the bar shows 1st without a reload", async () => {
  const owner = await api(OWNER);
  const manager = await api(MANAGER);
  const chiara = await artistId(owner, "Chiara Rossi");
  await readAll(manager);
  const wed = mondayUtc(43) + 2 * DAY_US;
  const first = await book(owner, chiara, "E2E: owner's 1st hold", "hold", wed + 9 * HOUR_US, wed + 17 * HOUR_US);
  const second = await book(manager, chiara, "E2E: manager's 2nd hold", "hold", wed + 10 * HOUR_US, wed + 16 * HOUR_US);

  const m: Tab = await openTab(browser);
  await signIn(m.page, MANAGER);
  expect(await bellCount(m.page)).toBe(0);
  await goToDate(m.page, wed);
  const rank = m.page.locator(`.bar[data-id="${second.id}"] .bar__rank`);
  await rank.waitFor();
  expect(await rank.textContent()).toBe("2nd");

  // The owner cancels the 1st hold.
  await owner.call("DELETE", `/bookings/${first.id}`);

  // Live: the bar moves up, and the bell has news.
  await expect.poll(() => rank.textContent(), { timeout: 5_000 }).toBe("1st");
  await expect.poll(() => bellCount(m.page), { timeout: 5_000 }).toBe(1);
  await m.page.locator("[data-testid=bell]").click();
  const item = m.page.locator("[data-testid=inbox] [data-testid=inbox-item]").first();
  await item.waitFor();
  expect(await item.innerText()).toContain("Your hold moved up to 1st");
  expect(await item.innerText()).toContain("E2E: manager's 2nd hold");
  expect(await item.getAttribute("data-unread")).toBe("true");
  await shot(m.page, "notifications-promoted");

  // Back to today, weeks away: the board no longer holds the hold.
  await m.page.keyboard.press("Escape");
  await m.page.getByRole("button", { name: "Today" }).click();
  await m.page.locator(`.bar[data-id="${second.id}"]`).waitFor({ state: "detached" });
  // Today scrolls smoothly: let it come to rest (two equal readings).
  let last = -1;
  await expect
    .poll(async () => {
      const x = await m.page.locator(".board").evaluate((el) => el.scrollLeft);
      const still = x === last;
      last = x;
      return still;
    }, { timeout: 5_000, interval: 200 })
    .toBe(true);
  // Opening the notification brings the board back to the hold, its panel saying where it stands now.
  await m.page.locator("[data-testid=bell]").click();
  await item.locator("button").click();
  await m.page.locator("[data-testid=panel] [data-testid=hold-queue]").getByText("1st hold on this slot").waitFor();
  await m.page.locator(`.bar[data-id="${second.id}"]`).waitFor();
  await expect.poll(() => bellCount(m.page), { timeout: 5_000 }).toBe(0);

  // "Mark all read" with nothing unread is disabled; the inbox still lists it, read.
  await m.page.locator("[data-testid=bell]").click();
  expect(await m.page.locator("[data-testid=read-all]").isDisabled()).toBe(true);
  expect(await m.page.locator("[data-testid=inbox] [data-testid=inbox-item]").first().getAttribute("data-unread")).toBe("false");
  expect(m.problems).toEqual([]);
  await m.context.close();
});
