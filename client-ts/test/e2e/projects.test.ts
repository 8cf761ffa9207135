// The projects page: the owner finds the demo studio's projects by status,
// client and search; creates one (a refused field is shown by its field, in
// the server's words), edits it, sees it in the board's project list live,
// and archives it after a confirmation. A freelancer sees no edit controls.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { OWNER, api, launch, openTab, shot, signIn, type Tab } from "./helpers.js";
import { FREELANCER, day, expectedRefusals, goTo, uniqueCode, type RestProject } from "./project-helpers.js";

let browser: Browser;
let tab: Tab;

beforeAll(async () => {
  browser = await launch();
  tab = await openTab(browser);
});

afterAll(async () => {
  await browser?.close();
});

const rows = (t: Tab) => t.page.locator("[data-testid=project-row]");
const rowNamed = (t: Tab, name: string) => rows(t).filter({ has: t.page.getByRole("link", { name, exact: true }) });

test("filter, create (with a refused field first), edit, archive; the board lists the new project live", async () => {
  const { page } = tab;
  await signIn(page, OWNER);
  // The page links are keyboard accessible: Tab to "Projects", Enter.
  const link = page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: "Projects" });
  await link.focus();
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Projects" }).waitFor();
  expect(await link.getAttribute("aria-current")).toBe("page");
  await rowNamed(tab, "Feature: The Lighthouse").waitFor();
  await shot(page, "40-projects-list");

  // Filters: status, client, search.
  await page.getByLabel("Status", { exact: true }).selectOption("planning");
  await expect.poll(() => rows(tab).evaluateAll((rs) => rs.map((r) => r.getAttribute("data-status")))).toEqual(expect.arrayContaining(["planning"]));
  await expect.poll(async () => (await rows(tab).evaluateAll((rs) => rs.every((r) => r.getAttribute("data-status") === "planning")))).toBe(true);
  await rowNamed(tab, "Commercial: Aurora Coffee").waitFor();
  await page.getByLabel("Status", { exact: true }).selectOption("");
  await page.getByLabel("Client").fill("Harbour Pictures");
  await expect.poll(() => rows(tab).count()).toBe(1);
  await rowNamed(tab, "Feature: The Lighthouse").waitFor();
  await page.getByLabel("Client").fill("");
  await page.getByLabel("Search").fill("night shift");
  await expect.poll(() => rows(tab).count()).toBe(1);
  await rowNamed(tab, "Series: Night Shift S2").waitFor();
  await page.getByLabel("Search").fill("");

  // Create: a code the server refuses first (its field error shows by the field).
  const code = uniqueCode("NV");
  await page.getByRole("button", { name: "New project" }).click();
  const form = page.locator("[data-testid=project-form]");
  await form.getByLabel("Name").fill("E2E: Nova");
  await form.getByLabel("Code").fill("not a code!");
  await form.getByLabel("Client").fill("Nova Films");
  await form.getByLabel("First day").fill(day(7));
  await form.getByLabel("Last day").fill(day(60));
  await form.getByLabel("Budget (artist-days)").fill("120");
  await form.getByRole("button", { name: "Create project" }).click();
  await form.locator(".field--invalid input[name=code]").waitFor();
  const reason = await form.locator("#pf-code-error").textContent();
  expect(reason?.trim().length).toBeGreaterThan(0);
  await shot(page, "41-project-form-field-error");
  expect(expectedRefusals(tab, 400) + expectedRefusals(tab, 422)).toBe(1); // Chromium logs the refused POST
  await form.getByLabel("Code").fill(code);
  await form.getByRole("button", { name: "Create project" }).click();
  await form.waitFor({ state: "detached" });
  await rowNamed(tab, "E2E: Nova").waitFor();

  const owner = await api(OWNER);
  const created = (await owner.call<{ data: RestProject[] }>("GET", `/projects?q=${code}`)).data;
  expect(created).toHaveLength(1);
  expect(created[0]).toMatchObject({ name: "E2E: Nova", code, client: "Nova Films", startDate: day(7), endDate: day(61), budgetDays: 120 });
  const id = created[0]!.id;

  // Edit: the name and the client.
  await page.getByRole("button", { name: "Edit E2E: Nova" }).click();
  await form.getByLabel("Name").fill("E2E: Nova Prime");
  await form.getByRole("button", { name: "Save" }).click();
  await form.waitFor({ state: "detached" });
  await rowNamed(tab, "E2E: Nova Prime").waitFor();
  expect((await owner.call<{ data: { project: RestProject } }>("GET", `/projects/${id}`)).data.project.name).toBe("E2E: Nova Prime");

  // The board's project filter lists it (the tenant view's projects, live).
  await goTo(page, "#/");
  await page.locator("[data-testid=board]").waitFor();
  await expect.poll(() => page.locator(".toolbar select option", { hasText: "E2E: Nova Prime" }).count()).toBe(1);
  // Renamed over REST elsewhere: the board's list follows without a reload.
  await owner.call("PATCH", `/projects/${id}`, { name: "E2E: Nova Renamed" });
  await expect.poll(() => page.locator(".toolbar select option", { hasText: "E2E: Nova Renamed" }).count(), { timeout: 3_000 }).toBe(1);

  // Archive, after a confirmation; it leaves the default list and the board's.
  await goTo(page, "#/projects");
  await page.getByRole("button", { name: "Archive E2E: Nova Renamed" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Archive E2E: Nova Renamed?" });
  await confirm.waitFor();
  await shot(page, "42-project-archive-confirm");
  await confirm.getByRole("button", { name: "Archive" }).click();
  await expect.poll(() => rowNamed(tab, "E2E: Nova Renamed").count()).toBe(0);
  expect((await owner.call<{ data: { project: RestProject } }>("GET", `/projects/${id}`)).data.project.status).toBe("archived");
  await page.getByLabel("Status", { exact: true }).selectOption("archived");
  await rowNamed(tab, "E2E: Nova Renamed").waitFor();

  expect(tab.problems).toEqual([]);
});

test("a freelancer sees projects but no edit controls", async () => {
  const t = await openTab(browser);
  await signIn(t.page, FREELANCER);
  await goTo(t.page, "#/projects");
  await t.page.getByRole("heading", { name: "Projects" }).waitFor();
  await t.page.locator("[data-testid=projects], .projects p.muted").first().waitFor();
  expect(await t.page.getByRole("button", { name: "New project" }).count()).toBe(0);
  expect(await t.page.getByRole("button", { name: /^(Edit|Archive) / }).count()).toBe(0);
  await shot(t.page, "43-projects-freelancer");
  // Their Gantt (if they are booked on a project) has no forms and no draggable edges.
  const first = t.page.locator("[data-testid=project-row] a").first();
  if ((await first.count()) > 0) {
    await first.click();
    await t.page.locator("[data-testid=gantt]").waitFor();
    expect(await t.page.locator("[data-testid=add-phase], [data-testid=add-dependency], .gantt-bar__edge").count()).toBe(0);
    expect(await t.page.getByRole("tab", { name: "Allocation" }).count()).toBe(0); // the report is owners' and managers'
  }
  expect(t.problems).toEqual([]);
  await t.context.close();
});
