import { defineConfig } from "vitest/config";

// `npm run bench:web`: the board's render benchmark (bench/web-render.run.ts).
// Not a timed test: it prints figures and fails only if the page breaks.
export default defineConfig({
  test: {
    name: "bench",
    include: ["bench/**/*.run.ts"],
    environment: "node",
    testTimeout: 2_400_000,
    hookTimeout: 900_000,
  },
});
