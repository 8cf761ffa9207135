// The Studio admin area (`#/studio/<tab>`): a bar of the tabs this role may
// see (`tabs.tsx`), then the chosen tab. `#/studio` opens the first of them.
// A tab the role may not see (or an unknown one) says so instead of showing
// anything: the links are plain links (Tab, Enter), the current one marked
// `aria-current="page"`.

import { Suspense, useEffect } from "react";
import { routeHash } from "../router.js";
import { useBoard } from "../store.js";
import { TABS, visibleTabs } from "./tabs.js";
import "./admin.css";

export function StudioPage({ tab }: { tab: string | undefined }) {
  const session = useBoard((st) => st.session);
  const tabs = visibleTabs(session);
  const first = tabs[0];
  // `#/studio`: the first visible tab (replacing the history entry, so Back leaves the area).
  useEffect(() => {
    if (tab === undefined && first) location.replace(routeHash({ page: "studio", tab: first.tab }));
  }, [tab, first]);
  const current = tabs.find((t) => t.tab === (tab ?? first?.tab));
  const known = TABS.some((t) => t.tab === tab);

  return (
    <section className="studio" aria-labelledby="studio-title">
      <div className="page__head">
        <h1 id="studio-title">Studio</h1>
        <span className="muted">{session?.tenant.name}</span>
      </div>
      {tabs.length > 0 ? (
        <nav className="studio-tabs" aria-label="Studio sections">
          {tabs.map((t) => (
            <a key={t.tab} href={routeHash({ page: "studio", tab: t.tab })} aria-current={t === current ? "page" : undefined} className="studio-tabs__link">
              {t.label}
            </a>
          ))}
        </nav>
      ) : null}
      {current ? (
        <Suspense fallback={<p role="status">Loading…</p>}>
          <current.Component />
        </Suspense>
      ) : (
        <p className="studio__denied" role="status" data-testid="studio-denied">
          {tab !== undefined && !known ? `There is no “${tab}” section in the Studio area.` : "This part of the Studio area is not available for your role."}
        </p>
      )}
    </section>
  );
}
