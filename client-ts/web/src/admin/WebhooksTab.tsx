// The Webhooks tab (owners: `webhooks:manage`): subscribe a URL to some of
// the studio's events (`WebhookForm.tsx`) — its signing secret is shown once,
// with Copy — and the subscriptions, newest first, deleted ones too: URL,
// events, created, state; Delete (behind a confirmation) stops the calls but
// keeps the log. Each one's delivery log opens below its row
// (`DeliveryLog.tsx`). How a receiver checks a call: `WebhookVerify.tsx`.

import { useState } from "react";
import { apiCall } from "../api.js";
import { Confirm } from "../Confirm.js";
import { DeliveryLog } from "./DeliveryLog.js";
import { SecretOnce } from "./SecretOnce.js";
import { Webhook } from "./studioSchemas.js";
import { useList } from "./useList.js";
import { eventsText } from "./webhookEvents.js";
import { WebhookForm } from "./WebhookForm.js";
import { WebhookVerify } from "./WebhookVerify.js";
import { formatWhen } from "./when.js";
import "./settings.css";
import "./webhooks.css";
import { ListStatus } from "./ListStatus.js";

export function WebhooksTab() {
  const { list, error, reload } = useList("/webhooks", Webhook);
  const [secret, setSecret] = useState<string | undefined>();
  const [deleting, setDeleting] = useState<Webhook | undefined>();
  const [open, setOpen] = useState<string | undefined>();
  return (
    <section className="admin-webhooks" aria-labelledby="webhooks-title" data-testid="webhooks-tab">
      <h2 id="webhooks-title">Webhooks</h2>
      <p className="muted">
        A webhook calls your URL with each of the studio's events of the kinds you choose, from the moment it is added, signed with its own secret.
      </p>
      <WebhookForm
        onCreated={(s) => {
          setSecret(s);
          reload();
        }}
      />
      {secret ? <SecretOnce label="The signing secret" value={secret} onDone={() => setSecret(undefined)} /> : null}
      <WebhookVerify />
      <h3>Subscriptions</h3>
      <ListStatus error={error} list={list} empty="No webhooks yet." />
      {list && list.length > 0 ? (
        <WebhookTable list={list} open={open} onToggle={(id) => setOpen(open === id ? undefined : id)} onDelete={setDeleting} />
      ) : null}
      {deleting ? (
        <Confirm
          title="Delete this webhook?"
          text={`Nothing more is sent to ${deleting.url}; deliveries still queued are skipped. Its delivery log stays. This cannot be undone.`}
          action="Delete"
          run={() => apiCall("DELETE", `/webhooks/${deleting.id}`, Webhook)}
          onDone={() => {
            setDeleting(undefined);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

interface TableProps {
  list: Webhook[];
  open: string | undefined;
  onToggle: (id: string) => void;
  onDelete: (w: Webhook) => void;
}

function WebhookTable({ list, open, onToggle, onDelete }: TableProps) {
  return (
    <table className="admin-table webhook-table" data-testid="webhooks">
      <thead>
        <tr>
          <th scope="col">URL</th>
          <th scope="col">Events</th>
          <th scope="col">Created</th>
          <th scope="col">State</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      {list.map((w) => {
        const logId = `webhook-log-${w.id}`;
        const shown = open === w.id;
        return (
          <tbody key={w.id} className={w.deletedAt ? "webhook--deleted" : undefined}>
            <tr data-testid="webhook-row" data-id={w.id} data-state={w.deletedAt ? "deleted" : "active"}>
              <th scope="row" className="webhook-table__url">
                <code>{w.url}</code>
              </th>
              <td>
                <ul className="webhook-table__events">
                  {eventsText(w.events).map((line) => (
                    <li key={line}>{line}</li>
                  ))}
                </ul>
              </td>
              <td>{formatWhen(w.createdAt)}</td>
              <td>{w.deletedAt ? `Deleted ${formatWhen(w.deletedAt)}` : "Active"}</td>
              <td className="actions">
                <button type="button" aria-expanded={shown} aria-controls={shown ? logId : undefined} onClick={() => onToggle(w.id)} data-testid="webhook-log-toggle">
                  {shown ? "Hide deliveries" : "Deliveries"}
                  <span className="visually-hidden"> to {w.url}</span>
                </button>
                {w.deletedAt ? null : (
                  <button type="button" className="danger" aria-label={`Delete the webhook to ${w.url}`} onClick={() => onDelete(w)}>
                    Delete
                  </button>
                )}
              </td>
            </tr>
            {shown ? (
              <tr className="webhook-table__log">
                <td colSpan={5}>
                  <DeliveryLog webhook={w} id={logId} />
                </td>
              </tr>
            ) : null}
          </tbody>
        );
      })}
    </table>
  );
}
