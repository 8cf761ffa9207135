// The Studio admin area's tabs, in the order the tab bar shows them: the
// route segment (`#/studio/<tab>`), the label, who may see it (the server
// refuses the calls of everyone else too) and the component. One line per
// tab, each component in its own file.

import type { ComponentType } from "react";
import type { Session } from "../auth.js";
import { ArtistsTab } from "./ArtistsTab.js";
import { InvitationsTab } from "./InvitationsTab.js";
import { MembersTab } from "./MembersTab.js";
import { DataTab } from "./DataTab.js";
import { FeedsTab } from "./FeedsTab.js";
import { isOwner, isOwnerOrManager } from "./roles.js";
import { SettingsTab } from "./SettingsTab.js";
import { TokensTab } from "./TokensTab.js";

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
  { tab: "feeds", label: "Calendar feeds", visible: isOwnerOrManager, Component: FeedsTab },
  { tab: "data", label: "Import / export", visible: isOwnerOrManager, Component: DataTab },
];

/** The tabs `session` may see. */
export function visibleTabs(session: Session | undefined): StudioTab[] {
  return TABS.filter((t) => t.visible(session));
}
