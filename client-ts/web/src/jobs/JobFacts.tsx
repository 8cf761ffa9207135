// A listing's facts as a definition list — dates, place, rate, skills,
// positions — on a board card (`JobCard`) and, wider, on its own page
// (`ListingPage`).

import { datesText, placeText, rateText, skillsText } from "./model.js";
import type { JobListing } from "./schemas.js";

export function JobFacts({ job, wide = false }: { job: JobListing; wide?: boolean }) {
  return (
    <dl className={wide ? "job-facts job-facts--wide" : "job-facts"}>
      <div>
        <dt>Dates</dt>
        <dd>{datesText(job.startDate, job.endDate)}</dd>
      </div>
      <div>
        <dt>Where</dt>
        <dd>{placeText(job.location, job.remote)}</dd>
      </div>
      <div>
        <dt>Rate</dt>
        <dd>{rateText(job.rate)}</dd>
      </div>
      <div>
        <dt>Skills</dt>
        <dd>{skillsText(job.skills) || "Any"}</dd>
      </div>
      <div>
        <dt>Positions</dt>
        <dd>{job.positions}</dd>
      </div>
    </dl>
  );
}
