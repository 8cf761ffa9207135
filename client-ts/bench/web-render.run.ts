// The board's render benchmark (`npm run bench:web`; not a timed test).
//
// 1. Builds the web app and pt-server (`PT_SERVER_BIN` / `PT_WEB_DIR` skip
//    that), starts it with `--demo` on the embedded store, rate limits off.
// 2. Seeds the demo studio over REST: BENCH_ARTISTS (500) more artists and,
//    for each, one 2–4 day booking a week for 26 weeks (confirmed, pencil or
//    hold) plus a second, overlapping hold every third week.
// 3. In headless Chromium (1440×860): signs in and measures, with the page's
//    own clock (performance.now), the time until the first bar is drawn, then
//    a reload (session kept) until the first bar. Then it scrolls the board
//    programmatically, one step per animation frame, and records the
//    requestAnimationFrame deltas: vertically and horizontally at week zoom,
//    then across months at month zoom.
// 4. Prints p50/p95/max per run and writes test-artifacts/bench-web.json and a
//    screenshot.
//
// A/B on one seeded studio: `BENCH_AB="before=/path/dist-web-a,after=/path/dist-web-b"`
// serves each build in turn (the server's `--web-dir` is a symlink switched
// between them; it reads files per request) and measures each in a fresh
// browser context, writing test-artifacts/bench-web-<label>.json for each.
// Each scroll run stops after SCROLL_RUN_MAX_MS however many frames it drew.

import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, expect, test } from "vitest";
import { ptServerBinary, repo, startPtServer, type PtServer } from "../test/pt-server.js";

const ARTISTS = Number(process.env.BENCH_ARTISTS ?? 500);
const WEEKS = Number(process.env.BENCH_WEEKS ?? 26);
const CONCURRENCY = 32;
const DAY = 86_400_000; // ms
const ARTIFACTS = join(repo, "client-ts", "test-artifacts");
/** A scroll run that takes longer than this (a board that cannot keep up) ends early. */
const SCROLL_RUN_MAX_MS = 60_000;

let server: PtServer | undefined;
afterAll(async () => {
  await server?.stop();
});

