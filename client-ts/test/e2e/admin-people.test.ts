// The Studio admin area's people tabs, as an owner: an artist created (a bad
// time zone refused by its field first), edited, made inactive (hidden until
// "Show inactive"), archived; a member's role and artist changed, demoting
// yourself refused readably, a member removed; an invitation created, its
// link copied, opened in a fresh browser and accepted (signed in, and gone
// from the list), another revoked (its link then refused like an unknown one). As a manager and
// a freelancer: no people tabs, "not available for your role" at
// `#/studio/members`, and the server's 403 for the same calls from the page.

import type { Page } from "playwright-core";
import { expect, test } from "vitest";
import { audit, serious } from "./axe.js";
import { MANAGER, OWNER, baseUrl, openTab, shot, signIn, signedInTab, tokenOf, waitFor, withToken, type Api } from "./helpers.js";

const FREELANCER = "freelancer@demo.studio";
/** A password the server's rules take (12+ characters, 5 different, not common). */
const NEW_PASSWORD = "amber-fjord-lantern-42";

const file = signedInTab(OWNER);

/** Opens a Studio tab the way a person does: the header's Studio link (under the name on the board, in the page links elsewhere), then the tab. */
async function openStudioTab(page: Page, label: string): Promise<void> {
  await page.locator("header").getByRole("link", { name: "Studio", exact: true }).click();
  await page.getByRole("navigation", { name: "Studio sections" }).getByRole("link", { name: label }).click();
  await page.getByRole("heading", { level: 2, name: label }).waitFor();
}

/** A REST call made from the page with its own session's token: the answer's status. */
async function statusFromPage(page: Page, method: string, path: string, body?: unknown): Promise<number> {
  return page.evaluate(
    async ([m, p, b]) => {
      const token = (JSON.parse(sessionStorage.getItem("pt.session") ?? "{}") as { accessToken?: string }).accessToken ?? "";
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (b !== undefined) headers["content-type"] = "application/json";
      const r = await fetch(`/api/v1${p}`, { method: m, headers, ...(b !== undefined ? { body: JSON.stringify(b) } : {}) });
      return r.status;
    },
    [method, path, body] as const,
  );
}

/** REST as the owner with the file's tab's own session: no extra sign-in (sign-ins are rate-limited for the whole run). */
async function ownerApi(): Promise<Api> {
  return withToken(await tokenOf(file.tab.page));
}

async function acceptOverRest(token: string, displayName: string): Promise<Response> {
  return fetch(`${baseUrl()}/api/v1/auth/accept-invitation`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, password: NEW_PASSWORD, displayName }),
  });
}

/**
 * The page's problems since `from` (the tab is shared by the file's tests),
 * but the browser's notes of the refusals a test provokes (`statuses`).
 */
function unexpected(problems: string[], from: number, ...statuses: number[]): string[] {
  return problems.slice(from).filter((p) => !statuses.some((s) => p.includes(`Failed to load resource: the server responded with a status of ${s} `)));
}

interface RestMember {
  user: { id: string; email: string };
  role: string;
  artistId: string | null;
}

