// The Studio admin area's pure parts: its hash routes (and the public
// invitation link's), the owner check its tabs use, and the artist form's
// wire values. (Which tabs each role sees in the page: test/e2e/admin-people.)

import { describe, expect, test } from "vitest";
import { artistField, emptyArtistForm, skillList, toArtistPatch, toNewArtist, type ArtistLike } from "../../web/src/admin/artistForm.js";
import { isOwner, roleText } from "../../web/src/admin/roles.js";
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

describe("roles", () => {
  test("only owners pass the artists, members and invitations tabs' check; roles read as words", () => {
    const as = (role: string) => ({ role }) as Session;
    expect(isOwner(as("studio_owner"))).toBe(true);
    for (const role of ["studio_manager", "freelancer", ""]) expect(isOwner(as(role))).toBe(false);
    expect(isOwner(undefined)).toBe(false);
    expect(roleText("studio_manager")).toBe("Manager");
    expect(roleText("auditor")).toBe("auditor");
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
