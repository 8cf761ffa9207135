// Artists' time off on the board, and its approval. The demo studio's seeded
// (approved) time off is shaded (found by its accessible name, "Time off,
// <dates>") at every zoom; dragging a pencil onto it says it would be refused,
// the server refuses it naming the reason, and "Book anyway (overtime)" books
// it. A freelancer requests time off for their own artist in the side panel
// (hatched, "Requested time off"); a manager in another browser context sees
// it arrive live in the `#/time-off` queue and approves it; the freelancer
// sees it approved and shaded; the manager cancels it from the board's panel.
// A freelancer withdraws a request of their own.

import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, bookingsOf, dayKey, drag, goToDate, mondayUtc, openTab, saved, shot, signIn, signedInTab, waitFor, xOf, yOf, type RestBooking, type Tab } from "./helpers.js";

const FREELANCER = "freelancer@demo.studio";

const file = signedInTab(OWNER);

/** The label the board gives whole days of time off (the page's own formatting: en-GB, UTC), after `prefix`. */
async function label(page: Page, start: number, end: number, prefix = "Time off, "): Promise<string> {
  const dates = await page.evaluate(
    ([s, e]) => {
      const f = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
      const last = e - 86_400_000;
      return last <= s ? f.format(s) : `${f.format(s)} – ${f.format(last)}`;
    },
    [start / 1000, end / 1000] as const,
  );
  return `${prefix}${dates}`;
}

/** An artist's row (the row whose header names them). */
function row(page: Page, name: string) {
  return page.locator(".row", { has: page.locator(".row-head__name", { hasText: name }) }).first();
}

test("seeded time off is shaded at every zoom; a pencil dragged onto it is refused with the reason and booked anyway as overtime", async () => {
  const { page, problems } = file.tab;
  // Dev Patel (the demo's 4th artist): Thursday and Friday of this week, approved.
  const start = mondayUtc(0) + 3 * DAY_US;
  const end = start + 2 * DAY_US;
  await goToDate(page, start);
  const name = await label(page, start, end);
  expect(name).toMatch(/^Time off, \S+ \d+ \S+ \d{4} – /);
  const block = row(page, "Dev Patel").getByRole("img", { name, exact: true });
  await block.waitFor();
  expect(Number(await block.getAttribute("data-start"))).toBe(start);
  expect(Number(await block.getAttribute("data-end"))).toBe(end);
  await expect.poll(() => block.innerText()).toBe("Time off"); // a word, not only a colour
  const box = (await block.boundingBox())!;
  expect(Math.abs(box.x - (await xOf(page, start)))).toBeLessThan(2);
  expect(Math.abs(box.x + box.width - (await xOf(page, end)))).toBeLessThan(2);
  expect(await row(page, "Ben Okafor").locator(".time-off").count()).toBe(0);
  await shot(page, "14-time-off-week");

  // Dragging a new pencil onto it: the ghost says it would be refused.
  const y = await yOf(page, "Dev Patel");
  await drag(page, { x: await xOf(page, start + 10 * HOUR_US), y }, { x: await xOf(page, start + 16 * HOUR_US), y }, false);
  const ghost = page.locator("[data-testid=ghost]");
  await ghost.waitFor();
  expect(await ghost.getAttribute("data-time-off")).toBe("true");
  expect(await ghost.innerText()).toContain("✕ Time off");
  const tip = page.locator("[data-testid=drag-tip]");
  expect(await tip.innerText()).toMatch(/^Time off · Dev Patel/);
  expect(await tip.innerText()).toContain("Refused unless booked as overtime: it overlaps Dev Patel's time off");
  await shot(page, "15-time-off-drag-refused");
  await page.mouse.up();
  // The create dialog: a pencil (the default), "New booking"; Enter creates it.
  await page.getByRole("dialog", { name: "New booking" }).waitFor();
  await page.keyboard.press("Enter");

  // Refused, naming the reason; "Book anyway (overtime)" books it.
  const notice = page.locator("[data-testid=notice]", { hasText: "Could not create the booking" });
  await notice.waitFor();
  expect(await notice.innerText()).toContain("Not available then: approved time off");
  expect(await row(page, "Dev Patel").locator('.bar[aria-label*="New booking"]').count()).toBe(0);
  await shot(page, "15a-time-off-refused-notice");
  await notice.getByRole("button", { name: "Book anyway (overtime)" }).click();
  const bar = row(page, "Dev Patel").locator('.bar[aria-label*="New booking"]');
  await saved(bar);
  expect(Number(await bar.getAttribute("data-start"))).toBe(start + 10 * HOUR_US);
  expect(await bar.getAttribute("data-time-off")).toBe("true");
  expect(await bar.getAttribute("aria-label")).toMatch(/^Pencil New booking .*, Dev Patel, .*, overlaps time off/);
  const owner = await api(OWNER);
  const stored = (await bookingsOf(owner, await artistId(owner, "Dev Patel"), start, end)) as (RestBooking & { allowOvertime?: boolean })[];
  expect(stored.find((b) => b.title === "New booking" && b.status === "pencil")?.allowOvertime).toBe(true);
  await shot(page, "15b-time-off-overtime-booked");
  await page.locator("[data-testid=panel]").getByRole("button", { name: "Cancel booking" }).click();
  await expect.poll(() => bar.count()).toBe(0);

  // Month and day zoom draw it too; far out of view it is not in the DOM.
  await page.getByRole("button", { name: "Month", exact: true }).click();
  await goToDate(page, start);
  await row(page, "Dev Patel").getByRole("img", { name, exact: true }).waitFor();
  await shot(page, "16-time-off-month");
  await page.getByRole("button", { name: "Day", exact: true }).click();
  await goToDate(page, start);
  await row(page, "Dev Patel").getByRole("img", { name, exact: true }).waitFor();
  const hugo = mondayUtc(2) + 3 * DAY_US; // Hugo Lambert's, in two weeks
  expect(await row(page, "Hugo Lambert").getByRole("img", { name: await label(page, hugo, hugo + 2 * DAY_US), exact: true }).count()).toBe(0);
  await page.getByRole("button", { name: "Week", exact: true }).click();
  await goToDate(page, hugo);
  await row(page, "Hugo Lambert").getByRole("img", { name: await label(page, hugo, hugo + 2 * DAY_US), exact: true }).waitFor();
  expect(problems).toEqual([]);
});

