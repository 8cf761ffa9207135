// Artists' time off on the board. The demo studio's seeded time off is
// shaded (found by its accessible name, "Time off, <dates>") at every zoom,
// and dragging onto it warns ("Time off") without refusing; the dropped bar
// is marked ⚠ and its name says "overlaps time off"; moving it back onto the
// time off with the keyboard raises an info notice and still saves. The freelancer
// adds time off for their own artist in the side panel: it shows at once,
// the owner (another browser context) sees it appear live, it survives a
// reload, and removing it goes live too. The manager has no time-off controls.

import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, dayKey, drag, goToDate, launch, mondayUtc, openTab, saved, shot, signIn, waitFor, xOf, yOf, type Tab } from "./helpers.js";

const FREELANCER = "freelancer@demo.studio";

let browser: Browser;
let tabs: Tab[] = [];

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

async function tab(): Promise<Tab> {
  const t = await openTab(browser);
  tabs.push(t);
  return t;
}

/** The label the board gives whole days of time off (the page's own formatting: en-GB, UTC). */
async function label(page: Page, start: number, end: number): Promise<string> {
  return page.evaluate(
    ([s, e]) => {
      const f = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", year: "numeric" });
      const last = e - 86_400_000;
      return `Time off, ${last <= s ? f.format(s) : `${f.format(s)} – ${f.format(last)}`}`;
    },
    [start / 1000, end / 1000] as const,
  );
}

/** An artist's row (the row whose header names them). */
function row(page: Page, name: string) {
  return page.locator(".row", { has: page.locator(".row-head__name", { hasText: name }) }).first();
}

test("the demo's seeded time off is shaded at every zoom, by accessible name; dragging onto it warns but is allowed", async () => {
  const { page, problems } = await tab();
  await signIn(page, OWNER);
  // Dev Patel (the demo's 4th artist): Thursday and Friday of this week.
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
  // Exactly as wide as its two days (week zoom).
  const box = (await block.boundingBox())!;
  expect(Math.abs(box.x - (await xOf(page, start)))).toBeLessThan(2);
  expect(Math.abs(box.x + box.width - (await xOf(page, end)))).toBeLessThan(2);
  // Not on the other artists' rows in that week, and only what is in view is drawn.
  expect(await row(page, "Ben Okafor").locator(".time-off").count()).toBe(0);
  await shot(page, "14-time-off-week");

  // Dragging a new booking onto it: the ghost says "Time off" (a warning, not "Busy").
  const y = await yOf(page, "Dev Patel");
  await drag(page, { x: await xOf(page, start + 10 * HOUR_US), y }, { x: await xOf(page, start + 16 * HOUR_US), y }, false);
  const ghost = page.locator("[data-testid=ghost]");
  await ghost.waitFor();
  expect(await ghost.getAttribute("data-time-off")).toBe("true");
  expect(await ghost.getAttribute("data-free")).toBe("true");
  expect(await ghost.innerText()).toContain("Time off");
  const tip = page.locator("[data-testid=drag-tip]");
  expect(await tip.innerText()).toMatch(/^Time off · Dev Patel/);
  expect(await tip.innerText()).toContain("Allowed, but it overlaps Dev Patel's time off");
  await shot(page, "15-time-off-drag-warning");
  // The drop is allowed (the server books over time off); then it is cancelled again.
  await page.mouse.up();
  await expect.poll(() => ghost.count()).toBe(0);
  const bar = row(page, "Dev Patel").locator('.bar[aria-label*="New booking"]');
  await saved(bar);
  expect(Number(await bar.getAttribute("data-start"))).toBe(start + 10 * HOUR_US);
  // The bar is marked: a ⚠ badge ("Overlaps time off") and its accessible name says so.
  expect(await bar.getAttribute("data-time-off")).toBe("true");
  expect(await bar.getAttribute("aria-label")).toMatch(/^Pencil New booking .*, Dev Patel, .*, overlaps time off/);
  await row(page, "Dev Patel").getByRole("button", { name: /^Pencil New booking .*overlaps time off/ }).waitFor();
  const mark = bar.locator(".bar__timeoff");
  expect(await mark.getAttribute("title")).toBe("Overlaps time off");
  expect(await mark.evaluate((el) => getComputedStyle(el, "::before").content)).toBe('"⚠"');
  expect((await mark.boundingBox())!.width).toBeGreaterThan(10);
  // The mouse drop warned in the ghost already: no notice on top.
  const notices = page.locator("[data-testid=notice]");
  expect(await notices.count()).toBe(0);
  // With the keyboard: a day back (Wednesday) is off it, unmarked and silent;
  // a day forward lands on it again, marked, and an info notice says so.
  await bar.focus();
  await page.keyboard.press("Shift+ArrowLeft");
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(start - DAY_US + 10 * HOUR_US));
  expect(await bar.getAttribute("data-time-off")).toBe("false");
  expect(await bar.getAttribute("aria-label")).not.toContain("time off");
  await saved(bar);
  expect(await notices.count()).toBe(0);
  await page.keyboard.press("Shift+ArrowRight");
  await expect.poll(() => bar.getAttribute("data-start")).toBe(String(start + 10 * HOUR_US));
  expect(await bar.getAttribute("data-time-off")).toBe("true");
  const notice = notices.filter({ hasText: "Overlaps time off" });
  await notice.waitFor();
  expect(await notice.innerText()).toContain("overlaps Dev Patel's time off");
  await saved(bar); // not refused: the change went through
  await shot(page, "15b-time-off-bar-mark");
  await notice.getByRole("button", { name: "Dismiss" }).click();
  await page.locator("[data-testid=panel]").getByRole("button", { name: "Cancel booking" }).click();
  await expect.poll(() => bar.count()).toBe(0);

  // Month and day zoom draw it too.
  await page.getByRole("button", { name: "Month", exact: true }).click();
  await goToDate(page, start);
  await row(page, "Dev Patel").getByRole("img", { name, exact: true }).waitFor();
  await shot(page, "16-time-off-month");
  await page.getByRole("button", { name: "Day", exact: true }).click();
  await goToDate(page, start);
  await row(page, "Dev Patel").getByRole("img", { name, exact: true }).waitFor();
  // Virtual: a range far out of view is not in the DOM (Hugo Lambert's, in two weeks).
  const hugo = mondayUtc(2) + 3 * DAY_US;
  expect(await row(page, "Hugo Lambert").getByRole("img", { name: await label(page, hugo, hugo + 2 * DAY_US), exact: true }).count()).toBe(0);
  await page.getByRole("button", { name: "Week", exact: true }).click();
  await goToDate(page, hugo);
  await row(page, "Hugo Lambert").getByRole("img", { name: await label(page, hugo, hugo + 2 * DAY_US), exact: true }).waitFor();

  expect(problems).toEqual([]);
});

