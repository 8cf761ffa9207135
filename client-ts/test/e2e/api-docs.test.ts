// The API reference at /api/docs: Redoc, served from the repository (no CDN),
// renders the server's own OpenAPI document under its narrow CSP, and the page
// asks nothing of another host but Redoc's logo, which the CSP blocks.

import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { baseUrl, launch, openTab, shot } from "./helpers.js";

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
});

test("the API reference renders the OpenAPI document from the server alone", async () => {
  const tab = await openTab(browser);
  const { page } = tab;
  const external: string[] = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(baseUrl()) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) external.push(r.url());
  });
  await page.goto(`${baseUrl()}/api/docs`);
  await page.getByRole("heading", { name: /Production Tool API/ }).first().waitFor();
  // The operations are listed: the document was fetched and parsed.
  await page.getByText("/auth/login", { exact: true }).first().waitFor();
  await shot(page, "30-api-docs");
  // Two refusals are Redoc's and expected: its logo points at its CDN (the
  // CSP blocks it and Redoc hides it; Chromium reports it twice, in its own
  // console message and to our CSP listener), and a feature probe of eval,
  // which `script-src 'self'` refuses while the page renders. Nothing else
  // may be refused or fail.
  const logo = "https://cdn.redoc.ly/redoc/logo-mini-full.svg";
  const expected = [`console error: CSP violation: img-src ${logo} ()`, "console error: CSP violation: script-src eval ()"];
  const problems = tab.problems.filter((p) => !p.includes(`'${logo}' violates`) && !expected.includes(p));
  expect(problems).toEqual([]);
  expect(external.filter((u) => u !== logo)).toEqual([]);
  await tab.context.close();
});
