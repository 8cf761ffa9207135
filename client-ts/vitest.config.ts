import { defineConfig } from "vitest/config";

// Two projects: `unit` needs nothing (golden vectors, client logic against an
// in-process fake server); `integration` builds and starts a real pt-server
// (see test/global-setup.ts) and talks to it over real WebSockets.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