test("artists: create (a bad time zone refused by its field), edit, inactive behind the toggle, archive", async () => {
  const { page, problems } = file.tab;
  const seen = problems.length;
  const owner = await ownerApi();
  await openStudioTab(page, "Artists");
  expect(page.url()).toMatch(/#\/studio\/artists$/);
  await page.locator("[data-testid=artist-row]", { hasText: "Ada Moreau" }).waitFor();

  await page.getByRole("button", { name: "New artist" }).click();
  const form = page.getByRole("dialog", { name: "New artist" });
  await form.getByLabel("Name").fill("Zora E2E");
  await form.getByLabel("Email").fill("zora@e2e.test");
  await form.getByLabel("Skills").fill("Lighting, comp");
  await form.getByLabel("Time zone").fill("Mars/Olympus");
  await form.getByRole("button", { name: "Create artist" }).click();
  const tzError = form.locator(".field--invalid", { hasText: "Time zone" }).getByRole("alert");
  await expect.poll(() => tzError.innerText()).toContain("IANA time zone");
  expect(await form.getByLabel("Time zone").getAttribute("aria-invalid")).toBe("true");
  await shot(page, "studio-01-artist-refused");
  await form.getByLabel("Time zone").fill("Europe/Berlin");
  await form.getByRole("button", { name: "Create artist" }).click();
  await form.waitFor({ state: "detached" });
  const row = page.locator("[data-testid=artist-row]", { hasText: "Zora E2E" });
  await row.waitFor();
  expect(await row.innerText()).toMatch(/zora@e2e\.test\s+lighting, comp\s+Europe\/Berlin\s+Active/);
  const id = (await row.getAttribute("data-id"))!;
  const stored = (await owner.call<{ data: { skills: string[]; timezone: string } }>("GET", `/artists/${id}`)).data;
  expect(stored).toMatchObject({ skills: ["lighting", "comp"], timezone: "Europe/Berlin" });

  // Edit: new skills, no email, inactive — hidden until "Show inactive".
  await row.getByRole("button", { name: "Edit Zora E2E" }).click();
  const edit = page.getByRole("dialog", { name: "Edit Zora E2E" });
  await edit.getByLabel("Skills").fill("lighting, houdini");
  await edit.getByLabel("Email").fill("");
  await edit.getByLabel("Active (can be booked)").uncheck();
  await edit.getByRole("button", { name: "Save" }).click();
  await edit.waitFor({ state: "detached" });
  await row.waitFor({ state: "detached" });
  await page.getByLabel(/Show inactive/).check();
  await expect.poll(() => row.innerText()).toMatch(/—\s+lighting, houdini\s+Europe\/Berlin\s+Inactive/);
  const edited = (await owner.call<{ data: { email: string | null; active: boolean; version: number } }>("GET", `/artists/${id}`)).data;
  expect(edited).toMatchObject({ email: null, active: false, version: 2 });
  expect(serious(await audit(page, "studio artists"))).toEqual([]);
  await shot(page, "studio-02-artists");

  // Archive, after a confirmation whose safe button has the focus.
  await row.getByRole("button", { name: "Archive Zora E2E" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Archive Zora E2E?" });
  expect(await confirm.getByRole("button", { name: "Keep it" }).evaluate((b) => b === document.activeElement)).toBe(true);
  await confirm.getByRole("button", { name: "Archive" }).click();
  await row.waitFor({ state: "detached" });
  await expect(owner.call("GET", `/artists/${id}`)).rejects.toThrow(/404/);
  expect(unexpected(problems, seen, 400)).toEqual([]); // the bad time zone
});

test("members: a role and a freelancer's artist changed, demoting yourself refused, a member removed", async () => {
  const { page, problems } = file.tab;
  const seen = problems.length;
  const owner = await ownerApi();
  // A member to change: invited and accepted over REST.
  const email = "mia.member@e2e.test";
  const inv = (await owner.call<{ data: { token: string } }>("POST", "/studio/invitations", { email, role: "studio_manager" })).data;
  expect((await acceptOverRest(inv.token, "Mia Member")).status).toBe(200);

  await openStudioTab(page, "Members");
  const row = page.locator(`[data-testid=member-row][data-email="${email}"]`);
  await row.waitFor();
  expect(await row.getAttribute("data-role")).toBe("studio_manager");
  expect(await row.getByLabel("Artist of Mia Member").count()).toBe(0); // only freelancers link an artist

  // Role and artist chosen first, then saved together (one PATCH).
  await row.getByLabel("Role of Mia Member").selectOption("freelancer");
  expect(await row.getAttribute("data-role")).toBe("studio_manager"); // nothing sent yet
  await row.getByLabel("Artist of Mia Member").selectOption({ label: "Ben Okafor" });
  await row.getByRole("button", { name: "Save changes to Mia Member" }).click();
  await expect.poll(() => row.getAttribute("data-role")).toBe("freelancer");
  await page.getByRole("status").filter({ hasText: "Saved: Mia Member is Freelancer, linked to Ben Okafor." }).waitFor();
  const members = (await owner.call<{ data: RestMember[] }>("GET", "/studio/members")).data;
  const mia = members.find((m) => m.user.email === email)!;
  const ben = (await owner.call<{ data: { id: string; name: string }[] }>("GET", "/artists?limit=1000")).data.find((a) => a.name === "Ben Okafor")!;
  expect(mia).toMatchObject({ role: "freelancer", artistId: ben.id });

  // Demoting yourself: the server refuses, the row says why, nothing changes; Cancel puts the row back.
  const me = page.locator(`[data-testid=member-row][data-email="${OWNER}"]`);
  await me.getByLabel("Role of Olivia Owner").selectOption("studio_manager");
  await me.getByRole("button", { name: "Save changes to Olivia Owner" }).click();
  await expect.poll(() => me.getByRole("alert").innerText()).toContain("You cannot demote yourself");
  expect(await me.getAttribute("data-role")).toBe("studio_owner");
  expect(serious(await audit(page, "studio members"))).toEqual([]);
  await shot(page, "studio-03-members");
  await me.getByRole("button", { name: "Cancel changes to Olivia Owner" }).click();
  expect(await me.getByLabel("Role of Olivia Owner").inputValue()).toBe("studio_owner");

  // Remove, after a confirmation.
  await row.getByRole("button", { name: "Remove Mia Member" }).click();
  const confirm = page.getByRole("alertdialog", { name: "Remove Mia Member?" });
  await confirm.getByRole("button", { name: "Remove" }).click();
  await confirm.waitFor({ state: "detached" });
  await row.waitFor({ state: "detached" });
  const after = (await owner.call<{ data: RestMember[] }>("GET", "/studio/members")).data;
  expect(after.some((m) => m.user.email === email)).toBe(false);
  expect(unexpected(problems, seen, 422)).toEqual([]); // demoting yourself
});

test("invitations: created, link copied, accepted in a fresh browser (signed in, gone from the list); another revoked", async () => {
  const { page, context, problems } = file.tab;
  const seen = problems.length;
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl() });
  await openStudioTab(page, "Invitations");
  const form = page.getByRole("form", { name: "Invite someone" });

  // A freelancer needs their artist: the form asks for it.
  await form.getByLabel("Role").selectOption("freelancer");
  await form.getByLabel("Artist").waitFor();
  await form.getByLabel("Role").selectOption("studio_manager");
  expect(await form.getByLabel("Artist").count()).toBe(0);

  const email = "nina.new@e2e.test";
  await form.getByLabel("Email").fill(email);
  await form.getByRole("button", { name: "Create invitation" }).click();
  const box = page.getByRole("region", { name: `Invitation for ${email}` });
  const link = await box.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(new RegExp(`^${baseUrl()}/#/invitation\\?token=inv_[A-Za-z0-9_-]+$`));
  await box.getByRole("button", { name: "Copy" }).click();
  await box.getByRole("status").filter({ hasText: "Copied" }).waitFor();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const row = page.locator(`[data-testid=invitation-row][data-email="${email}"]`);
  await row.waitFor();
  expect(await row.getAttribute("data-expired")).toBe("false");
  expect(await row.innerText()).toContain("Manager");
  expect(serious(await audit(page, "studio invitations"))).toEqual([]);
  await shot(page, "studio-04-invitation-created");

  // The invitee, in a fresh browser context (not signed in): the accept form, a weak password refused, then in.
  const guest = await openTab(file.browser);
  await guest.page.goto(link);
  const accept = guest.page.getByRole("form", { name: "Join the studio" });
  await accept.getByLabel("Your name").fill("Nina New");
  await accept.getByLabel("Password").fill("short");
  await accept.getByRole("button", { name: "Accept and sign in" }).click();
  await expect.poll(() => accept.getByRole("alert").innerText()).toMatch(/^Password must|^[A-Z].*12/);
  expect(serious(await audit(guest.page, "accept invitation"))).toEqual([]);
  await shot(guest.page, "studio-05-accept-refused");
  await accept.getByLabel("Password").fill(NEW_PASSWORD);
  await accept.getByRole("button", { name: "Accept and sign in" }).click();
  await guest.page.locator("[data-testid=board]").waitFor();
  await guest.page.locator("[data-testid=conn]", { hasText: "Live" }).waitFor();
  expect(guest.page.url()).toMatch(/#\/$/);
  await guest.page.locator("[data-name='Nina New']").first().waitFor();
  expect(unexpected(guest.problems, 0, 400)).toEqual([]); // the weak password
  await guest.context.close();

  // Accepted: gone from the owner's list (read again on opening the tab).
  await openStudioTab(page, "Members");
  await page.locator(`[data-testid=member-row][data-email="${email}"]`).waitFor();
  await openStudioTab(page, "Invitations");
  await page.getByRole("heading", { name: "Waiting to be accepted" }).waitFor();
  await waitFor("the accepted invitation to leave the list", async () => (await row.count()) === 0 && (await page.getByText("Loading…").count()) === 0);

  // Another, revoked: gone from the list, and its link no longer works.
  const owner = await ownerApi();
  const other = (await owner.call<{ data: { token: string } }>("POST", "/studio/invitations", { email: "otto.other@e2e.test", role: "studio_manager" })).data;
  await openStudioTab(page, "Members");
  await openStudioTab(page, "Invitations");
  const otherRow = page.locator(`[data-testid=invitation-row][data-email="otto.other@e2e.test"]`);
  await otherRow.getByRole("button", { name: "Revoke the invitation for otto.other@e2e.test" }).click();
  await page.getByRole("alertdialog", { name: "Revoke the invitation for otto.other@e2e.test?" }).getByRole("button", { name: "Revoke" }).click();
  await otherRow.waitFor({ state: "detached" });
  expect((await acceptOverRest(other.token, "Otto Other")).status).toBe(404); // like an unknown token
  expect(unexpected(problems, seen)).toEqual([]);
});

for (const [who, email] of [
  ["a manager", MANAGER],
  ["a freelancer", FREELANCER],
] as const) {
  test(`${who}: no people tabs, "not available for your role" at #/studio/members, and the server refuses (403)`, async () => {
    const tab = await openTab(file.browser);
    const { page } = tab;
    await signIn(page, email);
    const nav = page.getByRole("navigation", { name: "Pages" });
    await nav.getByRole("link", { name: "Board" }).waitFor();
    if (email === FREELANCER) expect(await page.getByRole("link", { name: "Studio", exact: true }).count()).toBe(0);
    await page.goto(`${baseUrl()}/#/studio/members`);
    const denied = page.locator("[data-testid=studio-denied]");
    await expect.poll(() => denied.innerText()).toBe("This part of the Studio area is not available for your role.");
    for (const label of ["Artists", "Members", "Invitations"]) expect(await page.getByRole("link", { name: label, exact: true }).count()).toBe(0);
    expect(await page.locator("[data-testid=studio-members]").count()).toBe(0);
    await shot(page, `studio-06-denied-${email.split("@")[0]}`);

    expect(tab.problems).toEqual([]); // the page itself called nothing it may not
    const ownerId = (await (await ownerApi()).call<{ data: RestMember[] }>("GET", "/studio/members")).data.find((m) => m.user.email === OWNER)!.user.id;
    expect(await statusFromPage(page, "GET", "/studio/members")).toBe(403);
    expect(await statusFromPage(page, "PATCH", `/studio/members/${ownerId}`, { role: "freelancer" })).toBe(403);
    expect(await statusFromPage(page, "DELETE", `/studio/members/${ownerId}`)).toBe(403);
    expect(await statusFromPage(page, "GET", "/studio/invitations")).toBe(403);
    expect(await statusFromPage(page, "POST", "/studio/invitations", { email: "x@e2e.test", role: "studio_manager" })).toBe(403);
    expect(await statusFromPage(page, "POST", "/artists", { name: "Not allowed", skills: [] })).toBe(403);
    expect(unexpected(tab.problems, 0, 403)).toEqual([]); // the fetches above
    await tab.context.close();
  });
}
