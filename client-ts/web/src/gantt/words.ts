// The words the plan's panels use, pure (unit-tested): days to one decimal,
// an allocation row's status with its sign (never colour alone), and a
// dependency's kind and lag ("start to start, +2 d").

import type { Dependency } from "../../../src/index.js";
import type { Allocation } from "../projects/schemas.js";

/** Days to one decimal, without a trailing ".0". */
export function days(n: number): string {
  return String(Math.round(n * 10) / 10);
}

/** "▲ Over by 2 d", "▼ Under by 1.5 d", "✓ On plan": the status in words and a sign. */
export function statusText(r: Pick<Allocation["rows"][number], "status" | "deltaDays">): string {
  if (r.status === "over") return `▲ Over by ${days(Math.abs(r.deltaDays))} d`;
  if (r.status === "under") return `▼ Under by ${days(Math.abs(r.deltaDays))} d`;
  return "✓ On plan";
}

/** "finish to start, +2 d": a dependency's kind and lag in working days. */
export function dependencyTerms(d: Pick<Dependency, "kind" | "lagDays">): string {
  const lag = d.lagDays === 0 ? "" : `, ${d.lagDays > 0 ? "+" : "−"}${Math.abs(d.lagDays)} d`;
  return `${d.kind.replace(/_/g, " ")}${lag}`;
}
