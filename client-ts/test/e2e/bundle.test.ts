// What pt-server ships at `/`: the built app, with no source maps (neither
// referenced from the scripts nor served next to them).

import { expect, test } from "vitest";
import { baseUrl } from "./helpers.js";

test("the bundle carries no source maps", async () => {
  const html = await (await fetch(`${baseUrl()}/`)).text();
  const assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
  expect(assets.some((a) => a.endsWith(".js"))).toBe(true);
  for (const asset of assets) {
    const res = await fetch(`${baseUrl()}${asset}`);
    expect(res.status, asset).toBe(200);
    expect(await res.text(), asset).not.toContain("sourceMappingURL");
    expect((await fetch(`${baseUrl()}${asset}.map`)).status, `${asset}.map`).toBe(404);
  }
});
