// The one codec of the realtime protocol: every WebSocket frame is a single
// MessagePack map, byte-compatible with the server's rmp-serde `to_vec_named`.
//
// Why these encoder settings reproduce rmp-serde's bytes:
// * maps keep insertion order (`sortKeys: false`), and every frame object is
//   built field by field in the order the Rust structs declare them;
// * integers take the smallest encoding (fixint, u8 … u64; negative ints the
//   smallest signed one), as rmp does;
// * non-integer numbers are float64 (`forceFloat32: false`), as an `f64` field is;
// * `undefined` fields are left out (`ignoreUndefined`), which is what serde
//   does for a skipped `None`; a `null` becomes nil, like a serialized `None`.
//
// One asymmetry, harmless on the wire: JavaScript has one number type, so an
// `f64` that happens to be integral (a cursor at `x: 100`) is sent as an
// integer; serde reads an integer into an `f64` field without complaint.
//
// Instants are plain numbers: i64 microseconds since the Unix epoch (far below
// 2^53 until the year 2255), so no BigInt is needed anywhere.

import { Decoder, Encoder } from "@msgpack/msgpack";
import type { ClientFrame } from "./generated/ClientFrame.js";
import type { ServerFrame } from "./generated/ServerFrame.js";

const encoder = new Encoder({ ignoreUndefined: true, sortKeys: false, forceFloat32: false, useBigInt64: false });
const decoder = new Decoder({ useBigInt64: false });

/** Thrown when bytes are not a protocol frame. */
export class FrameDecodeError extends Error {
  override readonly name = "FrameDecodeError";
}

/** Encodes one value (normally a frame) as rmp-serde `to_vec_named` would. */
export function encode(value: unknown): Uint8Array {
  // `encode` (unlike `encodeSharedRef`) returns a copy, so the result may be
  // kept or sent asynchronously while the next frame is being encoded.
  return encoder.encode(value);
}

/** Decodes one MessagePack value. */
export function decode(bytes: ArrayLike<number> | ArrayBufferView | ArrayBufferLike): unknown {
  return decoder.decode(bytes as ArrayLike<number> | ArrayBufferView | ArrayBuffer);
}

export function encodeClientFrame(frame: ClientFrame): Uint8Array {
  return encode(frame);
}

/** Decodes a frame the server sent; only checks that it is a map with a `type`. */
export function decodeServerFrame(bytes: ArrayLike<number> | ArrayBufferView | ArrayBufferLike): ServerFrame {
  return asFrame(decode(bytes)) as ServerFrame;
}

/** Decodes a frame a client sent (used by tests and tools). */
export function decodeClientFrame(bytes: ArrayLike<number> | ArrayBufferView | ArrayBufferLike): ClientFrame {
  return asFrame(decode(bytes)) as ClientFrame;
}

function asFrame(value: unknown): { type: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new FrameDecodeError("a frame must be a MessagePack map");
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== "string") {
    throw new FrameDecodeError("a frame must have a string `type`");
  }
  return value as { type: string };
}
