// The event kinds a webhook subscribes to (`EventKind` of `POST /webhooks`:
// the durable log's event `type`), grouped as the Webhooks tab offers them,
// with what each means; a group's checkbox state and toggle; and a
// subscription's events said per group ("Bookings: all").

export interface EventChoice {
  kind: string;
  label: string;
}

export interface EventGroup {
  name: string;
  events: EventChoice[];
}

export const EVENT_GROUPS: EventGroup[] = [
  {
    name: "Artists",
    events: [
      { kind: "artistCreated", label: "Added" },
      { kind: "artistUpdated", label: "Changed" },
      { kind: "artistArchived", label: "Archived" },
    ],
  },
  {
    name: "Time off",
    events: [
      { kind: "timeOffRequested", label: "Requested" },
      { kind: "timeOffDecided", label: "Approved or declined" },
      { kind: "timeOffCancelled", label: "Cancelled" },
    ],
  },
  {
    name: "Bookings",
    events: [
      { kind: "bookingCreated", label: "Made" },
      { kind: "bookingUpdated", label: "Changed" },
      { kind: "bookingMoved", label: "Moved" },
      { kind: "bookingStatusChanged", label: "Status changed" },
      { kind: "bookingRestored", label: "Restored" },
    ],
  },
  {
    name: "Projects",
    events: [
      { kind: "projectCreated", label: "Project created" },
      { kind: "projectUpdated", label: "Project changed" },
      { kind: "projectArchived", label: "Project archived" },
      { kind: "phaseCreated", label: "Phase added" },
      { kind: "phaseUpdated", label: "Phase changed" },
      { kind: "phaseDeleted", label: "Phase deleted" },
      { kind: "dependencyAdded", label: "Dependency added" },
      { kind: "dependencyRemoved", label: "Dependency removed" },
      { kind: "milestoneCreated", label: "Milestone added" },
      { kind: "milestoneUpdated", label: "Milestone changed" },
      { kind: "milestoneDeleted", label: "Milestone deleted" },
    ],
  },
  {
    name: "Notifications",
    events: [
      { kind: "notificationCreated", label: "Sent to someone" },
      { kind: "notificationsRead", label: "Read" },
    ],
  },
];

/** Every kind, in the groups' order. */
export const EVENT_KINDS: string[] = EVENT_GROUPS.flatMap((g) => g.events.map((e) => e.kind));

/** Whether all, some or none of `group`'s kinds are chosen. */
export function groupState(chosen: ReadonlySet<string>, group: EventGroup): "all" | "some" | "none" {
  const n = group.events.filter((e) => chosen.has(e.kind)).length;
  return n === 0 ? "none" : n === group.events.length ? "all" : "some";
}

/** The group's checkbox: all of it chosen unless it all was, then none of it. */
export function toggleGroup(chosen: ReadonlySet<string>, group: EventGroup): Set<string> {
  const next = new Set(chosen);
  const all = groupState(chosen, group) === "all";
  for (const e of group.events) {
    if (all) next.delete(e.kind);
    else next.add(e.kind);
  }
  return next;
}

/** One kind chosen or not. */
export function toggleKind(chosen: ReadonlySet<string>, kind: string): Set<string> {
  const next = new Set(chosen);
  if (!next.delete(kind)) next.add(kind);
  return next;
}

/** The chosen kinds in the groups' order (as `POST /webhooks` takes them). */
export function orderedKinds(chosen: ReadonlySet<string>): string[] {
  return EVENT_KINDS.filter((k) => chosen.has(k));
}

/**
 * A subscription's events, a line per group: "Bookings: all", "Artists: Added,
 * Archived"; kinds this app does not know go last, as "Other: …" by name.
 */
export function eventsText(kinds: readonly string[]): string[] {
  const have = new Set(kinds);
  const lines: string[] = [];
  for (const g of EVENT_GROUPS) {
    const state = groupState(have, g);
    if (state === "all") lines.push(`${g.name}: all`);
    else if (state === "some") lines.push(`${g.name}: ${g.events.filter((e) => have.has(e.kind)).map((e) => e.label).join(", ")}`);
  }
  const other = kinds.filter((k) => !EVENT_KINDS.includes(k));
  if (other.length > 0) lines.push(`Other: ${other.join(", ")}`);
  return lines;
}
