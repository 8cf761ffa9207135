// The web scheduler board. Root: this folder; output: ../dist-web, which
// pt-server serves at `/` (`--web-dir`). Everything is bundled: no CDN, no
// remote fonts, no inline scripts (the server's CSP allows only 'self').
//
// `npm run dev:web` serves it with hot reload and forwards /api (REST and the
// WebSocket) to a pt-server on 127.0.0.1:8080 (`PT_API` overrides).

import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const api = process.env.PT_API ?? "http://127.0.0.1:8080";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  build: {
    outDir: fileURLToPath(new URL("../dist-web", import.meta.url)),
    emptyOutDir: true,
    // The modulepreload polyfill would be an inline script; modern browsers need none.
    modulePreload: { polyfill: false },
    // No source maps in the shipped bundle: pt-server would serve them to
    // anyone (they carry the whole source). `npm run dev:web` has its own.
    sourcemap: false,
    target: "es2022",
  },
  server: {
    proxy: { "/api": { target: api, ws: true, changeOrigin: true } },
  },
});
