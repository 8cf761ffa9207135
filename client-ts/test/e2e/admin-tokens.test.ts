// The Studio area's API tokens tab, and who sees which tabs. The owner
// creates a token (its `pt_…` secret shown once, with Copy), the API takes
// it; they revoke it after a confirmation and the API refuses it (401). A
// manager sees the feeds and data tabs but not settings or tokens (opening
// them by hash says so); a freelancer has no Studio area at all.

import { expect, test } from "vitest";
import { MANAGER, OWNER, baseUrl, openTab, shot, signIn, signedInTab } from "./helpers.js";
import { FREELANCER, openStudioTab } from "./admin-helpers.js";
import { audit, serious } from "./axe.js";

const file = signedInTab(OWNER);

async function artistsWith(token: string): Promise<number> {
  const res = await fetch(`${baseUrl()}/api/v1/artists`, { headers: { authorization: `Bearer ${token}` } });
  return res.status;
}

test("create a token (shown once), use it, revoke it: the API refuses it", async () => {
  const { page, problems } = file.tab;
  await openStudioTab(page, "tokens", "API tokens");
  const form = page.locator("[data-testid=token-form]");
  await form.getByLabel("Token name").fill("E2E sync");
  await form.getByLabel("Role").selectOption("studio_manager");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = page.locator("[data-testid=secret-value]");
  await secret.waitFor();
  const token = await secret.inputValue();
  expect(token).toMatch(/^pt_/);
  expect(await page.locator("[data-testid=secret-once]").innerText()).toContain("it will not be shown again");
  await page.getByRole("button", { name: "Copy" }).waitFor();
  const row = page.locator("[data-testid=token]", { hasText: "E2E sync" });
  await row.waitFor();
  expect(await row.getAttribute("data-state")).toBe("active");
  expect(await row.innerText()).toContain("Manager");
  expect(await row.innerText()).toContain(token.slice(0, 7));
  expect(await row.innerText()).not.toContain(token);
  await shot(page, "73-token-created");
  expect(serious(await audit(page, "tokens tab, secret shown"))).toEqual([]);
  expect(await artistsWith(token)).toBe(200);

  // Done forgets the secret; the list never shows it.
  await page.getByRole("button", { name: "Done" }).click();
  expect(await secret.count()).toBe(0);

  await row.getByRole("button", { name: "Revoke E2E sync" }).click();
  const confirm = page.locator("[data-testid=confirm]");
  await confirm.waitFor();
  expect(await confirm.innerText()).toContain("Revoke E2E sync?");
  await confirm.getByRole("button", { name: "Revoke" }).click();
  await expect.poll(() => row.getAttribute("data-state")).toBe("revoked");
  expect(await row.getByRole("button", { name: "Revoke E2E sync" }).count()).toBe(0);
  expect(await artistsWith(token)).toBe(401);
  expect(problems).toEqual([]);
});

test("a manager sees feeds and data but not settings or tokens; a freelancer has no Studio area", async () => {
  const manager = await openTab(file.browser);
  await signIn(manager.page, MANAGER);
  await manager.page.locator("header").getByRole("link", { name: "Studio", exact: true }).click();
  const tabs = manager.page.getByRole("navigation", { name: "Studio sections" });
  await tabs.getByRole("link", { name: "Calendar feeds" }).waitFor();
  const labels = await tabs.getByRole("link").allInnerTexts();
  expect(labels).toContain("Import / export");
  expect(labels).not.toContain("Settings");
  expect(labels).not.toContain("API tokens");
  await openStudioTab(manager.page, "data", "Import / export");
  expect(await manager.page.getByRole("button", { name: "Export artists CSV" }).count()).toBe(0);
  await manager.page.evaluate(() => {
    location.hash = "#/studio/settings";
  });
  await manager.page.locator("[data-testid=studio-denied]").waitFor();
  expect(await manager.page.getByRole("heading", { name: "Settings", exact: true }).count()).toBe(0);
  await shot(manager.page, "74-studio-manager");
  expect(manager.problems).toEqual([]);
  await manager.context.close();

  const freelancer = await openTab(file.browser);
  await signIn(freelancer.page, FREELANCER);
  expect(await freelancer.page.getByRole("link", { name: "Studio", exact: true }).count()).toBe(0);
  await freelancer.page.evaluate(() => {
    location.hash = "#/studio/tokens";
  });
  await freelancer.page.locator("[data-testid=studio-denied]").waitFor();
  expect(await freelancer.page.getByRole("heading", { name: "API tokens" }).count()).toBe(0);
  await freelancer.context.close();
});
