// Notification settings in the browser, from the inbox: the freelancer opens
// the bell → Settings, turns off "By email" for a booking made for them and
// sets quiet hours on another zone's clock; Save sends only those changes
// and says "Saved."; after a reload the dialog shows the same choices and
// `GET /me/notification-preferences` agrees. Quiet hours that start and end
// at once are refused, the reason under "To". Escape closes the dialog and
// the bell has the focus back.

import { afterAll, expect, test } from "vitest";
import { api, shot, signedInTab } from "./helpers.js";
import { FREELANCER, expectedRefusals } from "./project-helpers.js";
import { audit, serious } from "./axe.js";

interface Prefs {
  kinds: Record<string, { inApp: boolean; email: boolean }>;
  quietHours: { start: string; end: string; timezone: string } | null;
}

const file = signedInTab(FREELANCER);

/** Everything on, no quiet hours: as the demo starts (and as this test leaves it). */
async function reset(): Promise<void> {
  const a = await api(FREELANCER);
  const { data } = await a.call<{ data: Prefs }>("GET", "/me/notification-preferences");
  const kinds = Object.fromEntries(Object.keys(data.kinds).map((k) => [k, { inApp: true, email: true }]));
  await a.call("PATCH", "/me/notification-preferences", { kinds, quietHours: null });
}

afterAll(reset);

async function openSettings(): Promise<void> {
  const { page } = file.tab;
  await page.locator("[data-testid=bell]").click();
  await page.locator("[data-testid=inbox] [data-testid=inbox-settings]").click();
  await page.locator("[data-testid=notification-settings] [data-testid=prefs-save]").waitFor();
}

test("email off for one kind and quiet hours: saved, shown again after a reload, and the API agrees", async () => {
  await reset();
  const { page, problems } = file.tab;
  await page.reload();
  await page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  await openSettings();
  const dialog = page.locator("[data-testid=notification-settings]");
  await dialog.getByRole("heading", { name: "Notification settings" }).waitFor();
  // The inbox closed; the focus is in the dialog.
  expect(await page.locator("[data-testid=inbox]").count()).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.closest("[data-testid=notification-settings]") !== null)).toBe(true);
  // Every kind has both checkboxes, on; quiet hours are off, offered on the browser's zone.
  for (const kind of ["bookingOffered", "bookingChanged", "holdChallenged", "queuePlaced"]) {
    expect(await dialog.locator(`[data-testid=pref-${kind}-inApp]`).isChecked()).toBe(true);
    expect(await dialog.locator(`[data-testid=pref-${kind}-email]`).isChecked()).toBe(true);
  }
  expect(await dialog.locator("tr[data-kind=bookingOffered] th").innerText()).toBe("A booking is made for you");
  expect(await dialog.locator("[data-testid=quiet-toggle]").isChecked()).toBe(false);
  expect(await dialog.locator("[data-testid=quiet-timezone]").inputValue()).toBe("UTC");
  expect(await dialog.locator("[data-testid=quiet-start]").isDisabled()).toBe(true);
  expect(await dialog.innerText()).toContain("only if this server is set up to send it");

  await dialog.locator("[data-testid=pref-bookingOffered-email]").uncheck();
  expect(await dialog.locator("[data-testid=pref-bookingOffered-outcome]").innerText()).toBe("In the inbox only");
  await dialog.locator("[data-testid=pref-holdReleased-inApp]").uncheck();
  expect(await dialog.locator("[data-testid=pref-holdReleased-outcome]").innerText()).toBe("By email; in the inbox as read");
  await dialog.locator("[data-testid=pref-holdReleased-inApp]").check();
  await dialog.locator("[data-testid=quiet-toggle]").check();
  await dialog.locator("[data-testid=quiet-start]").fill("21:30");
  await dialog.locator("[data-testid=quiet-end]").fill("06:45");
  await dialog.locator("[data-testid=quiet-timezone]").selectOption("Europe/Paris");
  expect(await dialog.innerText()).toContain("These span midnight");
  expect(serious(await audit(page, "notification settings"))).toEqual([]);
  await shot(page, "notification-settings");

  // Only what changed is sent.
  const patch = page.waitForRequest((r) => r.method() === "PATCH" && r.url().endsWith("/me/notification-preferences"));
  await dialog.locator("[data-testid=prefs-save]").click();
  expect((await patch).postDataJSON()).toEqual({ kinds: { bookingOffered: { email: false } }, quietHours: { start: "21:30", end: "06:45", timezone: "Europe/Paris" } });
  await expect.poll(() => dialog.locator("[data-testid=prefs-status]").innerText()).toBe("Saved.");

  const stored = (await (await api(FREELANCER)).call<{ data: Prefs }>("GET", "/me/notification-preferences")).data;
  expect(stored.kinds.bookingOffered).toEqual({ inApp: true, email: false });
  expect(stored.kinds.holdReleased).toEqual({ inApp: true, email: true });
  expect(stored.kinds.bookingChanged).toEqual({ inApp: true, email: true });
  expect(stored.quietHours).toEqual({ start: "21:30", end: "06:45", timezone: "Europe/Paris" });

  // After a reload the dialog shows what is stored.
  await page.reload();
  await page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  await openSettings();
  expect(await dialog.locator("[data-testid=pref-bookingOffered-email]").isChecked()).toBe(false);
  expect(await dialog.locator("[data-testid=pref-bookingOffered-inApp]").isChecked()).toBe(true);
  expect(await dialog.locator("[data-testid=pref-bookingChanged-email]").isChecked()).toBe(true);
  expect(await dialog.locator("[data-testid=quiet-toggle]").isChecked()).toBe(true);
  expect(await dialog.locator("[data-testid=quiet-start]").inputValue()).toBe("21:30");
  expect(await dialog.locator("[data-testid=quiet-end]").inputValue()).toBe("06:45");
  expect(await dialog.locator("[data-testid=quiet-timezone]").inputValue()).toBe("Europe/Paris");

  // Nothing changed: nothing sent.
  await dialog.locator("[data-testid=prefs-save]").click();
  await expect.poll(() => dialog.locator("[data-testid=prefs-status]").innerText()).toBe("Nothing changed.");

  // A refusal shows under its field, readable; nothing is stored.
  await dialog.locator("[data-testid=quiet-end]").fill("21:30");
  await dialog.locator("[data-testid=prefs-save]").click();
  const endError = dialog.locator("#quiet-end-error");
  await endError.waitFor();
  expect(await endError.innerText()).toBe("Not the same time as start.");
  expect(await dialog.locator("[data-testid=quiet-end]").getAttribute("aria-invalid")).toBe("true");
  expect(await dialog.locator("[data-testid=prefs-error]").innerText()).toBe("Check the marked fields.");
  expect(expectedRefusals(file.tab, 400)).toBe(1);
  expect((await (await api(FREELANCER)).call<{ data: Prefs }>("GET", "/me/notification-preferences")).data.quietHours?.end).toBe("06:45");

  // Escape closes it; the bell has the focus.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid)).toBe("bell");
  expect(problems).toEqual([]);
});
