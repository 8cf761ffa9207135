// A webhook's deliveries as the delivery log shows them, apart from React:
// each status in words (a dead one is a dead letter), a try's outcome, the
// event a delivery carries (from its payload, `{deliveryId, webhookId,
// event}`), and whether it may be sent again.

import type { Delivery, DeliveryTry } from "./studioSchemas.js";

const STATUS_TEXT: Record<string, string> = {
  pending: "Pending",
  sent: "Sent",
  dead: "Dead letter",
  skipped: "Skipped",
};

/** The status in words; one this app does not know: as the server says it. */
export function statusText(status: string): string {
  return STATUS_TEXT[status] ?? status;
}

/** What the status means for this delivery, in a sentence's worth. */
export function statusDetail(d: Pick<Delivery, "status" | "attempts" | "nextAt">, when: (rfc3339: string) => string): string {
  const tries = `${d.attempts} ${d.attempts === 1 ? "try" : "tries"}`;
  switch (d.status) {
    case "dead":
      return `Gave up after ${tries}.`;
    case "pending":
      return d.attempts === 0 ? `First try at ${when(d.nextAt)}.` : `${tries} so far; next at ${when(d.nextAt)}.`;
    case "sent":
      return `Delivered (${tries}).`;
    case "skipped":
      return "Not sent: the subscription was deleted.";
    default:
      return tries;
  }
}

/** One try's outcome: "HTTP 500 (answered 500)", "HTTP 200", "No answer: connection refused". */
export function tryText(t: Pick<DeliveryTry, "statusCode" | "error">): string {
  if (t.statusCode !== null) return t.error && t.error !== `answered ${t.statusCode}` ? `HTTP ${t.statusCode} (${t.error})` : `HTTP ${t.statusCode}`;
  return t.error ? `No answer: ${t.error}` : "No answer";
}

/** Whether a try succeeded (a 2xx answer). */
export function tryOk(t: Pick<DeliveryTry, "statusCode">): boolean {
  return t.statusCode !== null && t.statusCode >= 200 && t.statusCode < 300;
}

/** The event's `type` a delivery carries, if its payload says. */
export function eventType(payload: unknown): string | undefined {
  const event = (payload as { event?: { event?: { type?: unknown } } } | null | undefined)?.event?.event;
  return typeof event?.type === "string" ? event.type : undefined;
}

/** Redeliver: a dead letter or a sent one, while the subscription lasts (not one still pending or skipped). */
export function mayRedeliver(d: Pick<Delivery, "status">, deleted: boolean): boolean {
  return !deleted && (d.status === "dead" || d.status === "sent");
}
