// Project plans in a view: the snapshot's plans, every project event applied
// to them (pure, and through a client against the fake server), and the typed
// project commands' frames and answers.

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyPlanEvent, connect, type Client, type Dependency, type Event, type Milestone, type Phase, type Project, type ProjectPlan, type View } from "../../src/index.js";
import type { ClientFrame } from "../../src/generated/ClientFrame.js";
import { FakeServer } from "./fake-server.js";

const P1 = "01920000-0000-7000-8000-0000000000p1";
const P2 = "01920000-0000-7000-8000-0000000000p2";
const T0 = 1_798_761_600_000_000;

function project(id: string, over: Partial<Project> = {}): Project {
  return {
    id, name: `Project ${id.slice(-2)}`, code: id.slice(-2).toUpperCase(), client: null, color: "#336699", status: "active",
    startDate: "2027-01-04", endDate: "2027-03-01", budgetDays: null, budgetAmount: null, currency: null, description: null,
    version: 1, createdAt: T0, updatedAt: T0, ...over,
  };
}
function phase(id: string, projectId: string, startDate: string, endDate: string, over: Partial<Phase> = {}): Phase {
  return { id, projectId, name: id, startDate, endDate, progress: 0, color: null, effort: [], version: 1, createdAt: T0, updatedAt: T0, ...over };
}
function dep(id: string, projectId: string, predecessorId: string, successorId: string): Dependency {
  return { id, projectId, predecessorId, successorId, kind: "finish_to_start", lagDays: 0, createdAt: T0 };
}
function milestone(id: string, projectId: string, date: string, phaseId: string | null = null): Milestone {
  return { id, projectId, name: id, date, done: false, phaseId, version: 1, createdAt: T0, updatedAt: T0 };
}
const plan = (p: Project): ProjectPlan => ({ project: p, phases: [], dependencies: [], milestones: [] });

describe("applyPlanEvent", () => {
  const tenant: View = { kind: "tenant" };

  it("creates a plan, keeps phases by start then id and milestones by date, and replaces entities whole", () => {
    const plans = new Map<string, ProjectPlan>();
    expect(applyPlanEvent(plans, tenant, { type: "projectCreated", project: project(P1) })).toBe(P1);
    applyPlanEvent(plans, tenant, { type: "phaseCreated", phase: phase("b", P1, "2027-01-11", "2027-01-18") });
    applyPlanEvent(plans, tenant, { type: "phaseCreated", phase: phase("a", P1, "2027-01-04", "2027-01-11") });
    applyPlanEvent(plans, tenant, { type: "phaseCreated", phase: phase("c", P1, "2027-01-11", "2027-01-13") });
    expect(plans.get(P1)!.phases.map((p) => p.id)).toEqual(["a", "b", "c"]);
    const before = plans.get(P1)!;
    applyPlanEvent(plans, tenant, { type: "phaseUpdated", phase: phase("a", P1, "2027-01-20", "2027-01-25", { version: 2 }) });
    expect(plans.get(P1)!.phases.map((p) => p.id)).toEqual(["b", "c", "a"]);
    expect(plans.get(P1)).not.toBe(before); // a new object: renderers compare by identity
    applyPlanEvent(plans, tenant, { type: "milestoneCreated", milestone: milestone("m2", P1, "2027-02-01") });
    applyPlanEvent(plans, tenant, { type: "milestoneCreated", milestone: milestone("m1", P1, "2027-01-15", "b") });
    expect(plans.get(P1)!.milestones.map((m) => m.id)).toEqual(["m1", "m2"]);
    applyPlanEvent(plans, tenant, { type: "projectUpdated", project: project(P1, { name: "Renamed", version: 2 }) });
    expect(plans.get(P1)!.project.name).toBe("Renamed");
    expect(plans.get(P1)!.phases).toHaveLength(3); // the project's fields only
    applyPlanEvent(plans, tenant, { type: "projectArchived", project: project(P1, { status: "archived", version: 3 }) });
    expect(plans.get(P1)!.project.status).toBe("archived"); // still readable
  });

  it("deleting a phase drops its dependencies and unlinks its milestones", () => {
    const plans = new Map([[P1, { ...plan(project(P1)), phases: [phase("a", P1, "2027-01-04", "2027-01-11"), phase("b", P1, "2027-01-11", "2027-01-18")] }]]);
    applyPlanEvent(plans, tenant, { type: "dependencyAdded", dependency: dep("d1", P1, "a", "b") });
    applyPlanEvent(plans, tenant, { type: "milestoneCreated", milestone: milestone("m1", P1, "2027-01-15", "b") });
    expect(plans.get(P1)!.dependencies.map((d) => d.id)).toEqual(["d1"]);
    applyPlanEvent(plans, tenant, { type: "phaseDeleted", phase: phase("b", P1, "2027-01-11", "2027-01-18") });
    const after = plans.get(P1)!;
    expect(after.phases.map((p) => p.id)).toEqual(["a"]);
    expect(after.dependencies).toEqual([]);
    expect(after.milestones[0]!.phaseId).toBeNull();
    applyPlanEvent(plans, tenant, { type: "dependencyAdded", dependency: dep("d2", P1, "a", "a2") });
    applyPlanEvent(plans, tenant, { type: "dependencyRemoved", dependency: dep("d2", P1, "a", "a2") });
    applyPlanEvent(plans, tenant, { type: "milestoneDeleted", milestone: milestone("m1", P1, "2027-01-15") });
    expect(plans.get(P1)!.dependencies).toEqual([]);
    expect(plans.get(P1)!.milestones).toEqual([]);
  });

  it("a project view keeps only its own project; booking events and unknown plans change nothing", () => {
    const view: View = { kind: "project", projectId: P1 };
    const plans = new Map([[P1, plan(project(P1))]]);
    expect(applyPlanEvent(plans, view, { type: "projectCreated", project: project(P2) })).toBeUndefined();
    expect(applyPlanEvent(plans, view, { type: "phaseCreated", phase: phase("x", P2, "2027-01-04", "2027-01-05") })).toBeUndefined();
    expect([...plans.keys()]).toEqual([P1]);
    // A phase of a project the tenant view never saw created: no half plan.
    expect(applyPlanEvent(new Map(), { kind: "tenant" }, { type: "phaseCreated", phase: phase("x", P2, "2027-01-04", "2027-01-05") })).toBeUndefined();
    const artistView: View = { kind: "artist", artistId: "a1" };
    expect(applyPlanEvent(plans, artistView, { type: "projectUpdated", project: project(P1) })).toBeUndefined();
  });
});

