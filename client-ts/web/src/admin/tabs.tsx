// The Studio admin area's tabs, in the order the tab bar shows them: the
// route segment (`#/studio/<tab>`), the label, who may see it (the server
// refuses the calls of everyone else too) and the component. One line per
// tab, each component in its own file, loaded when the tab is first opened
// (the Nav reads this list on every page; the tabs' code stays out of the
// board's bundle).

import { lazy, type ComponentType } from "react";
import type { Session } from "../auth.js";
import { isOwner, isOwnerOrManager, mayManageWebhooks } from "./roles.js";

const ArtistsTab = lazy(() => import("./ArtistsTab.js").then((m) => ({ default: m.ArtistsTab })));
const MembersTab = lazy(() => import("./MembersTab.js").then((m) => ({ default: m.MembersTab })));
const InvitationsTab = lazy(() => import("./InvitationsTab.js").then((m) => ({ default: m.InvitationsTab })));
const SettingsTab = lazy(() => import("./SettingsTab.js").then((m) => ({ default: m.SettingsTab })));
const TokensTab = lazy(() => import("./TokensTab.js").then((m) => ({ default: m.TokensTab })));
const WebhooksTab = lazy(() => import("./WebhooksTab.js").then((m) => ({ default: m.WebhooksTab })));
const FeedsTab = lazy(() => import("./FeedsTab.js").then((m) => ({ default: m.FeedsTab })));
const DataTab = lazy(() => import("./DataTab.js").then((m) => ({ default: m.DataTab })));

export interface StudioTab {
  tab: string;
  label: string;
  visible: (session: Session | undefined) => boolean;
  Component: ComponentType;
}

export const TABS: StudioTab[] = [
  { tab: "artists", label: "Artists", visible: isOwner, Component: ArtistsTab },
  { tab: "members", label: "Members", visible: isOwner, Component: MembersTab },
  { tab: "invitations", label: "Invitations", visible: isOwner, Component: InvitationsTab },
  { tab: "settings", label: "Settings", visible: isOwner, Component: SettingsTab },
  { tab: "tokens", label: "API tokens", visible: isOwner, Component: TokensTab },
  { tab: "webhooks", label: "Webhooks", visible: mayManageWebhooks, Component: WebhooksTab },
  { tab: "feeds", label: "Calendar feeds", visible: isOwnerOrManager, Component: FeedsTab },
  { tab: "data", label: "Import / export", visible: isOwnerOrManager, Component: DataTab },
];

/** The tabs `session` may see. */
export function visibleTabs(session: Session | undefined): StudioTab[] {
  return TABS.filter((t) => t.visible(session));
}