test(`render benchmark: ${ARTISTS} artists × ${WEEKS} weeks`, async () => {
  let webDir = process.env.PT_WEB_DIR;
  if (!webDir) {
    const build = spawnSync("npm", ["run", "build:web"], {
      cwd: join(repo, "client-ts"),
      stdio: ["ignore", "inherit", "inherit"],
      // Vitest sets NODE_ENV=test, which would make Vite bundle React's
      // development build (bigger and slower): build what users get.
      env: { ...process.env, NODE_ENV: "production" },
    });
    expect(build.status).toBe(0);
    webDir = join(repo, "client-ts", "dist-web");
  }
  // A/B: the server serves a symlink, pointed at each build in turn.
  const variants = (process.env.BENCH_AB ?? "").split(",").filter(Boolean).map((v) => {
    const [label, dir] = v.split("=");
    return { label: label!, dir: dir! };
  });
  const link = join(mkdtempSync(join(tmpdir(), "pt-bench-web-")), "web");
  if (variants.length > 0) symlinkSync(variants[0]!.dir, link);
  const release = process.env.BENCH_RELEASE === "1";
  server = await startPtServer(ptServerBinary(release), ["--demo", "--web-dir", variants.length > 0 ? link : webDir, "--rate-limit-per-second", "0", "--user-rate-limit-per-second", "0", "--auth-rate-limit-per-minute", "0"], "pt-web-bench-");
  const base = server.base;

  // ---- seed over REST ----------------------------------------------------------
  const token = await login(base);
  const headers: Record<string, string> = { "content-type": "application/json", authorization: `Bearer ${token}` };
  const post = async (path: string, body: unknown): Promise<{ data: { id: string } }> => {
    for (let attempt = 0; ; attempt++) {
      const r = await fetch(`${base}/api/v1${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      if (r.ok) return (await r.json()) as { data: { id: string } };
      if (r.status === 503 && attempt < 20) {
        await new Promise((res) => setTimeout(res, 200));
        continue;
      }
      throw new Error(`POST ${path}: ${r.status} ${await r.text()}`);
    }
  };
  const seedStart = performance.now();
  const skills = ["compositing", "animation", "lighting", "fx", "modelling", "rigging", "layout", "texturing", "matchmove", "roto"];
  const artistIds = await pool(ARTISTS, async (i) => (await post("/artists", { name: `Bench Artist ${String(i).padStart(3, "0")}`, skills: [skills[i % skills.length], skills[(i * 7 + 3) % skills.length]] })).data.id);
  const now = Date.now();
  const today = now - (now % DAY);
  const monday = today - ((new Date(today).getUTCDay() + 6) % 7) * DAY - 2 * 7 * DAY;
  const jobs: unknown[] = [];
  artistIds.forEach((artistId, i) => {
    for (let w = 0; w < WEEKS; w++) {
      const startDay = monday + (w * 7 + ((i + w) % 3)) * DAY;
      const len = 2 + ((i + w) % 3);
      const start = startDay + 9 * 3_600_000;
      const end = startDay + (len - 1) * DAY + 18 * 3_600_000;
      const status = ["confirmed", "confirmed", "pencil", "hold"][(i + w) % 4]!;
      const hold = status === "hold" ? { expiresAt: new Date(now + 120 * DAY).toISOString() } : {};
      // Multi-day bookings span nights: booked as overtime (the server refuses them otherwise).
      jobs.push({ artistId, title: `Shot ${String(w * 10).padStart(3, "0")} · ${skills[i % skills.length]}`, status, startTime: new Date(start).toISOString(), endTime: new Date(end).toISOString(), allowOvertime: true, ...hold });
      if (w % 3 === 1) {
        jobs.push({ artistId, title: `2nd choice · week ${w + 1}`, status: "hold", startTime: new Date(start).toISOString(), endTime: new Date(end).toISOString(), expiresAt: new Date(now + 120 * DAY).toISOString() });
      }
    }
  });
  await pool(jobs.length, (i) => post("/bookings", jobs[i]));
  const seedMs = performance.now() - seedStart;
  console.log(`seeded ${artistIds.length} artists and ${jobs.length} bookings in ${(seedMs / 1000).toFixed(1)} s`);

  // ---- the browser --------------------------------------------------------------
  const browser = await chromium.launch({
    executablePath: process.env.PT_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
  try {
    const seeded = { artists: artistIds.length + 12, bookings: jobs.length + 72, seedSeconds: +(seedMs / 1000).toFixed(1) };
    if (variants.length === 0) {
      const result = await measure(browser, base, seeded, "bench-web");
      writeFileSync(join(ARTIFACTS, "bench-web.json"), JSON.stringify(result, null, 2));
    }
    for (const v of variants) {
      unlinkSync(link);
      symlinkSync(v.dir, link);
      const result = { build: v.label, ...(await measure(browser, base, seeded, `bench-web-${v.label}`)) };
      writeFileSync(join(ARTIFACTS, `bench-web-${v.label}.json`), JSON.stringify(result, null, 2));
      writeFileSync(join(ARTIFACTS, "bench-web.json"), JSON.stringify(result, null, 2));
    }
  } finally {
    await browser.close();
  }
});

/** Sign-in, reload and scrolling in a fresh context: the figures of one build. */
async function measure(browser: Browser, base: string, seeded: { artists: number; bookings: number; seedSeconds: number }, name: string): Promise<Result & Record<string, unknown>> {
  {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, timezoneId: "UTC", locale: "en-GB" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(() => {
      const w = window as unknown as { __firstBarAt?: number; __longTasks: number[] };
      // Main-thread tasks over 50 ms, counted per scroll run.
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push(e.duration);
      }).observe({ type: "longtask", buffered: true });
      new MutationObserver((_, obs) => {
        if (document.querySelector(".bar")) {
          w.__firstBarAt = performance.now();
          obs.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(base);
    await page.getByLabel("Email").fill("owner@demo.studio");
    await page.getByLabel("Password").fill("demo-studio-2026");
    const clickedAt = await page.evaluate(() => performance.now());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator(".bar").first().waitFor({ timeout: 120_000 });
    const signInToBoardMs = (await page.evaluate(() => (window as unknown as { __firstBarAt: number }).__firstBarAt)) - clickedAt;
    const bars = await page.locator(".bar").count();
    const rowsInDom = await page.locator(".row").count();

    await page.reload();
    await page.locator(".bar").first().waitFor({ timeout: 120_000 });
    const reloadToBoardMs = await page.evaluate(() => (window as unknown as { __firstBarAt: number }).__firstBarAt);
    // The app's marks: connect → snapshot decoded and applied by the client → indexed → first bar.
    const marks = await page.evaluate(() => {
      const at = (name: string) => performance.getEntriesByName(name)[0]?.startTime ?? NaN;
      return { connect: at("pt:connect"), snapshot: at("pt:snapshot"), indexed: at("pt:indexed"), firstBar: (window as unknown as { __firstBarAt: number }).__firstBarAt };
    });
    const reload = {
      toConnectMs: Math.round(marks.connect),
      connectToSnapshotMs: Math.round(marks.snapshot - marks.connect),
      snapshotToIndexedMs: Math.round(marks.indexed - marks.snapshot),
      indexedToFirstBarMs: Math.round(marks.firstBar - marks.indexed),
    };

    console.log(`${name}: sign-in → first bar ${Math.round(signInToBoardMs)} ms, reload → first bar ${Math.round(reloadToBoardMs)} ms`);
    const runs: Record<string, Stats> = {};
    runs["week zoom, vertical (500+ rows)"] = await scroll(page, 0, 60, 300);
    runs["week zoom, horizontal"] = await scroll(page, 45, 0, 300);
    runs["week zoom, diagonal"] = await scroll(page, 30, 30, 300);
    await page.getByRole("button", { name: "Month", exact: true }).click();
    await page.evaluate(() => document.querySelector<HTMLElement>("[data-testid=board]")!.scrollTo(0, 0));
    runs["month zoom, horizontal (6 months)"] = await scroll(page, 20, 0, 300);
    runs["month zoom, vertical"] = await scroll(page, 0, 60, 300);
    console.log(`${name}: scrolled`, JSON.stringify(runs));
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-month.png`) });
    const domNodes = await page.evaluate(() => document.querySelectorAll("*").length);
    const heapMb = await page.evaluate(() => ((performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0) / 1e6);

    const result = {
      ...seeded,
      signInToFirstBarMs: Math.round(signInToBoardMs),
      reloadToFirstBarMs: Math.round(reloadToBoardMs),
      reload,
      barsInDomAtStart: bars,
      rowsInDomAtStart: rowsInDom,
      domNodesAfterScrolling: domNodes,
      jsHeapMb: +heapMb.toFixed(1),
      scroll: runs,
    };
    console.log(`${name}:\n${report(result)}`);
    expect(errors).toEqual([]);
    await context.close();
    return result;
  }
}

async function login(base: string): Promise<string> {
  const r = await fetch(`${base}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "owner@demo.studio", password: "demo-studio-2026" }),
  });
  if (!r.ok) throw new Error(`login: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { data: { accessToken: string } }).data.accessToken;
}

/** Runs `fn(0..n-1)` with CONCURRENCY in flight; results in order. */
async function pool<T>(n: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await fn(i);
      }
    }),
  );
  return out;
}

