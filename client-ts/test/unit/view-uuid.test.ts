// View membership (half-open windows) and UUID v7 command ids.

import { describe, expect, it } from "vitest";
import { bookingInView, expectedCreate, uuidv7 } from "../../src/index.js";

const A = "01920000-0000-7000-8000-0000000000a1";
const B = "01920000-0000-7000-8000-0000000000a2";
const P = "01920000-0000-7000-8000-0000000000c1";

describe("bookingInView", () => {
  const b = { ...expectedCreate("x", { artistId: A, projectId: P, title: "t", startTime: 10, endTime: 12 }) };
  it("tenant, artist and project views", () => {
    expect(bookingInView({ kind: "tenant" }, b)).toBe(true);
    expect(bookingInView({ kind: "artist", artistId: A }, b)).toBe(true);
    expect(bookingInView({ kind: "artist", artistId: B }, b)).toBe(false);
    expect(bookingInView({ kind: "project", projectId: P }, b)).toBe(true);
    expect(bookingInView({ kind: "project", projectId: A }, { ...b, projectId: null })).toBe(false);
  });
  it("windows are half-open: touching is not overlapping", () => {
    const w = (start: number, end: number, artistIds = [A]) => ({ kind: "window" as const, artistIds, range: { start, end } });
    expect(bookingInView(w(11, 13), b)).toBe(true);
    expect(bookingInView(w(12, 13), b)).toBe(false);
    expect(bookingInView(w(8, 10), b)).toBe(false);
    expect(bookingInView(w(0, 100, [B]), b)).toBe(false);
  });
});

describe("uuidv7", () => {
  it("is a version 7, variant 10 UUID with the time in front, strictly increasing", () => {
    const now = Date.now();
    const ids = Array.from({ length: 5000 }, () => uuidv7(now));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16)).toBe(now);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });
});
