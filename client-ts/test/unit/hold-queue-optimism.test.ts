// The client's optimistic status change follows the server's hold-queue rule:
// any change of status answers a challenge and ends a wait on the list.

import { expect, test } from "vitest";
import { expectedTransition } from "../../src/index.js";
import type { Booking } from "../../src/generated/Booking.js";

const hold: Booking = {
  id: "b1",
  artistId: "a1",
  projectId: null,
  title: "First call",
  notes: null,
  startTime: 1_000,
  endTime: 2_000,
  status: "hold",
  expiresAt: 5_000,
  challengedBy: "b2",
  queuedFor: "pencil",
  version: 3,
  createdAt: 0,
  createdBy: "user:1",
  updatedAt: 0,
  updatedBy: "user:1",
};

test("confirming a challenged, waiting hold clears both marks and its expiry", () => {
  const next = expectedTransition(hold, "confirmed", 9);
  expect(next).toMatchObject({ status: "confirmed", expiresAt: null, version: 4, updatedAt: 9 });
  expect("challengedBy" in next || "queuedFor" in next).toBe(false);
  expect(hold.challengedBy).toBe("b2"); // the current state is left as it was
});
