// The job marketplace's tabs (`#/jobs/<tab>`), in the order the tab bar shows
// them, and who sees each: owners and managers post and decide ("Studio
// jobs"); freelancers see their studio's open listings there and apply, and
// follow their own applications; everyone browses the public board and keeps
// saved jobs. The server checks every call too; this only decides what is shown.

import { mayApply, mayManageJobs } from "./model.js";

export type JobsTab = "studio" | "board" | "applications" | "saved";

export interface JobsTabInfo {
  tab: JobsTab;
  label: string;
  visible: (role: string | undefined) => boolean;
}

export const JOBS_TABS: readonly JobsTabInfo[] = [
  { tab: "studio", label: "Studio jobs", visible: (r) => mayManageJobs(r) || mayApply(r) },
  { tab: "board", label: "Job board", visible: (r) => r !== undefined },
  { tab: "applications", label: "My applications", visible: mayApply },
  { tab: "saved", label: "Saved jobs", visible: (r) => r !== undefined },
];

/** The tabs `role` may see; a freelancer starts on the board, managers on their studio's jobs. */
export function jobsTabsFor(role: string | undefined): JobsTabInfo[] {
  const tabs = JOBS_TABS.filter((t) => t.visible(role));
  if (!mayApply(role)) return tabs;
  return [...tabs.filter((t) => t.tab === "board"), ...tabs.filter((t) => t.tab !== "board")];
}
