// The job board's job alerts, their pure parts and their calls (with a
// stand-in for `fetch`): the answer's schema, the skills as a line
// ("compositing 4, nuke 3"), the note under the checkbox, the `PUT` sent,
// and the server's refusal (422, no artist with skills) as people read it.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { readable } from "../../web/src/admin/readable.js";
import { ApiError } from "../../web/src/api.js";
import { loadJobAlerts, setJobAlerts } from "../../web/src/jobs/actions.js";
import { alertSkillsText, alertsNote } from "../../web/src/jobs/model.js";
import { JobAlerts } from "../../web/src/jobs/schemas.js";
import { initial, useBoard } from "../../web/src/store/state.js";

const HERE = "0192f0a0-0000-7000-8000-000000000001";
const ELSEWHERE = "0192f0a0-0000-7000-8000-000000000002";
const ON = { enabled: true, skills: [{ name: "compositing", level: 4, years: 6 }, { name: "nuke", level: 3, years: null }, { name: "roto", level: 2 }], studioId: HERE };
const OFF = { enabled: false, skills: [], studioId: null };
const REFUSAL = "job alerts match your profile's skills: you have no artist with skills in this studio";

describe("job alerts, pure", () => {
  test("the answer parses on and off; years may be missing or null", () => {
    expect(JobAlerts.parse(ON).skills.map((s) => s.years)).toEqual([6, null, undefined]);
    expect(JobAlerts.parse(OFF)).toEqual(OFF);
    expect(JobAlerts.safeParse({ enabled: true, skills: [{ name: "nuke" }], studioId: HERE }).success).toBe(false);
    expect(JobAlerts.safeParse({ enabled: "yes", skills: [], studioId: null }).success).toBe(false);
  });

  test("the skills as a line, each with its level, in the server's order", () => {
    expect(alertSkillsText(ON.skills)).toBe("compositing 4, nuke 3, roto 2");
    expect(alertSkillsText([])).toBe("");
  });

  test("the note: on, with the skills; off, what turning on takes; on in another studio, said", () => {
    const on = JobAlerts.parse(ON);
    expect(alertsNote(on, HERE)).toBe("On, matching compositing 4, nuke 3, roto 2.");
    expect(alertsNote(on, undefined)).toBe("On, matching compositing 4, nuke 3, roto 2.");
    expect(alertsNote(JobAlerts.parse(OFF), HERE)).toBe("Off. Turning them on uses the skills of your artist profile in this studio.");
    expect(alertsNote(on, ELSEWHERE)).toMatch(/^On, matching compositing 4, nuke 3, roto 2\. They arrive in the inbox of the other studio/);
    expect(alertsNote({ ...on, skills: [] }, HERE)).toBe("On.");
  });
});

describe("job alerts over REST", () => {
  let answer: { status: number; body: unknown };

  beforeEach(() => {
    useBoard.setState({ ...initial, session: { accessToken: "tok" } as never });
    answer = { status: 200, body: { data: ON } };
    vi.stubGlobal(
      "fetch",
      vi.fn(() => Promise.resolve(new Response(JSON.stringify(answer.body), { status: answer.status }))),
    );
  });

  afterEach(() => vi.unstubAllGlobals());

  test("read with GET /me/job-alerts", async () => {
    answer.body = { data: OFF };
    expect(await loadJobAlerts()).toEqual(OFF);
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(url).toBe("/api/v1/me/job-alerts");
    expect(init).toMatchObject({ method: "GET", headers: { authorization: "Bearer tok" } });
  });

  test("turned on with PUT { enabled: true }: the skills matched on come back", async () => {
    const got = await setJobAlerts(true);
    expect(alertSkillsText(got.skills)).toBe("compositing 4, nuke 3, roto 2");
    const [url, init] = vi.mocked(fetch).mock.calls[0]!;
    expect(url).toBe("/api/v1/me/job-alerts");
    expect(init?.method).toBe("PUT");
    expect(JSON.parse(init?.body as string)).toEqual({ enabled: true });
  });

  test("turned off with PUT { enabled: false }", async () => {
    answer.body = { data: OFF };
    expect((await setJobAlerts(false)).enabled).toBe(false);
    expect(JSON.parse(vi.mocked(fetch).mock.calls[0]![1]?.body as string)).toEqual({ enabled: false });
  });

  test("refused without an artist with skills (422): the server's message, as a sentence", async () => {
    answer = { status: 422, body: { error: { code: "unprocessable", message: REFUSAL } } };
    const e = await setJobAlerts(true).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(422);
    expect(readable(e)).toBe("Job alerts match your profile's skills: you have no artist with skills in this studio.");
  });
});
