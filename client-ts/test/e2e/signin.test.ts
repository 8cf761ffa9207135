// Signing in and out: a wrong password is refused with one clear message; the
// freelancer (linked to Ada Moreau) sees only their own row; signing out
// returns to the sign-in screen and a reload stays there. With the browser's
// clock moved on, the access token is refreshed before it expires.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MANAGER, PASSWORD, baseUrl, launch, openTab, shot, signIn, type Tab } from "./helpers.js";

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

test("wrong password, a freelancer's own row, sign out", async () => {
  const { page } = tab;
  await page.goto(baseUrl());
  await page.getByLabel("Email").fill("owner@demo.studio");
  await page.getByLabel("Password").fill(`${PASSWORD}-wrong`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("alert").innerText()).toContain("Wrong email or password");
  // The 401 is the expected answer here, not a problem of the page.
  tab.problems.splice(0, tab.problems.length, ...tab.problems.filter((p) => !p.includes("401")));

  await signIn(page, "freelancer@demo.studio");
  await expect.poll(() => page.locator(".row-head").count()).toBe(1);
  expect(await page.locator(".row-head").innerText()).toContain("Ada Moreau");
  await shot(page, "13-freelancer-own-row");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem("pt.session"))).toBeNull();
  await page.reload();
  await page.getByRole("button", { name: "Sign in" }).waitFor();

  expect(tab.problems).toEqual([]);
});

test("the access token is refreshed a minute before it expires; the board stays live", async () => {
  const t = await openTab(browser);
  await t.context.clock.install(); // the page's clock, moved on below; the server's is real
  await signIn(t.page, MANAGER);
  const stored = async () => JSON.parse((await t.page.evaluate(() => sessionStorage.getItem("pt.session")))!) as { accessToken: string; refreshToken: string; accessExpiresAt: number };
  const before = await stored();
  const lifetimeMs = before.accessExpiresAt - (await t.page.evaluate(() => Date.now()));
  expect(lifetimeMs).toBeGreaterThan(60_000);

  // Just past "a minute before expiry": the refresh goes out and succeeds.
  const refreshed = t.page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/refresh"));
  await t.context.clock.fastForward(lifetimeMs - 60_000 + 1_000);
  expect((await refreshed).status()).toBe(200);
  await expect.poll(async () => (await stored()).refreshToken).not.toBe(before.refreshToken);
  const after = await stored();
  expect(after.accessToken).not.toBe(before.accessToken);
  expect(after.accessExpiresAt).toBeGreaterThanOrEqual(before.accessExpiresAt); // the server's clock is real
  await t.page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  expect(t.problems).toEqual([]);
  await t.context.close();
});
