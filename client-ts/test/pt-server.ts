// Builds and starts a real pt-server for tests and benchmarks: embedded store
// in a fresh temporary directory, port 0, no DATABASE_URL. Used by the
// integration tests, the browser tests and the render benchmark.
//
// `PT_SERVER_BIN=/path/to/pt-server` skips the cargo build.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const START_TIMEOUT_MS = 60_000;

export interface PtServer {
  /** `http://HOST:PORT` */
  base: string;
  dataDir: string;
  logPath: string;
  stop(): Promise<void>;
}

/** The pt-server binary, built with cargo unless `PT_SERVER_BIN` names one. */
export function ptServerBinary(release = false): string {
  if (process.env.PT_SERVER_BIN) return process.env.PT_SERVER_BIN;
  const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), ".cache", "pt-target");
  const args = ["build", "-p", "pt-server", ...(release ? ["--release"] : [])];
  const build = spawnSync("cargo", args, {
    cwd: repo,
    env: { ...process.env, CARGO_TARGET_DIR: targetDir },
    stdio: ["ignore", "inherit", "inherit"],
  });
  if (build.status !== 0) throw new Error(`cargo ${args.join(" ")} failed (${build.error?.message ?? `exit ${build.status}`})`);
  return join(targetDir, release ? "release" : "debug", "pt-server");
}

/** Starts `bin` with `args` (plus a scratch `--data-dir` and port 0) and `extraEnv`; resolves once it listens. */
export async function startPtServer(bin: string, args: string[] = [], prefix = "pt-test-", extraEnv: NodeJS.ProcessEnv = {}): Promise<PtServer> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const logPath = join(dataDir, "pt-server.log");
  const log = createWriteStream(logPath);
  const env: NodeJS.ProcessEnv = { ...process.env, PT_LOG: process.env.PT_LOG ?? "info,tower_http=warn", PT_LOG_FORMAT: "text", ...extraEnv };
  delete env.DATABASE_URL; // the embedded store, whatever the shell says
  const child = spawn(bin, ["--listen", "127.0.0.1:0", "--data-dir", join(dataDir, "data"), ...args], {
    cwd: dataDir,
    env,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const base = await listeningAddress(child, log, logPath);
  return {
    base,
    dataDir,
    logPath,
    async stop() {
      await stop(child);
      log.end();
      if (!process.env.PT_KEEP_TEST_DATA) rmSync(dataDir, { recursive: true, force: true });
    },
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
