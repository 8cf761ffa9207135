// The board's words for an `unavailable` refusal (web/src/store/notices.ts):
// each reason with its times, the holiday by name, the JSON (REST) and
// MessagePack (WebSocket) forms of instants alike.

import { describe, expect, test } from "vitest";
import { unavailableMessage } from "../../web/src/store/notices.js";
import { formatRange } from "../../web/src/time.js";

const H = 3_600_000_000;
const T = Date.UTC(2027, 2, 12) * 1000; // Friday 12 March 2027, 00:00 UTC

describe("unavailableMessage", () => {
  test("names each reason with its times, and the holiday by name", () => {
    const details = {
      unavailable: [
        { reason: "time_off", start: T + 10 * H, end: T + 16 * H, timeOffId: "t1" },
        { reason: "outside_working_hours", start: T + 18 * H, end: T + 20 * H },
        { reason: "holiday", start: T + 24 * H, end: T + 48 * H, holiday: "Studio day off" },
      ],
      freeWindows: [],
    };
    expect(unavailableMessage(details)).toBe(
      `Not available then: approved time off (${formatRange(T + 10 * H, T + 16 * H)}); outside working hours (${formatRange(T + 18 * H, T + 20 * H)}); ` +
        `the studio holiday “Studio day off” (${formatRange(T + 24 * H, T + 48 * H)}). Pencil and confirmed bookings there need overtime.`,
    );
  });

  test("RFC 3339 instants (a REST body) read the same as microseconds", () => {
    const rest = { unavailable: [{ reason: "time_off", start: new Date((T + 10 * H) / 1000).toISOString(), end: new Date((T + 16 * H) / 1000).toISOString() }] };
    expect(unavailableMessage(rest)).toContain(`approved time off (${formatRange(T + 10 * H, T + 16 * H)})`);
  });

  test("more than four reasons are counted; none or malformed details still say something", () => {
    const many = { unavailable: Array.from({ length: 6 }, (_, i) => ({ reason: "outside_working_hours", start: T + i * 24 * H, end: T + i * 24 * H + H })) };
    expect(unavailableMessage(many)).toContain("; and 2 more.");
    expect(unavailableMessage(undefined)).toBe("The artist is not available then.");
    expect(unavailableMessage({ unavailable: [{ reason: "bogus" }] })).toBe("The artist is not available then.");
  });
});
