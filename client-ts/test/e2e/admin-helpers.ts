// Shared by the Studio admin area's browser tests: opening a tab by its hash.

import type { Page } from "playwright-core";

export const FREELANCER = "freelancer@demo.studio";

/** Opens `#/studio/<tab>` and waits for the tab's heading. */
export async function openStudioTab(page: Page, tab: string, heading: string): Promise<void> {
  await page.evaluate((h) => {
    location.hash = h;
  }, `#/studio/${tab}`);
  await page.getByRole("heading", { name: heading, exact: true }).waitFor();
}
