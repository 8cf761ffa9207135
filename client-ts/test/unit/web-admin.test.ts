// The Studio admin area's pure parts: its hash routes (and the public
// invitation link's), who sees which tab, and the artist form's wire values.

import { describe, expect, test } from "vitest";
import { artistField, emptyArtistForm, skillList, toArtistPatch, toNewArtist, type ArtistLike } from "../../web/src/admin/artistForm.js";
import { TABS, visibleTabs } from "../../web/src/admin/tabs.js";
import type { Session } from "../../web/src/auth.js";
import { parseHash, routeHash, type Route } from "../../web/src/router.js";

describe("studio routes", () => {
  test("#/studio, #/studio/<tab> and #/invitation?token=… read back as the same route", () => {
    const routes: Route[] = [{ page: "studio" }, { page: "studio", tab: "members" }, { page: "invitation", token: "inv_abc-DEF_123" }];
    for (const r of routes) expect(parseHash(routeHash(r))).toEqual(r);
    expect(routeHash({ page: "studio", tab: "invitations" })).toBe("#/studio/invitations");
    expect(parseHash("#/invitation?token=inv_x%2By")).toEqual({ page: "invitation", token: "inv_x+y" });
    expect(parseHash("#/invitation")).toEqual({ page: "invitation", token: "" });
    expect(parseHash("#/studio/a/b")).toEqual({ page: "board" });
  });
});

describe("studio tabs", () => {
  const as = (role: string) => ({ role }) as Session;
  test("owners see artists, members and invitations; managers and freelancers none of them", () => {
    const mine = ["artists", "members", "invitations"];
    expect(TABS.filter((t) => mine.includes(t.tab)).length).toBe(3);
    expect(visibleTabs(as("studio_owner")).map((t) => t.tab)).toEqual(expect.arrayContaining(mine));
    for (const role of ["studio_manager", "freelancer"]) expect(visibleTabs(as(role)).filter((t) => mine.includes(t.tab))).toEqual([]);
    expect(visibleTabs(undefined)).toEqual([]);
    expect(visibleTabs(as("freelancer"))).toEqual([]); // freelancers never see the Studio area
  });
});

describe("artist form", () => {
  const ada: ArtistLike = { id: "a1", name: "Ada", email: "ada@x.test", skills: ["comp", "nuke"], timezone: "Europe/London", active: true, version: 4 };
  test("a new artist: skills split on commas, empty email left out", () => {
    expect(skillList(" comp, ,Nuke ,")).toEqual(["comp", "Nuke"]);
    expect(toNewArtist({ ...emptyArtistForm(), name: "Bo", skills: "rig, anim", timezone: "UTC" })).toEqual({ name: "Bo", skills: ["rig", "anim"], timezone: "UTC", active: true });
  });
  test("an edit sends only what changed, with the version; a cleared email is null", () => {
    const form = { name: "Ada", email: "", skills: "comp,  nuke", timezone: "Europe/London", active: false };
    expect(toArtistPatch(ada, form)).toEqual({ version: 4, email: null, active: false });
    expect(toArtistPatch(ada, { ...form, email: "ada@x.test", active: true, skills: "comp, houdini" })).toEqual({ version: 4, skills: ["comp", "houdini"] });
  });
  test("server field errors land on their fields", () => {
    expect(artistField("timezone")).toBe("timezone");
    expect(artistField("artist.email")).toBe("email");
    expect(artistField("version")).toBeUndefined();
  });
});
