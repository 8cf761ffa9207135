// Studio → Webhooks in the browser, against a receiver this test runs
// (node:http on 127.0.0.1; the e2e server allows loopback receivers and gives
// up after 3 tries, 300 ms apart at first: global-setup.ts). The owner
// subscribes it to bookingCreated and sees the signing secret once; a booking
// made over the API is delivered, refused (500) three times and shows in the
// log as a dead letter with its tries; the receiver then answers 200 and
// Redeliver makes it "sent". The call's X-PT-Signature checks out with the
// secret shown (HMAC-SHA256 of "<t>.<raw body>"). Deleting the subscription
// keeps its log, without Redeliver. A manager has no Webhooks tab.

import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, test } from "vitest";
import { DAY_US, HOUR_US, MANAGER, OWNER, api, artistId, book, mondayUtc, openTab, shot, signIn, signedInTab } from "./helpers.js";
import { openStudioTab } from "./admin-helpers.js";
import { audit, serious } from "./axe.js";

interface Call {
  headers: IncomingHttpHeaders;
  body: string;
}

/** The receiver: every call kept, answered with `status`. */
const receiver = { status: 500, calls: [] as Call[], url: "" };
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(receiver.status, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/e2e`;
});

afterAll(async () => {
  await new Promise((r) => server?.close(r));
});

const file = signedInTab(OWNER);

/** Whether `header` (`t=<unix>,v1=<hex>`) signs `body` with `secret`, at most 5 minutes ago. */
function signed(header: string, body: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

test("subscribe, a booking is refused into a dead letter, redeliver it once the receiver answers: signed with the secret shown", async () => {
  const { page, problems } = file.tab;
  await openStudioTab(page, "webhooks", "Webhooks");
  const tab = page.locator("[data-testid=webhooks-tab]");

  // Subscribe: the URL and one event kind.
  await tab.locator("[data-testid=webhook-url]").fill(receiver.url);
  await tab.locator("[data-testid=event-bookingCreated]").check();
  await tab.locator("[data-testid=webhook-create]").click();
  const secretField = page.locator("[data-testid=secret-value]");
  await secretField.waitFor();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^whsec_[0-9a-f]+$/);
  expect(await page.locator("[data-testid=secret-once]").innerText()).toContain("it will not be shown again");
  const row = tab.locator("[data-testid=webhook-row]", { hasText: receiver.url });
  await row.waitFor();
  expect(await row.getAttribute("data-state")).toBe("active");
  expect(await row.innerText()).toContain("Bookings: Made");
  expect(await row.innerText()).not.toContain(secret);
  await tab.getByText("How to verify a call").click();
  expect(await tab.locator("[data-testid=webhook-verify]").innerText()).toContain("X-PT-Signature");
  expect(serious(await audit(page, "webhooks tab, secret shown"))).toEqual([]);
  await shot(page, "webhooks-created");
  await page.getByRole("button", { name: "Done" }).click();
  expect(await secretField.count()).toBe(0);
  const hookId = (await row.getAttribute("data-id"))!;

  // A booking made over the API is delivered; the receiver refuses it each time.
  const owner = await api(OWNER);
  const thu = mondayUtc(46) + 3 * DAY_US;
  const booking = await book(owner, await artistId(owner, "Chiara Rossi"), "E2E: webhook booking", "pencil", thu + 9 * HOUR_US, thu + 12 * HOUR_US);
  let deliveryId = "";
  await expect
    .poll(async () => {
      const list = await owner.call<{ data: { id: string; payload: { event: { event: { type: string; booking?: { id: string } } } } }[] }>("GET", `/webhooks/${hookId}/deliveries`);
      deliveryId = list.data.find((d) => d.payload.event.event.booking?.id === booking.id)?.id ?? "";
      return deliveryId;
    })
    .not.toBe("");

  // The log: three refused tries, then a dead letter.
  await row.getByRole("button", { name: /^Deliveries/ }).click();
  const log = tab.locator("[data-testid=webhook-deliveries]");
  await log.waitFor();
  const delivery = log.locator(`[data-testid=delivery-row][data-id="${deliveryId}"]`);
  const status = async () => ((await delivery.count()) === 0 ? undefined : delivery.getAttribute("data-status"));
  await expect
    .poll(
      async () => {
        if ((await status()) !== "dead") await log.locator("[data-testid=deliveries-refresh]").click();
        return status();
      },
      { timeout: 15_000, interval: 300 },
    )
    .toBe("dead");
  expect(await delivery.innerText()).toContain("Dead letter");
  expect(await delivery.innerText()).toContain("Gave up after 3 tries.");
  const tries = delivery.locator("[data-testid=delivery-tries] li");
  expect(await tries.count()).toBe(3);
  for (const t of await tries.allInnerTexts()) expect(t).toContain("HTTP 500");
  const refused = receiver.calls.filter((c) => c.headers["x-pt-delivery"] === deliveryId);
  expect(refused).toHaveLength(3);
  expect(serious(await audit(page, "webhooks tab, delivery log"))).toEqual([]);
  await log.scrollIntoViewIfNeeded();
  await shot(page, "webhooks-dead-letter");

  // The receiver recovers; Redeliver sends it again, and it is sent.
  receiver.status = 200;
  await delivery.locator("[data-testid=redeliver]").click();
  await expect.poll(() => delivery.getAttribute("data-status"), { timeout: 10_000 }).toBe("sent");
  expect(await tries.count()).toBe(4);
  expect(await tries.nth(3).innerText()).toContain("HTTP 200");
  const calls = receiver.calls.filter((c) => c.headers["x-pt-delivery"] === deliveryId);
  expect(calls).toHaveLength(4);

  // The call: signed with the secret shown, carrying the booking.
  const last = calls.at(-1)!;
  expect(signed(String(last.headers["x-pt-signature"]), last.body, secret)).toBe(true);
  expect(signed(String(last.headers["x-pt-signature"]), `${last.body} `, secret)).toBe(false);
  const payload = JSON.parse(last.body) as { deliveryId: string; webhookId: string; event: { event: { type: string; booking: { id: string } } } };
  expect(payload.deliveryId).toBe(deliveryId);
  expect(payload.webhookId).toBe(hookId);
  expect(payload.event.event.type).toBe("bookingCreated");
  expect(payload.event.event.booking.id).toBe(booking.id);

  // Deleted: the log stays, without Redeliver.
  await row.getByRole("button", { name: /^Delete/ }).click();
  const confirm = page.locator("[data-testid=confirm]");
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect.poll(() => row.getAttribute("data-state")).toBe("deleted");
  expect(await row.innerText()).toContain("Deleted");
  await expect.poll(() => delivery.locator("[data-testid=redeliver]").count()).toBe(0);
  expect(await delivery.getAttribute("data-status")).toBe("sent");
  const hooks = await owner.call<{ data: { id: string; deletedAt: string | null }[] }>("GET", "/webhooks");
  expect(hooks.data.find((h) => h.id === hookId)?.deletedAt).not.toBeNull();
  expect(problems).toEqual([]);
});

test("a manager has no Webhooks tab, and the API refuses them", async () => {
  const manager = await openTab(file.browser);
  await signIn(manager.page, MANAGER);
  await manager.page.locator("header").getByRole("link", { name: "Studio", exact: true }).click();
  const tabs = manager.page.getByRole("navigation", { name: "Studio sections" });
  await tabs.getByRole("link", { name: "Calendar feeds" }).waitFor();
  expect(await tabs.getByRole("link").allInnerTexts()).not.toContain("Webhooks");
  await manager.page.evaluate(() => {
    location.hash = "#/studio/webhooks";
  });
  await manager.page.locator("[data-testid=studio-denied]").waitFor();
  expect(await manager.page.locator("[data-testid=webhooks-tab]").count()).toBe(0);
  await expect((await api(MANAGER)).call("GET", "/webhooks")).rejects.toThrow(/403/);
  expect(manager.problems).toEqual([]);
  await manager.context.close();
});
