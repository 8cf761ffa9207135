// The Studio area's Calendar feeds tab. The owner creates a feed of the
// whole studio: its address (`origin + /api/v1/calendar/<secret>.ics`) is
// shown once with Copy, and fetching it answers `text/calendar` with the
// studio's bookings as VEVENTs; revoked (after a confirmation) it answers
// 404. A manager creates a feed of one artist's bookings.

import { expect, test } from "vitest";
import { MANAGER, OWNER, baseUrl, openTab, shot, signIn, signedInTab } from "./helpers.js";
import { openStudioTab } from "./admin-helpers.js";
import { audit, serious } from "./axe.js";

const file = signedInTab(OWNER);

test("a studio feed: created (address shown once), fetched as iCalendar, revoked → 404", async () => {
  const { page, problems } = file.tab;
  await openStudioTab(page, "feeds", "Calendar feeds");
  const form = page.locator("[data-testid=feed-form]");
  await form.getByLabel("Feed name").fill("E2E studio feed");
  expect(await form.getByLabel("Bookings of").inputValue()).toBe("");
  await form.getByRole("button", { name: "Create feed" }).click();
  const secret = page.locator("[data-testid=secret-value]");
  await secret.waitFor();
  const url = await secret.inputValue();
  expect(url).toMatch(new RegExp(`^${baseUrl()}/api/v1/calendar/[^/]+\\.ics$`));
  expect(await page.locator("[data-testid=secret-once]").innerText()).toContain("it will not be shown again");
  const row = page.locator("[data-testid=feed]", { hasText: "E2E studio feed" });
  await row.waitFor();
  expect(await row.innerText()).toContain("Whole studio");
  await shot(page, "75-feed-created");
  expect(serious(await audit(page, "feeds tab"))).toEqual([]);

  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
  const body = await res.text();
  expect(body).toContain("BEGIN:VCALENDAR");
  expect(body).toContain("BEGIN:VEVENT");

  await row.getByRole("button", { name: "Revoke E2E studio feed" }).click();
  const confirm = page.locator("[data-testid=confirm]");
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect.poll(() => row.getAttribute("data-state")).toBe("revoked");
  expect((await fetch(url)).status).toBe(404);
  expect(problems).toEqual([]);
});

test("a manager creates a feed of one artist", async () => {
  const manager = await openTab(file.browser);
  await signIn(manager.page, MANAGER);
  await openStudioTab(manager.page, "feeds", "Calendar feeds");
  const form = manager.page.locator("[data-testid=feed-form]");
  await form.getByLabel("Feed name").fill("E2E Ada's feed");
  await form.getByLabel("Bookings of").selectOption({ label: "Ada Moreau" });
  await form.getByRole("button", { name: "Create feed" }).click();
  const url = await manager.page.locator("[data-testid=secret-value]").inputValue();
  const row = manager.page.locator("[data-testid=feed]", { hasText: "E2E Ada's feed" });
  await row.waitFor();
  expect(await row.innerText()).toContain("Ada Moreau");
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/calendar/);
  expect(manager.problems).toEqual([]);
  await manager.context.close();
});
