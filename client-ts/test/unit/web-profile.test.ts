// The profile panel's form logic (web/src/profile/draft.ts) and who may do
// what (web/src/profile/profileApi.ts): a patch carries only changed fields
// (skill tags without a level count as level 1), the rate only for an owner, the currency with a rate; the working hours
// only when they changed (`null` for the studio's week).

import { describe, expect, test } from "vitest";
import { draftOf, hoursOf, patchOf } from "../../web/src/profile/draft.js";
import { formatHours, mayEditProfile, mayEditRateAndHours, mayViewProfile, seesRate, type ProfileView } from "../../web/src/profile/profileApi.js";

const view: ProfileView = {
  artistId: "a1",
  name: "Ada",
  timezone: "Europe/London",
  bio: "Comp.",
  skills: [{ name: "nuke", level: 3 }],
  portfolio: [],
  location: null,
  languages: ["English"],
  avatarUrl: null,
  dayRate: null,
  currency: null,
  version: 4,
};

describe("patchOf", () => {
  test("an untouched draft sends nothing", () => {
    expect(patchOf(draftOf(view, undefined), view, true)).toEqual({});
  });

  test("sends the changed fields only, trimmed; empty location stays null", () => {
    const d = { ...draftOf(view, undefined), bio: "New.", languages: " English , French ,", location: "  " };
    d.skills = [{ name: " nuke ", level: 5, years: "6" }];
    d.portfolio = [{ title: " Reel ", url: "https://x.example/r ", kind: "reel" }];
    expect(patchOf(d, view, false)).toEqual({
      bio: "New.",
      languages: ["English", "French"],
      skills: [{ name: "nuke", level: 5, years: 6 }],
      portfolio: [{ title: "Reel", url: "https://x.example/r", kind: "reel" }],
    });
  });

  test("skill tags without a level are rows at level 1, sent only when the skills change", () => {
    const d = draftOf(view, undefined, ["nuke", "houdini"]);
    expect(d.skills).toEqual([
      { name: "nuke", level: 3, years: "" },
      { name: "houdini", level: 1, years: "" },
    ]);
    expect(patchOf(d, view, true, ["nuke", "houdini"])).toEqual({});
    d.skills[1]!.level = 2;
    expect(patchOf(d, view, true, ["nuke", "houdini"])).toEqual({ skills: [{ name: "nuke", level: 3 }, { name: "houdini", level: 2 }] });
  });

  test("the rate goes with its currency, upper-cased, and only when allowed", () => {
    const d = { ...draftOf(view, undefined), dayRate: "650", currency: "gbp" };
    expect(patchOf(d, view, true)).toEqual({ dayRate: 650, currency: "GBP" });
    expect(patchOf(d, view, false)).toEqual({});
    const rated = { ...view, dayRate: 650, currency: "GBP" };
    expect(patchOf({ ...draftOf(rated, undefined), dayRate: "" }, rated, true)).toEqual({ dayRate: null });
    expect(patchOf({ ...draftOf(rated, undefined), currency: "EUR" }, rated, true)).toEqual({ dayRate: 650, currency: "EUR" });
  });
});

describe("hoursOf", () => {
  const mon = [{ day: 1, start: "09:00", end: "17:00" }];
  test("unchanged hours are not sent", () => {
    expect(hoursOf(draftOf(view, undefined), undefined)).toBeUndefined();
    expect(hoursOf(draftOf(view, mon), mon)).toBeUndefined();
  });
  test("own hours, or null for the studio's week", () => {
    const d = { ...draftOf(view, undefined), studioWeek: false, hours: mon };
    expect(hoursOf(d, undefined)).toEqual(mon);
    expect(hoursOf({ ...draftOf(view, mon), studioWeek: true }, mon)).toBeNull();
  });
  test("formatted by weekday", () => {
    expect(formatHours([{ day: 2, start: "10:00", end: "16:00" }, ...mon])).toBe("Mon 09:00–17:00 · Tue 10:00–16:00");
    expect(formatHours(undefined)).toBe("The studio's working week");
  });
});

test("roles: owner edits all; freelancer their own, no rate or hours; manager reads with the rate", () => {
  const owner = { role: "studio_owner" };
  const manager = { role: "studio_manager" };
  const free = { role: "freelancer", artistId: "a1" };
  expect([mayEditProfile(owner, "a2"), mayEditRateAndHours(owner), seesRate(owner)]).toEqual([true, true, true]);
  expect([mayViewProfile(manager, "a2"), mayEditProfile(manager, "a2"), mayEditRateAndHours(manager), seesRate(manager)]).toEqual([true, false, false, true]);
  expect([mayViewProfile(free, "a1"), mayEditProfile(free, "a1"), mayEditRateAndHours(free), seesRate(free)]).toEqual([true, true, false, false]);
  expect([mayViewProfile(free, "a2"), mayEditProfile(free, "a2")]).toEqual([false, false]);
});
