// Every golden vector the Rust protocol crate wrote (rmp-serde, named maps)
// decodes with this client's codec and re-encodes to the identical bytes.

import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { decodeClientFrame, decodeServerFrame, encode } from "../../src/codec.js";

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), "../../../protocol/golden");

interface Vector {
  direction: "client" | "server";
  file: string;
}

const index = JSON.parse(readFileSync(join(goldenDir, "index.json"), "utf8")) as Vector[];

// Every frame type of ws.rs; a vector's file name starts with its type in kebab case
// (`13-presence-diff`, `02-command-create-booking`).
const FRAME_TYPES = [
  "hello", "command", "subscribe", "unsubscribe", "presence", "ping",
  "welcome", "accepted", "rejected", "durable", "snapshot", "resumed", "event",
  "presenceDiff", "unsubscribed", "pong", "error", "goodbye",
];
const kebab = (t: string) => t.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

function expectedType(file: string): string {
  const name = file.replace(/^\d+-/, "").replace(/\.msgpack$/, "");
  const matches = FRAME_TYPES.filter((t) => name === kebab(t) || name.startsWith(`${kebab(t)}-`));
  // The longest match: `presence-diff` is a `presenceDiff`, not a `presence`.
  return matches.sort((a, b) => b.length - a.length)[0] ?? `(no frame type in ${file})`;
}

describe("golden MessagePack vectors", () => {
  it("index.json lists every vector in the folder", () => {
    const files = readdirSync(goldenDir).filter((f) => f.endsWith(".msgpack")).sort();
    expect(index.map((v) => v.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThan(0);
  });

  for (const v of index) {
    it(`${v.file} round-trips byte for byte`, () => {
      const bytes = new Uint8Array(readFileSync(join(goldenDir, v.file)));
      const frame = v.direction === "client" ? decodeClientFrame(bytes) : decodeServerFrame(bytes);
      expect(frame.type).toBe(expectedType(v.file));
      const again = encode(frame);
      expect(Buffer.from(again).toString("hex")).toBe(Buffer.from(bytes).toString("hex"));
    });
  }
});
