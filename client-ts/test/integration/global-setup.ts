// Builds and starts a real pt-server for the integration tests (see
// ../pt-server.ts): embedded store in a fresh temporary directory, port 0.
// Its WebSocket URL reaches the tests through `inject("wsUrl")`; teardown
// stops it.

import type { TestProject } from "vitest/node";
import { ptServerBinary, startPtServer } from "../pt-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `ws://HOST:PORT/api/v1/ws` */
    wsUrl: string;
    /** `http://HOST:PORT` */
    httpUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPtServer(ptServerBinary(), [], "pt-client-ts-", {
    // Cheap password hashing and no rate limits: every test signs up a studio.
    PT_ARGON2_MEMORY_KIB: "64",
    PT_RATE_LIMIT_PER_SECOND: "0",
    PT_AUTH_RATE_LIMIT_PER_MINUTE: "0",
    // Bursts of commands from one studio owner (WebSocket commands spend the
    // per-user bucket too).
    PT_USER_RATE_LIMIT_PER_SECOND: "0",
  });
  project.provide("httpUrl", server.base);
  project.provide("wsUrl", `${server.base.replace(/^http/, "ws")}/api/v1/ws`);
  return () => server.stop();
}
