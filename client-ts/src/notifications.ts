// Notifications on the connection. Two events are about a person, not about
// any view's entities: `notificationCreated` (someone's change concerns the
// signed-in user) and `notificationsRead` (they read some, maybe in another
// tab). The server sends them only to that user's own connections, on each
// connection's oldest subscription, whatever view it watches — and, after a
// reconnect, again on every subscription that resumes from before them.
//
// So a view never applies them to its state (it only moves its `seq` past
// them), and the client hands each to the application once, as its
// `notification` and `notificationsRead` events (`ClientEvents`).

import type { Event } from "./generated/Event.js";
import type { EventEnvelope } from "./generated/EventEnvelope.js";
import type { Notification } from "./generated/Notification.js";
import type { NotificationId } from "./generated/NotificationId.js";
import type { Timestamp } from "./generated/Timestamp.js";
import type { UserId } from "./generated/UserId.js";

/** The events about the signed-in user's inbox. */
export type NotificationEvent = Extract<Event, { type: "notificationCreated" | "notificationsRead" }>;

/** The events a view applies to its state (every other one). */
export type ViewEvent = Exclude<Event, NotificationEvent>;

/** The signed-in user read these notifications (each was unread until then), here or in another tab. */
export interface NotificationsRead {
  userId: UserId;
  ids: NotificationId[];
  readAt: Timestamp;
  /** The event's place in the studio's log. */
  seq: number;
}

/** What the client emits for a notification event (`ClientEvents`). */
export interface NotificationEvents {
  notification: Notification;
  notificationsRead: NotificationsRead;
}

export function isNotificationEvent(event: Event): event is NotificationEvent {
  return event.type === "notificationCreated" || event.type === "notificationsRead";
}

/**
 * Hands each notification event on once. Events arrive in `seq` order on a
 * connection; after a reconnect the first subscription to resume replays every
 * one the client missed (each is later than all it had seen), and the others
 * replay them again: a `seq` at or below the last one passed on is a replay.
 */
export class NotificationRelay {
  private lastSeq = 0;

  /** Passes `envelope` on to `to` unless it was already; false if it is not a notification event. */
  relay(envelope: EventEnvelope, to: { [K in keyof NotificationEvents]: (value: NotificationEvents[K]) => void }): boolean {
    const { event, seq } = envelope;
    if (!isNotificationEvent(event)) return false;
    if (seq <= this.lastSeq) return true;
    this.lastSeq = seq;
    if (event.type === "notificationCreated") to.notification(event.notification);
    else to.notificationsRead({ userId: event.userId, ids: event.ids, readAt: event.readAt, seq });
    return true;
  }
}
