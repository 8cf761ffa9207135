// Project commands over the real WebSocket: a plan built by one client is
// seen by another's project view, a push re-plan arrives as one event per
// moved phase, and a cycle is refused with the phases on it.

import { describe, expect, it } from "vitest";
import { CommandError } from "../../src/index.js";
import { newTenant, openClosedAfterEach, waitFor } from "./helpers.js";

const client = openClosedAfterEach();

describe("projects", () => {
  it("builds a plan over the socket; another client's project view follows a push", async () => {
    const tenant = await newTenant();
    const a = await client(tenant);
    const b = await client(tenant);
    const { result: made } = await a.createProject({ name: "Nova", code: "NOVA", startDate: "2031-03-03", endDate: "2031-06-02" });
    const projectId = made.project.id;
    const layout = (await a.createPhase(projectId, { name: "Layout", startDate: "2031-03-03", endDate: "2031-03-08" })).result.change.phase;
    const anim = (await a.createPhase(projectId, { name: "Animation", startDate: "2031-03-10", endDate: "2031-03-15" })).result.change.phase;
    await a.addDependency(projectId, { predecessorId: layout.id, successorId: anim.id });

    const view = b.subscribe({ kind: "project", projectId });
    await view.ready;
    expect(view.projects.get(projectId)?.phases.map((p) => p.name)).toEqual(["Layout", "Animation"]);

    const pushed = await a.updatePhase(layout.id, { startDate: "2031-03-10", endDate: "2031-03-15", mode: "push" });
    expect(pushed.result.change.moved).toEqual([
      { phaseId: anim.id, oldStart: "2031-03-10", oldEnd: "2031-03-15", newStart: "2031-03-17", newEnd: "2031-03-22" },
    ]);
    await waitFor("B to see Animation pushed", () =>
      view.projects.get(projectId)?.phases.find((p) => p.id === anim.id)?.startDate === "2031-03-17",
    );
    await pushed.durable;

    const refused = await a.addDependency(projectId, { predecessorId: anim.id, successorId: layout.id }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(CommandError);
    const err = refused as CommandError;
    expect(err.code).toBe("dependency_cycle");
    expect((err.details as { cycle: string[] }).cycle).toEqual([layout.id, anim.id]);
  });
});
