// One's notification preferences (web/src/inbox/preferences.ts): the kinds
// as people read them, what a kind's two channels mean, the form of the
// stored preferences and the PATCH of only what changed (quiet hours whole,
// `null` to turn them off), the field each refusal goes under, and the zones
// offered. Also the REST schema reading `GET /me/notification-preferences`.

import { describe, expect, test } from "vitest";
import { NotificationPreferences, formOf, kindLabel, kindsOf, outcomeText, patchOf, problemKey, spansMidnight, zoneOptions } from "../../web/src/inbox/preferences.js";

const ON = { inApp: true, email: true };

const stored: NotificationPreferences = {
  kinds: { queuePlaced: ON, bookingOffered: ON, bookingChanged: { inApp: false, email: true }, someFutureKind: ON },
  quietHours: null,
};

describe("kinds", () => {
  test("listed in the settings' order, kinds the app does not know yet last, by name", () => {
    expect(kindsOf(stored)).toEqual(["bookingOffered", "bookingChanged", "queuePlaced", "someFutureKind"]);
    expect(kindLabel("bookingOffered")).toBe("A booking is made for you");
    expect(kindLabel("holdChallenged")).toBe("Your 1st hold is challenged");
    expect(kindLabel("someFutureKind")).toBe("someFutureKind");
  });

  test("what each choice does", () => {
    expect(outcomeText(ON)).toBe("In the inbox and by email");
    expect(outcomeText({ inApp: true, email: false })).toBe("In the inbox only");
    expect(outcomeText({ inApp: false, email: true })).toBe("By email; in the inbox as read");
    expect(outcomeText({ inApp: false, email: false })).toBe("Not sent");
  });
});

describe("the form and its patch", () => {
  test("without quiet hours the overnight ones on the browser's zone are offered, off", () => {
    const f = formOf(stored, "Europe/Paris");
    expect(f).toMatchObject({ quiet: false, start: "22:00", end: "07:00", timezone: "Europe/Paris" });
    expect(f.kinds.bookingChanged).toEqual({ inApp: false, email: true });
    // A copy: editing the form leaves the stored preferences alone.
    f.kinds.bookingOffered!.email = false;
    expect(stored.kinds.bookingOffered!.email).toBe(true);
  });

  test("an unchanged form patches nothing; each flipped channel goes alone", () => {
    const f = formOf(stored, "UTC");
    expect(patchOf(stored, f)).toEqual({});
    const changed = { ...f, kinds: { ...f.kinds, bookingOffered: { inApp: true, email: false }, bookingChanged: { inApp: true, email: true } } };
    expect(patchOf(stored, changed)).toEqual({ kinds: { bookingOffered: { email: false }, bookingChanged: { inApp: true } } });
    // Flipped and flipped back: nothing.
    expect(patchOf(stored, { ...f, kinds: { ...f.kinds, bookingOffered: { ...ON } } })).toEqual({});
  });

  test("quiet hours go whole when turned on or changed, null when turned off", () => {
    const f = formOf(stored, "Europe/London");
    expect(patchOf(stored, { ...f, quiet: true })).toEqual({ quietHours: { start: "22:00", end: "07:00", timezone: "Europe/London" } });
    const quiet = { ...stored, quietHours: { start: "21:30", end: "06:00", timezone: "Asia/Tokyo" } };
    const g = formOf(quiet, "Europe/London");
    expect(g).toMatchObject({ quiet: true, start: "21:30", end: "06:00", timezone: "Asia/Tokyo" });
    expect(patchOf(quiet, g)).toEqual({});
    expect(patchOf(quiet, { ...g, end: "07:00" })).toEqual({ quietHours: { start: "21:30", end: "07:00", timezone: "Asia/Tokyo" } });
    expect(patchOf(quiet, { ...g, quiet: false })).toEqual({ quietHours: null });
    // Off and still off, whatever the hidden times say.
    expect(patchOf(stored, { ...f, start: "01:00" })).toEqual({});
  });

  test("a refused field goes under its input; others with the form", () => {
    expect(problemKey("quietHours.start")).toBe("start");
    expect(problemKey("quietHours.end")).toBe("end");
    expect(problemKey("quietHours.timezone")).toBe("timezone");
    expect(problemKey("quietHours")).toBe("quietHours");
    expect(problemKey("kinds.nope")).toBeUndefined();
    expect(problemKey("quietHours.startish")).toBeUndefined();
  });

  test("start after end spans midnight", () => {
    expect(spansMidnight("22:00", "07:00")).toBe(true);
    expect(spansMidnight("12:00", "14:00")).toBe(false);
  });
});

test("the zones offered: the wanted ones the list lacks first, once, then the list", () => {
  expect(zoneOptions(["Asia/Tokyo", "Europe/Paris"], "Europe/Paris", "UTC", "UTC", "")).toEqual(["UTC", "Asia/Tokyo", "Europe/Paris"]);
  expect(zoneOptions([], "Europe/Paris")).toEqual(["Europe/Paris"]);
});

test("the schema reads the server's answer, kinds it does not know included", () => {
  const answer = { kinds: { bookingOffered: { inApp: true, email: false }, laterKind: ON }, quietHours: { start: "22:00", end: "07:00", timezone: "Europe/Paris" } };
  expect(NotificationPreferences.parse(answer)).toEqual(answer);
  expect(NotificationPreferences.safeParse({ kinds: { x: { inApp: "yes", email: true } }, quietHours: null }).success).toBe(false);
});
