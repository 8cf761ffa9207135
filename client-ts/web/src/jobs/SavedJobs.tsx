// Jobs › Saved jobs: the listings I saved (`GET /jobs/saved`), as job board
// cards; unsaving one takes it off this list.

import { useEffect, useState } from "react";
import { ListStatus } from "../admin/ListStatus.js";
import { useList } from "../admin/useList.js";
import { useBoard } from "../store.js";
import { JobCard } from "./JobCard.js";
import { mayApply } from "./model.js";
import { JobBoardItem } from "./schemas.js";

export function SavedJobs() {
  const role = useBoard((st) => st.session?.role);
  const { list, error } = useList("/jobs/saved", JobBoardItem);
  const [dropped, setDropped] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => setDropped(new Set()), [list]);
  const shown = list?.filter((i) => !dropped.has(i.job.id));

  return (
    <div className="studio-tab" data-testid="saved-jobs">
      <div className="studio-tab__head">
        <h2>Saved jobs</h2>
      </div>
      <ListStatus error={error} list={shown} empty="Nothing saved: Save a listing on the job board to keep it here." />
      {shown && shown.length > 0 ? (
        <div className="job-cards">
          {shown.map((item) => (
            <JobCard key={item.job.id} item={item} canApply={mayApply(role)} onSaved={(saved) => !saved && setDropped((d) => new Set(d).add(item.job.id))} />
          ))}
        </div>
      ) : null}
    </div>
  );
}
