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

test("the app and its assets carry the security headers", async () => {
  const html = await fetch(`${baseUrl()}/`);
  const script = (await html.clone().text()).match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  expect(script).toBeDefined();
  for (const res of [html, await fetch(`${baseUrl()}${script}`)]) {
    expect(res.headers.get("content-security-policy"), res.url).toContain("default-src 'self'");
    expect(res.headers.get("content-security-policy"), res.url).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options"), res.url).toBe("nosniff");
    expect(res.headers.get("x-frame-options"), res.url).toBe("DENY");
    expect(res.headers.get("referrer-policy"), res.url).toBe("no-referrer");
    expect(res.headers.get("cross-origin-opener-policy"), res.url).toBe("same-origin");
  }
});
