// zod, configured before any schema is made: zod compiles fast parsers with
// `new Function` when it may, and probes for that when an object schema is
// created. The server's CSP forbids eval (every probe would be a CSP
// violation report), so it is told up front. `main.tsx` imports this first;
// package.json lists it under `sideEffects` so the bundler keeps it.

import { config } from "zod";

config({ jitless: true });
