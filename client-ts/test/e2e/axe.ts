// axe-core's WCAG 2 A/AA rules run in a page (by the test driver, so the
// page's CSP does not apply); every finding is printed, and `serious` picks
// those that fail a test.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface Finding {
  id: string;
  impact: string | null;
  help: string;
  nodes: number;
  targets: string[];
}

export async function audit(page: Page, what: string): Promise<Finding[]> {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
  });
  for (const f of found) console.log(`${what}: [${f.impact}] ${f.id} (${f.nodes}): ${f.help} — ${f.targets.join(" | ")}`);
  return found;
}

export const serious = (fs: Finding[]) => fs.filter((f) => f.impact === "serious" || f.impact === "critical").map((f) => `${f.id}: ${f.help}`);
