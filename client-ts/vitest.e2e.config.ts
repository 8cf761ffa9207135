import { defineConfig } from "vitest/config";

// The web app in a real browser (Debian's Chromium driven by playwright-core)
// against a real pt-server serving the built app (test/e2e/global-setup.ts).
// One file at a time: the files share the server's demo studio and the
// machine has two cores.
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
