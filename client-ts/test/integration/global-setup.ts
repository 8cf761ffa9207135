// Builds and starts a real pt-server for the integration tests: embedded store
// in a fresh temporary directory, port 0, no DATABASE_URL. Its WebSocket URL
// reaches the tests through `inject("wsUrl")`; teardown stops it.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** `ws://HOST:PORT/api/v1/ws` */
    wsUrl: string;
    /** `http://HOST:PORT` */
    httpUrl: string;
  }
}

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const START_TIMEOUT_MS = 60_000;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache", "pt-target");
  const bin = process.env.PT_SERVER_BIN || join(targetDir, "debug", "pt-server");
  if (!process.env.PT_SERVER_BIN) {
    const build = spawnSync("cargo", ["build", "-p", "pt-server"], {
      cwd: repo,
      env: { ...process.env, CARGO_TARGET_DIR: targetDir },
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (build.status !== 0) throw new Error(`cargo build -p pt-server failed (${build.error?.message ?? `exit ${build.status}`})`);
  }

  const dataDir = mkdtempSync(join(tmpdir(), "pt-client-ts-"));
  const logPath = join(dataDir, "pt-server.log");
  const log = createWriteStream(logPath);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PT_LOG: process.env.PT_LOG ?? "info,tower_http=warn",
    PT_LOG_FORMAT: "text",
    // Cheap password hashing and no rate limits: every test signs up a studio.
    PT_ARGON2_MEMORY_KIB: "64",
    PT_RATE_LIMIT_PER_SECOND: "0",
    PT_AUTH_RATE_LIMIT_PER_MINUTE: "0",
  };
  delete env.DATABASE_URL; // the embedded store, whatever the shell says
  const child = spawn(bin, ["--listen", "127.0.0.1:0", "--data-dir", join(dataDir, "data")], {
    cwd: dataDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });

  const base = await listeningAddress(child, log, logPath);
  project.provide("httpUrl", base);
  project.provide("wsUrl", `${base.replace(/^http/, "ws")}/api/v1/ws`);

  return async () => {
    await stop(child);
    log.end();
    if (!process.env.PT_KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
  };
}

/** Reads the server's stderr until it says where it listens; keeps draining it into the log file after. */
function listeningAddress(child: ChildProcess, log: NodeJS.WritableStream, logPath: string): Promise<string> {
  return new Promise((resolveAddr, reject) => {
    let seen = "";
    let done = false;
    const timer = setTimeout(() => fail(`pt-server did not say "listening on" within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    function fail(why: string): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${why}; its log (${logPath}):\n${seen.slice(-4000)}`));
    }
    child.stderr!.setEncoding("utf8");
    child.stderr!.on("data", (chunk: string) => {
      log.write(chunk); // always drained: a full pipe would block the server
      if (done) return;
      seen += chunk;
      const m = /listening on (http:\/\/[^\s"]+)/.exec(seen);
      if (m) {
        done = true;
        clearTimeout(timer);
        resolveAddr(m[1]!);
      }
    });
    child.once("error", (e) => fail(`cannot start pt-server: ${e.message}`));
    child.once("exit", (code, signal) => fail(`pt-server exited (${code ?? signal}) before listening`));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
