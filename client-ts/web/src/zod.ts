// zod, configured before any schema is made: zod compiles fast parsers with
// `new Function` when it may, and probes for that when an object schema is
// created. The server's CSP forbids eval (every probe would be a CSP
// violation report), so it is told up front. Import `z` from here.

import { z } from "zod";

z.config({ jitless: true });

export { z };
