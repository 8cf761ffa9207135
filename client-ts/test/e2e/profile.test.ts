// Artists' profiles in the side panel ("Profile" on an artist's name). The
// owner, on an artist made for this file (archived after it), is refused a
// rate in a made-up currency with the field named, then sets a skill's level
// and years, a portfolio link, a day rate and working hours, and sees them
// after a reload (and the server has them). The freelancer edits their own
// bio, sees no day rate and no rate field, and has no Profile button on any
// other artist (the server answers 404 for one). The manager reads the
// profile, rate included, with no edit controls.

import type { Locator, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { MANAGER, OWNER, api, artistId, openTab, shot, signIn, signedInTab, type Api } from "./helpers.js";
import { expectedRefusals } from "./project-helpers.js";

const FREELANCER = "freelancer@demo.studio";
const NAME = `Rhea Profile ${Date.now() % 100000}`;

const file = signedInTab(OWNER);
let owner: Api;
let id: string;

beforeAll(async () => {
  owner = await api(OWNER);
  const made = await owner.call<{ data: { id: string } }>("POST", "/artists", { name: NAME, skills: ["compositing"], timezone: "Europe/London" });
  id = made.data.id;
});

afterAll(async () => {
  if (id) await owner.call("DELETE", `/artists/${id}`);
});

/** Filters the board to `name` and opens their profile from the keyboard (Tab to the button, Enter). */
async function openProfile(page: Page, name: string): Promise<Locator> {
  await page.getByLabel("Find artist or skill").fill(name);
  const button = page.getByRole("button", { name: `Profile of ${name}`, exact: true });
  await button.focus();
  await page.keyboard.press("Enter");
  const panel = page.locator("[data-testid=profile-panel]");
  await panel.waitFor();
  await expect.poll(() => panel.locator("[data-testid=profile-save]").innerText()).not.toBe("Loading…");
  return panel;
}

test("the owner sets a skill level, a portfolio link, a day rate and hours, and sees them after a reload", async () => {
  const { page, problems } = file.tab;
  await page.locator(".row-head__name", { hasText: NAME }).waitFor(); // arrived live
  let panel = await openProfile(page, NAME);
  await panel.getByLabel("Skill 1 level").selectOption("4");
  await panel.getByLabel("Skill 1 years").fill("7");
  await panel.getByRole("button", { name: "Add link" }).click();
  await panel.getByLabel("Link 1 title").fill("Showreel 2026");
  await panel.getByLabel("Link 1 URL").fill("https://example.com/reel");
  await panel.getByLabel("Link 1 kind").selectOption("reel");
  await panel.getByLabel("Day rate").fill("650");

  // A currency the server does not know: refused, naming the field.
  await panel.getByLabel("Currency").fill("ZZ");
  await panel.getByRole("button", { name: "Save profile" }).click();
  const error = panel.locator("[data-testid=profile-error]");
  await error.waitFor();
  expect(await error.innerText()).toMatch(/currency/i);
  expect(expectedRefusals(file.tab, 400)).toBe(1);

  await panel.getByLabel("Currency").fill("GBP");
  await panel.getByLabel("The studio's working week").uncheck();
  await panel.getByRole("button", { name: "Add hours" }).click();
  await panel.getByLabel("Hours 1 day").selectOption({ label: "Tue" });
  await panel.getByLabel("Hours 1 start").fill("10:00");
  await panel.getByLabel("Hours 1 end").fill("16:00");
  await panel.getByRole("button", { name: "Save profile" }).click();
  await expect.poll(() => panel.locator("[data-testid=profile-save]").innerText()).toBe("Saved");
  expect(await error.count()).toBe(0);
  await shot(page, "profile-owner");

  const p = (await owner.call<{ data: { skills: unknown[]; portfolio: unknown[]; dayRate: number; currency: string } }>("GET", `/artist-profiles/${id}`)).data;
  expect(p.skills).toEqual([{ name: "compositing", level: 4, years: 7 }]);
  expect(p.portfolio).toEqual([{ url: "https://example.com/reel", title: "Showreel 2026", kind: "reel" }]);
  expect([p.dayRate, p.currency]).toEqual([650, "GBP"]);
  const a = (await owner.call<{ data: { workingHours?: unknown } }>("GET", `/artists/${id}`)).data;
  expect(a.workingHours).toEqual([{ day: 2, start: "10:00", end: "16:00" }]);

  await page.reload();
  await page.locator("[data-testid=board]").waitFor();
  panel = await openProfile(page, NAME);
  expect(await panel.getByLabel("Skill 1 level").inputValue()).toBe("4");
  expect(await panel.getByLabel("Skill 1 years").inputValue()).toBe("7");
  expect(await panel.getByLabel("Link 1 title").inputValue()).toBe("Showreel 2026");
  expect(await panel.getByLabel("Link 1 URL").inputValue()).toBe("https://example.com/reel");
  expect(await panel.getByLabel("Day rate").inputValue()).toBe("650");
  expect(await panel.getByLabel("Currency").inputValue()).toBe("GBP");
  expect(await panel.getByLabel("Hours 1 start").inputValue()).toBe("10:00");
  await page.keyboard.press("Escape");
  await expect.poll(() => panel.count()).toBe(0);
  expect(problems).toEqual([]);
});

test("the freelancer edits their own bio, sees no rate, and has no profile of anyone else", async () => {
  const tab = await openTab(file.browser);
  const { page, problems } = tab;
  await signIn(page, FREELANCER);
  const mine = await artistId(await api(FREELANCER), "Ada Moreau");
  const panel = await openProfile(page, "Ada Moreau");
  const bio = `Compositor and colourist (${Date.now()}).`;
  await panel.getByLabel("Bio").fill(bio);
  await panel.getByRole("button", { name: "Save profile" }).click();
  await expect.poll(() => panel.locator("[data-testid=profile-save]").innerText()).toBe("Saved");
  expect(await panel.getByLabel("Day rate").count()).toBe(0);
  expect(await panel.getByLabel("Currency").count()).toBe(0);
  expect(await panel.locator("[data-testid=profile-rate]").count()).toBe(0);
  expect(await panel.innerText()).not.toMatch(/day rate/i);
  expect(await panel.getByLabel("The studio's working week").count()).toBe(0); // hours are the studio's to set
  await shot(page, "profile-freelancer");

  // Another artist: no Profile button on the board, and the server says 404.
  expect(await page.getByRole("button", { name: /^Profile of / }).count()).toBe(1);
  await page.getByLabel("Find artist or skill").fill(NAME);
  expect(await page.getByRole("button", { name: `Profile of ${NAME}` }).count()).toBe(0);
  await expect(api(FREELANCER).then((f) => f.call("GET", `/artist-profiles/${id}`))).rejects.toThrow(/404/);

  await page.reload();
  await page.locator("[data-testid=board]").waitFor();
  const again = await openProfile(page, "Ada Moreau");
  expect(await again.getByLabel("Bio").inputValue()).toBe(bio);
  const view = (await (await api(OWNER)).call<{ data: { bio: string } }>("GET", `/artist-profiles/${mine}`)).data;
  expect(view.bio).toBe(bio);
  expect(problems).toEqual([]);
  await tab.context.close();
});

test("the manager reads a profile, day rate included, with no edit controls", async () => {
  const tab = await openTab(file.browser);
  const { page, problems } = tab;
  await signIn(page, MANAGER);
  const panel = await openProfile(page, NAME);
  const read = panel.locator("[data-testid=profile-read]");
  await read.waitFor();
  expect(await panel.locator("[data-testid=profile-rate]").innerText()).toBe("Day rate: 650 GBP");
  expect(await read.innerText()).toContain("compositing · level 4 · 7 years");
  expect(await read.getByRole("link", { name: "Showreel 2026" }).getAttribute("href")).toBe("https://example.com/reel");
  expect(await panel.locator("[data-testid=profile-hours]").innerText()).toBe("Tue 10:00–16:00");
  expect(await panel.locator("input, textarea, select").count()).toBe(0);
  expect(await panel.getByRole("button", { name: "Save profile" }).count()).toBe(0);
  await shot(page, "profile-manager");
  expect(problems).toEqual([]);
  await tab.context.close();
});
