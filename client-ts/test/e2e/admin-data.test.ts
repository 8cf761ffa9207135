// The Studio area's Import / export tab, as the owner. Exporting bookings
// with the artist filter downloads a CSV of that artist's bookings only.
// The owner's artists export has every artist. Importing: a file with a bad row is checked (dry run) and the report names
// its line, column and reason; "Import" stays disabled and nothing is
// written. A good file checks clean ("2 rows ready"), imports, and the
// bookings are there over REST.

import { readFile } from "node:fs/promises";
import { expect, test } from "vitest";
import { OWNER, api, artistId, bookingsOf, shot, signedInTab, us } from "./helpers.js";
import { openStudioTab } from "./admin-helpers.js";
import { audit, serious } from "./axe.js";

const file = signedInTab(OWNER);

const HEADER = "id,artist_id,artist_name,project_id,project_name,phase_id,phase_name,title,status,start_time,end_time,expires_at,notes,allow_overtime";
/** A bookings row for Ben Okafor (by name), far enough ahead to be free. */
const row = (title: string, status: string, start: string, end: string) => `,,Ben Okafor,,,,,${title},${status},${start},${end},,,`;

test("export bookings of one artist, and the artists, as CSV", async () => {
  const { page, problems } = file.tab;
  await openStudioTab(page, "data", "Import / export");
  const form = page.locator("[data-testid=export-form]");
  await form.getByLabel("Artist").selectOption({ label: "Ada Moreau" });
  const [download] = await Promise.all([page.waitForEvent("download"), form.getByRole("button", { name: "Export bookings CSV" }).click()]);
  expect(download.suggestedFilename()).toBe("bookings.csv");
  const csv = await readFile((await download.path())!, "utf8");
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe(HEADER);
  expect(lines.length).toBeGreaterThan(1);
  for (const line of lines.slice(1)) expect(line).toContain("Ada Moreau");
  expect(csv).not.toContain("Ben Okafor");
  const [artists] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export artists CSV" }).click()]);
  expect(artists.suggestedFilename()).toBe("artists.csv");
  const people = await readFile((await artists.path())!, "utf8");
  expect(people.split(/\r?\n/)[0]).toBe("id,name,email,skills,timezone,active");
  expect(people).toContain("Ada Moreau");
  expect(people).toContain("Ben Okafor");
  expect(problems).toEqual([]);
});

test("import: a bad row is reported by line and column and nothing is written; a good file imports", async () => {
  const { page, problems } = file.tab;
  const owner = await api(OWNER);
  const ben = await artistId(owner, "Ben Okafor");
  const from = us("2031-01-13T00:00:00Z");
  const to = us("2031-01-18T00:00:00Z");
  expect(await bookingsOf(owner, ben, from, to)).toEqual([]);

  await openStudioTab(page, "data", "Import / export");
  const form = page.locator("[data-testid=import-form]");
  await form.getByLabel("What to import").selectOption("bookings");
  const importButton = form.getByRole("button", { name: "Import", exact: true });
  const bad = [HEADER, row("E2E import one", "pencil", "2031-01-14T10:00:00Z", "2031-01-14T12:00:00Z"), row("E2E import two", "maybe", "2031-01-15T10:00:00Z", "2031-01-15T12:00:00Z")].join("\n");
  await form.getByLabel(/^CSV file/).setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad + "\n") });
  expect(await importButton.isDisabled()).toBe(true);
  await form.getByRole("button", { name: "Check" }).click();
  const report = page.locator("[data-testid=import-report]");
  await report.waitFor();
  const problem = report.locator("[data-testid=import-problem]");
  expect(await problem.count()).toBe(1);
  const cells = await problem.first().locator("td").allInnerTexts();
  expect(cells[0]).toBe("3");
  expect(cells[1]).toBe("status");
  expect(cells[2]).not.toBe("");
  expect(await importButton.isDisabled()).toBe(true);
  await shot(page, "76-import-report");
  expect(serious(await audit(page, "data tab, import report"))).toEqual([]);
  expect(await bookingsOf(owner, ben, from, to)).toEqual([]);

  const good = [HEADER, row("E2E import one", "pencil", "2031-01-14T10:00:00Z", "2031-01-14T12:00:00Z"), row("E2E import two", "confirmed", "2031-01-15T10:00:00Z", "2031-01-15T12:00:00Z")].join("\n");
  await form.getByLabel(/^CSV file/).setInputFiles({ name: "good.csv", mimeType: "text/csv", buffer: Buffer.from(good + "\n") });
  expect(await importButton.isDisabled()).toBe(true);
  await form.getByRole("button", { name: "Check" }).click();
  const result = page.locator("[data-testid=import-result]");
  await expect.poll(() => result.innerText()).toBe("2 rows ready to import.");
  expect(await bookingsOf(owner, ben, from, to)).toEqual([]);
  await importButton.click();
  await expect.poll(() => result.innerText()).toBe("Imported 2 rows.");
  const made = await bookingsOf(owner, ben, from, to);
  expect(made.map((b) => [b.title, b.status]).sort()).toEqual([
    ["E2E import one", "pencil"],
    ["E2E import two", "confirmed"],
  ]);
  expect(await importButton.isDisabled()).toBe(true);
  await shot(page, "77-import-done");
  expect(problems).toEqual([]);
});
