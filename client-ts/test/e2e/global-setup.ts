// For the browser tests: builds the web app (unless PT_WEB_DIR names a build)
// and pt-server, starts it with `--demo` on the embedded store in a scratch
// directory, port 0, serving the app; the tests get its URL via
// `inject("baseUrl")`. Rate limits stay at their production defaults, except
// the sign-in burst: every test signs in several users from one address
// (200: the whole suite, Studio area included, from one address). Webhooks
// may call loopback receivers (the test's own), and deliveries give up fast:
// 3 tries, 300 ms apart at first, looked at every 100 ms.

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { ptServerBinary, repo, startPtServer } from "../pt-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** `http://HOST:PORT`, serving the web app at `/`. */
    baseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let webDir = process.env.PT_WEB_DIR;
  if (!webDir) {
    const build = spawnSync("npm", ["run", "build:web"], {
      cwd: join(repo, "client-ts"),
      stdio: ["ignore", "inherit", "inherit"],
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's
      // development build (bigger and slower): build what users get.
      env: { ...process.env, NODE_ENV: "production" },
    });
    if (build.status !== 0) throw new Error(`npm run build:web failed (exit ${build.status})`);
    webDir = join(repo, "client-ts", "dist-web");
  }
  const webhooks = ["--webhook-allow-private", "--delivery-retry-base-ms", "300", "--delivery-max-attempts", "3", "--delivery-tick-ms", "100"];
  const server = await startPtServer(ptServerBinary(), ["--demo", "--web-dir", webDir, "--auth-rate-limit-burst", "200", ...webhooks], "pt-web-e2e-");
  project.provide("baseUrl", server.base);
  return () => server.stop();
}
