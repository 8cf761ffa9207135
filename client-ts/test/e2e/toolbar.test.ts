// The board's toolbar fits on one line at 1440 px (the tests' viewport):
// the page links and the notifications bell, zoom, Today, Go to date,
// search, the three selects, who is here (with someone else signed in), the
// connection, the user's name and Sign out, with no wrapping.

import { expect, test } from "vitest";
import { MANAGER, OWNER, openTab, shot, signIn, signedInTab } from "./helpers.js";

const file = signedInTab(OWNER);

test("the board's toolbar is one line at 1440 px", async () => {
  const { page } = file.tab;
  // Someone else here too: their avatar takes room in the toolbar.
  const other = await openTab(file.browser);
  await signIn(other.page, MANAGER);
  await page.locator('[data-testid=presence] [data-name="Marco Manager"]').waitFor();
  const toolbar = page.locator("header.toolbar");
  const box = (await toolbar.boundingBox())!;
  const signOut = (await toolbar.getByRole("button", { name: "Sign out" }).boundingBox())!;
  const board = (await toolbar.getByRole("link", { name: "Board" }).boundingBox())!;
  const user = (await toolbar.locator(".toolbar__user").boundingBox())!;
  await shot(page, "68-board-toolbar-1440");
  // One line: no taller than its tallest block (two lines of text) plus padding.
  expect(box.height).toBeLessThan(56);
  // The name and Sign out are stacked in one block, beside the other controls.
  expect(user.y).toBeGreaterThanOrEqual(box.y);
  expect(signOut.y + signOut.height).toBeLessThanOrEqual(box.y + box.height);
  expect(signOut.y).toBeLessThan(board.y + board.height);
  expect(user.x).toBeGreaterThan(board.x + 900);
  expect(signOut.x + signOut.width).toBeLessThanOrEqual(1440);
  const spare = (await toolbar.locator(".toolbar__spacer").boundingBox())!.width;
  console.log(`toolbar at 1440 px: ${box.height} px high, ${spare} px to spare`);
  await other.context.close();
  expect(file.tab.problems).toEqual([]);
});
