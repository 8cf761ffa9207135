// UUID v7 (RFC 9562): 48 bits of Unix milliseconds, then randomness, so ids
// sort by creation time and index well on the server, which uses the same
// kind for its own ids. Command ids are generated here (the idempotency key
// of a command), so no dependency is needed.
//
// Within one millisecond the 12-bit `rand_a` field is a counter (RFC 9562
// §6.2, method 1), so ids made by one client are strictly increasing.

let lastMs = -1;
let counter = 0;

function randomBytes(n: number): Uint8Array {
  const bytes = new Uint8Array(n);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}

/** A fresh UUID v7, lower-case and hyphenated. */
export function uuidv7(nowMs: number = Date.now()): string {
  let ms = Math.max(nowMs, lastMs);
  if (ms === lastMs) {
    counter += 1;
    if (counter > 0xfff) {
      // 4096 ids in one millisecond: borrow the next millisecond.
      ms += 1;
      counter = randomBytes(1)[0]! & 0x7f;
    }
  } else {
    // Start low in the counter space so the counter has room to grow.
    counter = randomBytes(1)[0]! & 0x7f;
  }
  lastMs = ms;

  const b = randomBytes(16);
  // 48-bit big-endian timestamp (2^48 ms is year 10889; division keeps it exact).
  const hi = Math.floor(ms / 0x1_0000_0000);
  const lo = ms >>> 0;
  b[0] = (hi >>> 8) & 0xff;
  b[1] = hi & 0xff;
  b[2] = (lo >>> 24) & 0xff;
  b[3] = (lo >>> 16) & 0xff;
  b[4] = (lo >>> 8) & 0xff;
  b[5] = lo & 0xff;
  b[6] = 0x70 | ((counter >>> 8) & 0x0f); // version 7
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f); // variant 10
  let hex = "";
  for (const byte of b) hex += byte.toString(16).padStart(2, "0");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A fresh v4 UUID (for tests and tenants). */
export function uuidv4(): string {
  return globalThis.crypto.randomUUID();
}