test("a freelancer requests time off; a manager sees it live in the queue and approves it; the freelancer sees it shaded; the manager cancels it", async () => {
  const free: Tab = await openTab(file.browser);
  const manager: Tab = await openTab(file.browser);
  // A week no other browser test books in: Wednesday and Thursday.
  const first = mondayUtc(13) + 2 * DAY_US;
  const end = first + 2 * DAY_US;
  await signIn(free.page, FREELANCER);
  await signIn(manager.page, MANAGER);
  await goToDate(free.page, first);

  // The freelancer has no queue; the manager's nav has it: open it before the request.
  expect(await free.page.getByRole("link", { name: /^Time off/ }).count()).toBe(0);
  await manager.page.getByRole("link", { name: /^Time off/ }).click();
  const queue = manager.page.getByRole("table", { name: "Time-off requests" });
  await queue.waitFor();
  const before = await queue.locator("[data-testid=time-off-request]").count();
  expect(before).toBeGreaterThanOrEqual(1); // the demo's pending request ("Family visit")

  const mine = (await free.page.locator(".row-head__name").innerText()).trim();
  const requested = await label(free.page, first, end, "Requested time off, ");
  const approved = await label(free.page, first, end);
  const dates = approved.replace("Time off, ", "");
  await free.page.getByRole("button", { name: `Time off for ${mine}` }).click();
  const panel = free.page.locator("[data-testid=time-off-panel]");
  await panel.getByLabel("First day").fill(dayKey(first));
  await panel.getByLabel("Last day").fill(dayKey(first + DAY_US));
  await panel.getByLabel("Kind").selectOption("vacation");
  await panel.getByLabel("Note").fill("E2E: conference");
  const asked = Date.now();
  await panel.getByRole("button", { name: "Request time off" }).click();

  // The freelancer: requested, awaiting approval, hatched on their row.
  await panel.locator("[data-testid=time-off-save]", { hasText: "Requested — awaiting approval" }).waitFor();
  const entry = panel.locator('li[data-status="requested"]', { hasText: "E2E: conference" });
  await entry.waitFor();
  expect(await entry.innerText()).toContain("Requested — awaiting approval");
  await row(free.page, mine).getByRole("img", { name: requested, exact: true }).waitFor();
  expect(await row(free.page, mine).getByRole("img", { name: approved, exact: true }).count()).toBe(0);
  await shot(free.page, "17-time-off-requested");

  // The manager's queue has it, live.
  const request = queue.locator("[data-testid=time-off-request]", { hasText: "E2E: conference" });
  await request.waitFor({ timeout: 3_000 });
  console.log(`the manager's queue showed the request ${Date.now() - asked} ms after the click`);
  expect(await request.innerText()).toContain(mine);
  expect(await request.innerText()).toContain("Vacation");
  expect(await request.innerText()).toContain(dates);
  await shot(manager.page, "18-time-off-queue");
  await request.getByRole("button", { name: `Approve ${mine}'s time off ${dates}` }).click();
  await expect.poll(() => request.count()).toBe(0);
  expect(await queue.locator("[data-testid=time-off-request]").count()).toBe(before);

  // The freelancer: approved, shaded (no longer hatched as requested).
  await panel.locator('li[data-status="approved"]', { hasText: "E2E: conference" }).waitFor({ timeout: 3_000 });
  await row(free.page, mine).getByRole("img", { name: approved, exact: true }).waitFor();
  expect(await row(free.page, mine).getByRole("img", { name: requested, exact: true }).count()).toBe(0);
  expect(await panel.getByRole("button", { name: `Withdraw time off ${dates}` }).count()).toBe(0); // approved: not theirs to withdraw
  await shot(free.page, "19-time-off-approved");
  const owner = await api(OWNER);
  const stored = await owner.call<{ data: { timeOff: { start: string; end: string; status: string; note: string | null }[] } }>("GET", `/artists/${await artistId(owner, mine)}`);
  const e = stored.data.timeOff.find((x) => x.note === "E2E: conference")!;
  expect([Date.parse(e.start) * 1000, Date.parse(e.end) * 1000, e.status]).toEqual([first, end, "approved"]);

  // The manager cancels it from the board's panel: gone from the freelancer's row, live.
  await manager.page.getByRole("link", { name: "Board" }).click();
  await goToDate(manager.page, first);
  await row(manager.page, mine).getByRole("img", { name: approved, exact: true }).waitFor();
  await manager.page.getByRole("button", { name: `Time off for ${mine}` }).click();
  await manager.page.locator("[data-testid=time-off-panel]").getByRole("button", { name: `Cancel time off ${dates}` }).click();
  await waitFor("the freelancer to see it cancelled", async () => (await row(free.page, mine).getByRole("img", { name: approved, exact: true }).count()) === 0, 3_000);
  await panel.locator('li[data-status="cancelled"]', { hasText: "E2E: conference" }).waitFor();

  for (const t of [free, manager]) expect(t.problems).toEqual([]);
  await free.context.close();
  await manager.context.close();
});

