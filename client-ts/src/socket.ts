// The WebSocket the client runs on: the one passed in, else the platform's
// (browsers, Deno, Node ≥ 22), else the `ws` package (Node 20 has no stable
// global WebSocket). `ws` is imported lazily so browser bundles never load it.

/** What the client needs of a WebSocket; the browser's and `ws`'s both fit. */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** `ws` only: drop the TCP connection without a closing handshake. */
  terminate?: () => void;
  // Handlers take `any`: the browser's and `ws`'s event types differ, and
  // precise parameter types would make neither assignable to this interface.
  onopen: ((ev: any) => void) | null;
  onmessage: ((ev: any) => void) | null;
  onclose: ((ev: any) => void) | null;
  onerror: ((ev: any) => void) | null;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` values (the same constants everywhere). */
export const OPEN = 1;
export const CLOSED = 3;

export async function resolveWebSocket(given?: WebSocketConstructor): Promise<WebSocketConstructor> {
  if (given) return given;
  const platform = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (platform) return platform;
  const mod = (await import("ws")) as unknown as { WebSocket?: WebSocketConstructor; default?: WebSocketConstructor };
  const ctor = mod.WebSocket ?? mod.default;
  if (!ctor) throw new Error("no WebSocket implementation: pass one as `WebSocket`, or install `ws`");
  return ctor;
}

/** Binary message data as bytes, or `undefined` for a text frame. */
export function messageBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // `ws` with binaryType "fragments" (never set here) or a Blob (never with "arraybuffer").
  return undefined;
}

/** Stops listening to a socket we are done with. */
export function detach(ws: WebSocketLike): void {
  ws.onopen = null;
  ws.onmessage = null;
  ws.onclose = null;
  ws.onerror = () => {}; // `ws` throws on an unhandled late error event
}

/** A normal close (1000), waiting up to a second for the closing handshake. */
export function closeGracefully(ws: WebSocketLike): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(finish, 1000);
    function finish(): void {
      clearTimeout(timer);
      ws.onclose = null;
      if (ws.readyState !== CLOSED && ws.terminate) ws.terminate();
      resolve();
    }
    ws.onclose = finish;
    try {
      ws.close(1000, "bye");
    } catch {
      finish();
    }
  });
}
