// One subscription's delivery log (Webhooks tab), newest first: each
// delivery's status (a dead one marked as a dead letter), the event it
// carries (its body on demand), and every try with its time, the receiver's
// HTTP status or why there was none. Redeliver sends a dead or sent one
// again (its id stays: receivers drop what they already handled). Refresh
// reads it again; while a delivery is pending it is read again by itself.

import { useEffect, useState } from "react";
import { apiCall, query } from "../api.js";
import { eventType, mayRedeliver, statusDetail, statusText, tryOk, tryText } from "./deliveries.js";
import { readable } from "./readable.js";
import { Delivery, type Webhook } from "./studioSchemas.js";
import { useList } from "./useList.js";
import { formatExact } from "./when.js";
import { ListStatus } from "./ListStatus.js";

/** How many deliveries the log shows. */
const LIMIT = 50;
/** How soon a log with a pending delivery is read again. */
const PENDING_POLL_MS = 2_000;

export function DeliveryLog({ webhook, id }: { webhook: Webhook; id: string }) {
  const { list, error, reload } = useList(`/webhooks/${webhook.id}/deliveries${query({ limit: LIMIT })}`, Delivery);
  const [problem, setProblem] = useState<{ id: string; text: string } | undefined>();
  const [sending, setSending] = useState<string | undefined>();
  const pending = list?.some((d) => d.status === "pending") ?? false;
  useEffect(() => {
    if (!pending) return;
    const t = setTimeout(reload, PENDING_POLL_MS);
    return () => clearTimeout(t);
  }, [pending, list, reload]);

  const redeliver = async (d: Delivery) => {
    setSending(d.id);
    setProblem(undefined);
    try {
      await apiCall("POST", `/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`, Delivery);
    } catch (e) {
      setProblem({ id: d.id, text: readable(e) });
    } finally {
      setSending(undefined);
      reload();
    }
  };

  const deleted = webhook.deletedAt !== null;
  return (
    <section id={id} className="delivery-log" aria-label={`Deliveries to ${webhook.url}`} data-testid="webhook-deliveries">
      <div className="delivery-log__head">
        <h4>Delivery log</h4>
        <span className="muted small" role="status">
          {list === undefined ? "" : `${list.length === LIMIT ? `The latest ${LIMIT}` : list.length === 1 ? "1 delivery" : `${list.length} deliveries`}, newest first${pending ? "; pending ones are followed" : ""}.`}
        </span>
        <button type="button" onClick={reload} data-testid="deliveries-refresh">
          Refresh
        </button>
      </div>
      <ListStatus error={error} list={list} empty="Nothing sent yet: deliveries start with the next event of a chosen kind." />
      {list && list.length > 0 ? (
        <table className="admin-table delivery-table">
          <thead>
            <tr>
              <th scope="col">Status</th>
              <th scope="col">Event</th>
              <th scope="col">Tries</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <DeliveryRow key={d.id} d={d} deleted={deleted} sending={sending === d.id} problem={problem?.id === d.id ? problem.text : undefined} onRedeliver={redeliver} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

interface RowProps {
  d: Delivery;
  deleted: boolean;
  sending: boolean;
  problem: string | undefined;
  onRedeliver: (d: Delivery) => void;
}

function DeliveryRow({ d, deleted, sending, problem, onRedeliver }: RowProps) {
  const type = eventType(d.payload);
  return (
    <tr className={`delivery delivery--${d.status}`} data-testid="delivery-row" data-id={d.id} data-status={d.status}>
      <td className="delivery__status">
        <span className={`delivery-badge delivery-badge--${d.status}`}>{statusText(d.status)}</span>
        <span className="muted small">{statusDetail(d, formatExact)}</span>
      </td>
      <td>
        <details className="delivery__event">
          <summary>
            <code>{type ?? "event"}</code>
            {d.seq !== null ? <span className="muted small"> #{d.seq}</span> : null}
            <span className="muted small"> · {formatExact(d.createdAt)}</span>
          </summary>
          <p className="muted small">
            <code>X-PT-Delivery: {d.id}</code>
          </p>
          <pre className="delivery__body">{JSON.stringify(d.payload, null, 2)}</pre>
        </details>
      </td>
      <td>
        {d.tries.length === 0 ? (
          <span className="muted small">None yet</span>
        ) : (
          <ol className="delivery__tries" data-testid="delivery-tries">
            {d.tries.map((t) => (
              <li key={t.attempt} className={tryOk(t) ? "delivery__try--ok" : "delivery__try--failed"}>
                <span className="muted">#{t.attempt}</span> <time dateTime={t.at}>{formatExact(t.at)}</time> — {tryText(t)}
              </li>
            ))}
          </ol>
        )}
      </td>
      <td className="actions">
        {mayRedeliver(d, deleted) ? (
          <button type="button" disabled={sending} onClick={() => onRedeliver(d)} data-testid="redeliver" aria-label={`Redeliver ${type ?? "event"} #${d.seq ?? ""}`.trim()}>
            Redeliver
          </button>
        ) : null}
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
