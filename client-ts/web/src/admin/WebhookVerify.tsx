// "How to verify a call", on the Webhooks tab: what a receiver gets (a JSON
// POST with `X-PT-Delivery` and `X-PT-Signature`), how to check the signature
// (HMAC-SHA256 of "<t>.<raw body>" with the subscription's secret, compared
// in constant time, the timestamp within 5 minutes), and what its answer
// does (2xx: sent; else retried, then a dead letter). Static text.

const EXAMPLE = `import { createHmac, timingSafeEqual } from "node:crypto";

// header: the X-PT-Signature value; rawBody: the body exactly as received.
function verified(header, rawBody, secret) {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac("sha256", secret).update(\`\${parts.t}.\${rawBody}\`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}`;

export function WebhookVerify() {
  return (
    <details className="webhook-verify" data-testid="webhook-verify">
      <summary>How to verify a call</summary>
      <ul>
        <li>
          Each event is a <code>POST</code> of JSON <code>{"{ deliveryId, webhookId, event }"}</code> to your URL.
        </li>
        <li>
          <code>X-PT-Delivery</code> is the delivery's id: a retry or a redelivery carries the same one, so remember the ids you have handled and
          ignore a repeat.
        </li>
        <li>
          <code>X-PT-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</code>: <code>v1</code> is the HMAC-SHA256, keyed with the subscription's secret (
          <code>whsec_…</code>), of <code>&lt;t&gt;.&lt;raw body&gt;</code> — the body's bytes as received, before parsing. Compare it in constant time
          and refuse a <code>t</code> more than 5 minutes from your clock.
        </li>
        <li>Answer 2xx soon: anything else, or no answer, is tried again later, and after the last try the delivery is a dead letter until you redeliver it.</li>
      </ul>
      <pre className="webhook-verify__code">
        <code>{EXAMPLE}</code>
      </pre>
    </details>
  );
}
