// Instants as the Studio tabs show them: "3 Dec 2026, 14:05" in the
// browser's own language and time zone; to the second where it matters
// (a webhook's tries, seconds apart): "3 Dec 2026, 14:05:09".

const F_WHEN = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" });
const F_EXACT = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit" });

/** An RFC 3339 instant, readable; the text itself if it does not parse. */
export function formatWhen(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isFinite(ms) ? F_WHEN.format(ms) : rfc3339;
}

/** The same, to the second. */
export function formatExact(rfc3339: string): string {
  const ms = Date.parse(rfc3339);
  return Number.isFinite(ms) ? F_EXACT.format(ms) : rfc3339;
}