interface Stats {
  frames: number;
  p50: number;
  p95: number;
  max: number;
  over33ms: number;
  /** Main-thread tasks over 50 ms during the run. */
  longTasks: number;
}

/** Scrolls the board by (dx, dy) every animation frame for `frames` frames; rAF deltas in ms. */
async function scroll(page: Page, dx: number, dy: number, frames: number): Promise<Stats> {
  await page.evaluate(() => ((window as unknown as { __longTasks: number[] }).__longTasks.length = 0));
  const deltas = await page.evaluate(
    ([dx, dy, frames, maxMs]) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector<HTMLElement>("[data-testid=board]")!;
        const out: number[] = [];
        let last = 0;
        let n = 0;
        const began = performance.now();
        const step = (t: number) => {
          if (last) out.push(t - last);
          last = t;
          if (n++ >= frames! || performance.now() - began > maxMs!) return resolve(out);
          // Bounce at the ends so every frame really scrolls.
          if (el.scrollTop + el.clientHeight + dy! >= el.scrollHeight || el.scrollTop + dy! < 0) dy = -dy!;
          if (el.scrollLeft + el.clientWidth + dx! >= el.scrollWidth || el.scrollLeft + dx! < 0) dx = -dx!;
          el.scrollBy(dx!, dy!);
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    [dx, dy, frames, SCROLL_RUN_MAX_MS],
  );
  const sorted = [...deltas].sort((a, b) => a - b);
  const q = (p: number) => +sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!.toFixed(1);
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks.length);
  return { frames: deltas.length, p50: q(0.5), p95: q(0.95), max: +sorted[sorted.length - 1]!.toFixed(1), over33ms: deltas.filter((d) => d > 33.4).length, longTasks };
}

interface Result {
  artists: number;
  bookings: number;
  signInToFirstBarMs: number;
  reloadToFirstBarMs: number;
  reload: { toConnectMs: number; connectToSnapshotMs: number; snapshotToIndexedMs: number; indexedToFirstBarMs: number };
  barsInDomAtStart: number;
  rowsInDomAtStart: number;
  scroll: Record<string, Stats>;
}

function report(r: Result): string {
  const lines = [
    "",
    `board: ${r.artists} artists, ${r.bookings} bookings`,
    `sign-in → first bar: ${r.signInToFirstBarMs} ms; reload → first bar: ${r.reloadToFirstBarMs} ms (${r.rowsInDomAtStart} rows, ${r.barsInDomAtStart} bars in the DOM)`,
    `reload: page load → connect ${r.reload.toConnectMs} ms, connect → snapshot applied ${r.reload.connectToSnapshotMs} ms, → indexed ${r.reload.snapshotToIndexedMs} ms, → first bar drawn ${r.reload.indexedToFirstBarMs} ms`,
    "",
    "| scroll run | frames | p50 ms | p95 ms | max ms | frames > 33 ms | tasks > 50 ms |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...Object.entries(r.scroll).map(([name, s]) => `| ${name} | ${s.frames} | ${s.p50} | ${s.p95} | ${s.max} | ${s.over33ms} | ${s.longTasks} |`),
    "",
  ];
  return lines.join("\n");
}
