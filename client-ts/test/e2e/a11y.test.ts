// Accessibility: axe-core's WCAG 2 A/AA rules on the sign-in screen, the board
// (week zoom, a bar focused), the side panel, the time-off and profile panels, "Find
// someone" with results, the new booking's dialog after a drag, the inbox (a
// notification in it) and its notification settings; the projects page and
// its form, a Gantt chart (a bar focused), a phase's panel with its effort
// editor, the utilization heat map and the time-off queue. Serious and critical
// findings fail the test; all findings are printed. Also the bars' roving
// tabindex: one bar in the Tab order, moved by the arrows.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { HOUR_US, MANAGER, OWNER, api, artistId, baseUrl, book, drag, goToDate, launch, mondayUtc, openTab, signIn, xOf, yOf, type Tab } from "./helpers.js";
import { goTo } from "./project-helpers.js";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

/** Runs axe in the page (evaluated by the test driver, so the page's CSP does not apply). */
async function audit(page: Page, what: string): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
  for (const f of found) console.log(`${what}: [${f.impact}] ${f.id} (${f.nodes}): ${f.help} — ${f.targets.join(" | ")}`);
  return found;
}

const serious = (fs: Finding[]) => fs.filter((f) => f.impact === "serious" || f.impact === "critical").map((f) => `${f.id}: ${f.help}`);

test("no serious or critical WCAG 2 A/AA findings", async () => {
  const { page } = tab;
  await page.goto(baseUrl());
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  expect(serious(await audit(page, "sign-in"))).toEqual([]);

  await signIn(page, OWNER);
  // Roving tabindex: one bar is in the Tab order; ↓ moves focus to a bar in
  // the next row, and the tab stop goes with it.
  const tabStops = page.locator('.bar[tabindex="0"]');
  await expect.poll(() => tabStops.count()).toBe(1);
  const firstKey = await tabStops.getAttribute("data-key");
  await tabStops.focus();
  await page.keyboard.press("ArrowDown");
  const focusedKey = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.key);
  await expect.poll(focusedKey).not.toBe(firstKey);
  expect(await focusedKey()).toBeDefined();
  await expect.poll(() => tabStops.count()).toBe(1);
  expect(await tabStops.getAttribute("data-key")).toBe(await focusedKey());
  expect(serious(await audit(page, "board"))).toEqual([]);

  await page.keyboard.press("Enter");
  await page.locator("[data-testid=panel]").waitFor();
  expect(serious(await audit(page, "panel"))).toEqual([]);

  // An artist's time off in the side panel (the owner may change anyone's).
  await page.getByRole("button", { name: /^Time off for / }).first().click();
  await page.locator("[data-testid=time-off-panel]").waitFor();
  expect(serious(await audit(page, "time-off panel"))).toEqual([]);

  // An artist's profile in the side panel (the owner's form: skills, links, rate, hours).
  await page.getByRole("button", { name: /^Profile of / }).first().click();
  await page.locator("[data-testid=profile-panel] form").waitFor();
  expect(serious(await audit(page, "profile panel"))).toEqual([]);

  // "Find someone" with a skill chosen and its results.
  await page.getByRole("button", { name: "Close panel" }).click();
  await page.getByRole("button", { name: "Find someone" }).click();
  const find = page.locator("[data-testid=find-panel]");
  await find.getByLabel("Add a skill").selectOption("compositing");
  await find.getByRole("button", { name: "Search" }).click();
  await find.locator("[data-testid=find-result]").first().waitFor();
  expect(serious(await audit(page, "find someone"))).toEqual([]);
  await find.getByRole("button", { name: "Close panel" }).click();

  // The new booking's dialog after a drag on an empty row (dropped with Escape).
  const day = mondayUtc(40) + 24 * HOUR_US;
  await goToDate(page, day);
  const y = await yOf(page, "Ada Moreau");
  await drag(page, { x: await xOf(page, day + 9 * HOUR_US), y }, { x: await xOf(page, day + 13 * HOUR_US), y });
  await page.getByRole("dialog", { name: "New booking" }).waitFor();
  expect(serious(await audit(page, "create dialog"))).toEqual([]);
  await page.keyboard.press("Escape");

  // The inbox with a notification in it: the manager releases a hold the owner placed.
  const owner = await api(OWNER);
  const held = await book(owner, await artistId(owner, "Chiara Rossi"), "E2E: a11y hold", "hold", day + 9 * HOUR_US, day + 12 * HOUR_US);
  await (await api(MANAGER)).call("DELETE", `/bookings/${held.id}`);
  await page.locator("[data-testid=bell-count]").waitFor();
  await page.locator("[data-testid=bell]").click();
  await page.locator("[data-testid=inbox] [data-testid=inbox-item]").first().waitFor();
  expect(serious(await audit(page, "inbox"))).toEqual([]);
  // The inbox's notification settings dialog.
  await page.locator("[data-testid=inbox-settings]").click();
  await page.locator("[data-testid=notification-settings] [data-testid=prefs-save]").waitFor();
  expect(serious(await audit(page, "notification settings"))).toEqual([]);
  await page.keyboard.press("Escape");
  await page.locator("[data-testid=notification-settings]").waitFor({ state: "detached" });
});

test("the project pages: no serious or critical WCAG 2 A/AA findings", async () => {
  const { page } = tab;
  await goTo(page, "#/projects");
  await page.locator("[data-testid=project-row]").first().waitFor();
  expect(serious(await audit(page, "projects"))).toEqual([]);
  await page.getByRole("button", { name: "New project" }).click();
  await page.locator("[data-testid=project-form]").waitFor();
  expect(serious(await audit(page, "project form"))).toEqual([]);
  await page.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("link", { name: "Feature: The Lighthouse", exact: true }).click();
  const tabStop = page.locator('[data-testid=phase-bar][tabindex="0"]');
  await expect.poll(() => tabStop.count()).toBe(1);
  await tabStop.focus();
  expect(serious(await audit(page, "gantt"))).toEqual([]);
  // A phase's panel with its effort editor (a row added, not saved: the demo stays as it is).
  await page.locator('[data-testid=phase-bar][data-name="Layout"]').click();
  await page.locator("[data-testid=phase-effort]").getByRole("button", { name: "Add skill" }).click();
  await page.locator("[data-testid=add-phase]").getByRole("button", { name: "Add skill" }).click();
  expect(serious(await audit(page, "gantt phase panel with effort"))).toEqual([]);
  await page.locator("[data-testid=milestone]").first().click();
  await page.locator("[data-testid=milestone-panel]").waitFor();
  expect(serious(await audit(page, "gantt milestone panel"))).toEqual([]);
  await page.getByRole("tab", { name: "Allocation" }).click();
  await page.locator("[data-testid=allocation] table, [data-testid=allocation] p.muted").first().waitFor();
  expect(serious(await audit(page, "allocation"))).toEqual([]);

  await goTo(page, "#/utilization");
  await page.locator("[data-testid=heat-cell]").first().waitFor();
  expect(serious(await audit(page, "utilization"))).toEqual([]);
  await goTo(page, "#/time-off");
  await page.locator("[data-testid=time-off-request]").first().waitFor();
  expect(serious(await audit(page, "time-off queue"))).toEqual([]);
  expect(tab.problems).toEqual([]);
});
