// Renders the API reference at /api/docs (see server/src/api_docs.rs). A file
// of its own, not an inline script, so the page's CSP can say script-src 'self'.
import { init } from "/api/docs/redoc.standalone.js";

// Redoc 3 reports usage to Redocly unless told not to; this page talks to no
// one but its own server (the CSP would block it anyway).
init("/api/v1/openapi.json", { disableTelemetry: true }, document.getElementById("reference"));
