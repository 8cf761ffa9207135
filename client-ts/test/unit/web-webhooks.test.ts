// The Webhooks tab's pure parts: the event kinds grouped (all 24, once
// each), a group's checkbox (all, some, none) and what it toggles, the kinds
// sent in order, a subscription's events said per group; a delivery's status,
// tries and event as the log shows them, and which may be redelivered.

import { describe, expect, test } from "vitest";
import { eventType, mayRedeliver, statusDetail, statusText, tryOk, tryText } from "../../web/src/admin/deliveries.js";
import { mayManageWebhooks } from "../../web/src/admin/roles.js";
import { Delivery } from "../../web/src/admin/studioSchemas.js";
import { EVENT_GROUPS, EVENT_KINDS, eventsText, groupState, orderedKinds, toggleGroup, toggleKind } from "../../web/src/admin/webhookEvents.js";
import { formatExact } from "../../web/src/admin/when.js";
import type { Session } from "../../web/src/auth.js";

const bookings = EVENT_GROUPS.find((g) => g.name === "Bookings")!;

describe("event kinds", () => {
  test("all 24 of the API's kinds, each in one group", () => {
    expect(EVENT_KINDS).toHaveLength(24);
    expect(new Set(EVENT_KINDS).size).toBe(24);
    expect(EVENT_GROUPS.map((g) => g.name)).toEqual(["Artists", "Time off", "Bookings", "Projects", "Notifications"]);
    for (const k of ["artistArchived", "timeOffDecided", "bookingStatusChanged", "dependencyRemoved", "milestoneDeleted", "notificationsRead"]) expect(EVENT_KINDS).toContain(k);
  });

  test("a group's checkbox: all, some or none; toggling chooses all of it, or none once all were", () => {
    let chosen: Set<string> = new Set();
    expect(groupState(chosen, bookings)).toBe("none");
    chosen = toggleKind(chosen, "bookingMoved");
    expect(groupState(chosen, bookings)).toBe("some");
    chosen = toggleGroup(chosen, bookings);
    expect(groupState(chosen, bookings)).toBe("all");
    expect(chosen.size).toBe(5);
    chosen = toggleKind(toggleGroup(chosen, bookings), "artistCreated");
    expect([...chosen]).toEqual(["artistCreated"]);
    expect(toggleKind(chosen, "artistCreated").size).toBe(0);
  });

  test("sent in the groups' order", () => {
    expect(orderedKinds(new Set(["notificationsRead", "bookingCreated", "artistUpdated"]))).toEqual(["artistUpdated", "bookingCreated", "notificationsRead"]);
  });

  test("a subscription's events per group: whole groups as 'all', others by name, unknown ones last", () => {
    expect(eventsText(["bookingCreated"])).toEqual(["Bookings: Made"]);
    expect(eventsText([...bookings.events.map((e) => e.kind), "artistCreated", "artistArchived", "laterKind"])).toEqual(["Artists: Added, Archived", "Bookings: all", "Other: laterKind"]);
    expect(eventsText([])).toEqual([]);
  });
});

describe("deliveries", () => {
  const when = (s: string) => `<${s}>`;
  test("statuses in words; a dead one is a dead letter", () => {
    expect(statusText("dead")).toBe("Dead letter");
    expect(statusText("sent")).toBe("Sent");
    expect(statusText("pending")).toBe("Pending");
    expect(statusText("skipped")).toBe("Skipped");
    expect(statusText("later")).toBe("later");
    expect(statusDetail({ status: "dead", attempts: 3, nextAt: "T" }, when)).toBe("Gave up after 3 tries.");
    expect(statusDetail({ status: "pending", attempts: 0, nextAt: "T" }, when)).toBe("First try at <T>.");
    expect(statusDetail({ status: "pending", attempts: 1, nextAt: "T" }, when)).toBe("1 try so far; next at <T>.");
    expect(statusDetail({ status: "sent", attempts: 4, nextAt: "T" }, when)).toBe("Delivered (4 tries).");
  });

  test("a try: the HTTP status (its error only when it says more), or why there was no answer", () => {
    expect(tryText({ statusCode: 500, error: "answered 500" })).toBe("HTTP 500");
    expect(tryText({ statusCode: 200, error: null })).toBe("HTTP 200");
    expect(tryText({ statusCode: 410, error: "gone for good" })).toBe("HTTP 410 (gone for good)");
    expect(tryText({ statusCode: null, error: "connection refused" })).toBe("No answer: connection refused");
    expect(tryText({ statusCode: null, error: null })).toBe("No answer");
    expect(tryOk({ statusCode: 204 })).toBe(true);
    expect(tryOk({ statusCode: 302 })).toBe(false);
    expect(tryOk({ statusCode: null })).toBe(false);
  });

  test("tries' times to the second; text that is not a time as it is", () => {
    expect(formatExact("2026-12-04T10:51:11.500Z")).toMatch(/51.11/);
    expect(formatExact("soon")).toBe("soon");
  });

  test("the event's type from the payload; redeliver a dead or sent one of a live subscription", () => {
    expect(eventType({ deliveryId: "d", webhookId: "w", event: { seq: 3, event: { type: "bookingCreated" } } })).toBe("bookingCreated");
    expect(eventType(null)).toBeUndefined();
    expect(eventType({ event: { event: { type: 7 } } })).toBeUndefined();
    expect(mayRedeliver({ status: "dead" }, false)).toBe(true);
    expect(mayRedeliver({ status: "sent" }, false)).toBe(true);
    expect(mayRedeliver({ status: "pending" }, false)).toBe(false);
    expect(mayRedeliver({ status: "skipped" }, false)).toBe(false);
    expect(mayRedeliver({ status: "dead" }, true)).toBe(false);
  });

  test("the schema reads a delivery as the server sends it", () => {
    const d = {
      id: "01a2",
      seq: 137,
      status: "dead",
      attempts: 3,
      nextAt: "2026-12-04T10:51:12.760690Z",
      lastError: "answered 500",
      createdAt: "2026-12-04T10:51:11.499311Z",
      sentAt: null,
      payload: { deliveryId: "01a2", webhookId: "w", event: { seq: 137, event: { type: "bookingCreated" } } },
      tries: [{ attempt: 1, at: "2026-12-04T10:51:11.500705Z", statusCode: 500, error: "answered 500" }],
    };
    expect(Delivery.parse(d)).toEqual(d);
  });
});

test("only owners manage webhooks", () => {
  const as = (role: string) => ({ role }) as Session;
  expect(mayManageWebhooks(as("studio_owner"))).toBe(true);
  expect(mayManageWebhooks(as("studio_manager"))).toBe(false);
  expect(mayManageWebhooks(as("freelancer"))).toBe(false);
  expect(mayManageWebhooks(undefined)).toBe(false);
});