let server: FakeServer;
let url: string;
let client: Client | undefined;
beforeEach(async () => {
  server = new FakeServer();
  url = await server.start();
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await server.stop();
});

type Cmd = Extract<ClientFrame, { type: "command" }>;

describe("project plans through a client", () => {
  it("fills `projects` from the snapshot, applies project events and names the changed plans", async () => {
    let seq = 10;
    const send = (event: Event) => server.last.send({ type: "event", subIds: [1], event: { seq: ++seq, cmdId: `c${seq}`, at: T0, by: "u", event } });
    server.onFrame = (conn, f) => {
      if (f.type === "subscribe") {
        conn.send({ type: "snapshot", subId: f.subId, seq, artists: [], bookings: [], presence: [], projects: [{ ...plan(project(P1)), phases: [phase("a", P1, "2027-01-04", "2027-01-11")] }] });
      }
    };
    client = await connect(url, { token: "t", reconnect: false });
    const sub = client.subscribe({ kind: "project", projectId: P1 });
    const changed: string[][] = [];
    sub.onChange((c) => changed.push(c.projects));
    await sub.ready;
    expect(sub.projects.get(P1)!.phases.map((p) => p.startDate)).toEqual(["2027-01-04"]);
    send({ type: "phaseUpdated", phase: phase("a", P1, "2027-01-05", "2027-01-12", { version: 2 }) });
    send({ type: "projectCreated", project: project(P2) }); // another project: not this view's
    await waitFor(() => sub.seq === 12);
    expect(sub.projects.get(P1)!.phases[0]!.startDate).toBe("2027-01-05");
    expect(sub.projects.has(P2)).toBe(false);
    expect(changed).toEqual([[P1], [P1], []]);
  });

  it("sends each project command with its kind and resolves with the server's result", async () => {
    server.onFrame = (conn, f) => {
      if (f.type !== "command") return;
      const c = f.command;
      const result =
        c.kind === "updatePhase"
          ? { kind: "phase" as const, change: { phase: phase(c.id, P1, "2027-01-05", "2027-01-12"), moved: [{ phaseId: "b", oldStart: "2027-01-11", oldEnd: "2027-01-18", newStart: "2027-01-12", newEnd: "2027-01-19" }] } }
          : { kind: "project" as const, project: project(P1) };
      conn.send({ type: "accepted", cmdId: f.cmdId, seq: 20, result });
    };
    client = await connect(url, { token: "t", reconnect: false });
    const moved = await client.updatePhase("a", { startDate: "2027-01-05", endDate: "2027-01-12", mode: "push", version: 1 });
    expect(moved.result.change.moved.map((m) => m.phaseId)).toEqual(["b"]);
    const created = await client.createProject({ name: "Nova", code: "NOVA", startDate: "2027-01-04", endDate: "2027-03-01" });
    expect(created.result.project.id).toBe(P1);
    void client.addDependency(P1, { predecessorId: "a", successorId: "b", kind: "start_to_start", lagDays: 2 });
    void client.createMilestone(P1, { name: "Delivery", date: "2027-02-26" });
    void client.archiveProject(P1);
    await waitFor(() => server.last.frames.filter((f) => f.type === "command").length === 5);
    const sent = server.last.frames.filter((f): f is Cmd => f.type === "command").map((f) => f.command);
    expect(sent.map((c) => c.kind)).toEqual(["updatePhase", "createProject", "addDependency", "createMilestone", "archiveProject"]);
    expect(sent[2]).toEqual({ kind: "addDependency", projectId: P1, dependency: { predecessorId: "a", successorId: "b", kind: "start_to_start", lagDays: 2 } });
  });
});

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}