test("a freelancer withdraws their own request; it leaves the queue", async () => {
  const free = await openTab(file.browser);
  await signIn(free.page, FREELANCER);
  const day = mondayUtc(14) + DAY_US; // a Tuesday
  await goToDate(free.page, day);
  const mine = (await free.page.locator(".row-head__name").innerText()).trim();
  const dates = (await label(free.page, day, day + DAY_US)).replace("Time off, ", "");
  await free.page.getByRole("button", { name: `Time off for ${mine}` }).click();
  const panel = free.page.locator("[data-testid=time-off-panel]");
  await panel.getByLabel("First day").fill(dayKey(day));
  await panel.getByLabel("Note").fill("E2E: withdrawn");
  await panel.getByRole("button", { name: "Request time off" }).click();
  await panel.locator('li[data-status="requested"]', { hasText: "E2E: withdrawn" }).waitFor();

  const { page } = file.tab; // the owner
  await page.getByRole("link", { name: /^Time off/ }).click();
  const request = page.locator("[data-testid=time-off-request]", { hasText: "E2E: withdrawn" });
  await request.waitFor();
  await panel.getByRole("button", { name: `Withdraw time off ${dates}` }).click();
  await panel.locator('li[data-status="cancelled"]', { hasText: "E2E: withdrawn" }).waitFor();
  await expect.poll(() => request.count(), { timeout: 3_000 }).toBe(0);
  await page.getByRole("link", { name: "Board" }).click();
  expect(free.problems).toEqual([]);
  expect(file.tab.problems).toEqual([]);
  await free.context.close();
});
