// The Import / export tab ("data"): owners export and import artists and
// bookings; managers bookings only (the server checks each call too).

import { useBoard } from "../store.js";
import { ExportCsv } from "./ExportCsv.js";
import { ImportCsv } from "./ImportCsv.js";
import { isOwner } from "./roles.js";
import "./settings.css";

export function DataTab() {
  const owner = isOwner(useBoard((st) => st.session));
  return (
    <section className="admin-data" aria-labelledby="data-title">
      <h2 id="data-title">Import / export</h2>
      <ExportCsv artists={owner} />
      <ImportCsv kinds={owner ? ["bookings", "artists"] : ["bookings"]} />
    </section>
  );
}