test("a freelancer adds time off for themself: at once, live for the owner, after a reload; the manager has no controls", async () => {
  const free = await tab();
  const owner = await tab();
  const manager = await tab();
  // A week no other browser test books in.
  const first = mondayUtc(13) + 2 * DAY_US; // Wednesday
  const end = first + 2 * DAY_US; // through Thursday

  await signIn(free.page, FREELANCER);
  await signIn(owner.page, OWNER);
  await signIn(manager.page, MANAGER);
  for (const t of [free, owner, manager]) await goToDate(t.page, first);

  // The freelancer sees only their own artist, with its "Time off" button.
  const heads = free.page.locator(".row-head__name");
  await expect.poll(() => heads.count()).toBe(1);
  const mine = (await heads.innerText()).trim();
  const mineId = await artistId(await api(OWNER), mine);
  const name = await label(free.page, first, end);
  expect(await free.page.getByRole("button", { name: /^Time off for / }).count()).toBe(1);

  await free.page.getByRole("button", { name: `Time off for ${mine}` }).click();
  const panel = free.page.locator("[data-testid=time-off-panel]");
  await panel.waitFor();
  await panel.getByLabel("First day").fill(dayKey(first));
  await panel.getByLabel("Last day").fill(dayKey(first + DAY_US));
  const added = Date.now();
  await panel.getByRole("button", { name: "Add time off" }).click();

  // At once in the freelancer's row, then saved; live in the owner's board.
  await row(free.page, mine).getByRole("img", { name, exact: true }).waitFor({ timeout: 1_000 });
  await row(owner.page, mine).getByRole("img", { name, exact: true }).waitFor({ timeout: 2_000 });
  console.log(`the owner saw the new time off ${Date.now() - added} ms after the click`);
  await panel.locator("[data-testid=time-off-save]", { hasText: "Saved" }).waitFor();
  await panel.getByRole("listitem").filter({ hasText: name.replace("Time off, ", "") }).waitFor();
  await shot(free.page, "17-time-off-freelancer-panel");
  await shot(owner.page, "18-time-off-owner-live");

  // The server has it.
  const stored = await (await api(OWNER)).call<{ data: { timeOff: { start: string; end: string }[] } }>("GET", `/artists/${mineId}`);
  expect(stored.data.timeOff.map((r) => [Date.parse(r.start) * 1000, Date.parse(r.end) * 1000])).toContainEqual([first, end]);

  // After a reload it is still there.
  await free.page.reload();
  await free.page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  await goToDate(free.page, first);
  await row(free.page, mine).getByRole("img", { name, exact: true }).waitFor();

  // The manager: the shading, but no way to change it.
  await row(manager.page, mine).getByRole("img", { name, exact: true }).waitFor();
  expect(await manager.page.getByRole("button", { name: /^Time off for / }).count()).toBe(0);
  expect(await manager.page.locator(".row-head__timeoff").count()).toBe(0);
  // The owner may change anyone's.
  expect(await owner.page.getByRole("button", { name: /^Time off for / }).count()).toBe(await owner.page.locator(".row-head").count());

  // Removing it: gone for the freelancer at once and for the owner live.
  await free.page.getByRole("button", { name: `Time off for ${mine}` }).click();
  await panel.getByRole("button", { name: `Remove time off ${name.replace("Time off, ", "")}` }).click();
  await waitFor("the time off to go", async () => (await row(free.page, mine).getByRole("img", { name, exact: true }).count()) === 0, 1_000);
  await waitFor("the owner to see it go", async () => (await row(owner.page, mine).getByRole("img", { name, exact: true }).count()) === 0, 2_000);
  await panel.locator("[data-testid=time-off-save]", { hasText: "Saved" }).waitFor();

  for (const t of [free, owner, manager]) expect(t.problems).toEqual([]);
});
