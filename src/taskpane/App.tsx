/** The pane: Fluent provider following the Office theme, one tab per step, messages on top. */
import {
  Button,
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Tab,
  TabList,
  tokens,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { useEffect, useState, type ReactNode } from "react";
import type { PaneSession } from "../app/session";
import { currentTheme, type ThemeKind } from "./theme";
import { SessionContext, usePane } from "./usePane";
import { AuditTab } from "./views/AuditTab";
import { ClassifyTab } from "./views/ClassifyTab";
import { OverridesTab } from "./views/OverridesTab";
import { PolicyTab } from "./views/PolicyTab";
import { SettingsTab } from "./views/SettingsTab";
import { WriteTab } from "./views/WriteTab";

export const TABS = ["classify", "policy", "write", "overrides", "audit", "settings"] as const;
export type TabKey = (typeof TABS)[number];
const TAB_LABEL: Record<TabKey, string> = { classify: "Classify", policy: "Policy", write: "Write", overrides: "Overrides", audit: "Audit", settings: "Settings" };

const useStyles = makeStyles({
  root: { minHeight: "100vh", boxSizing: "border-box", padding: tokens.spacingHorizontalM, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  panel: { paddingTop: tokens.spacingVerticalS },
});

export interface AppProps {
  session: PaneSession;
  /** Theme override (tests); by default the Office theme, else the system's. */
  theme?: ThemeKind;
  initialTab?: TabKey;
  /** Extra settings fields (the backend connection, another issue). */
  settingsExtra?: ReactNode;
}

function Messages() {
  const [state, session] = usePane();
  if (!state.error && !state.notice) return null;
  return (
    <MessageBar layout="multiline" intent={state.error ? "error" : "success"} role={state.error ? "alert" : "status"}>
      <MessageBarBody>{state.error ?? state.notice}</MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={() => session.dismissMessages()} aria-label="Dismiss message">
          Dismiss
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

function useTheme(forced?: ThemeKind): ThemeKind {
  const [kind, setKind] = useState<ThemeKind>(forced ?? currentTheme());
  useEffect(() => {
    if (forced || typeof window === "undefined" || typeof window.matchMedia !== "function") return;
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const update = () => setKind(currentTheme());
    mq.addEventListener?.("change", update);
    return () => mq.removeEventListener?.("change", update);
  }, [forced]);
  return forced ?? kind;
}

export function App({ session, theme, initialTab = "classify", settingsExtra }: AppProps) {
  const kind = useTheme(theme);
  const styles = useStyles();
  const [tab, setTab] = useState<TabKey>(initialTab);
  return (
    <SessionContext.Provider value={session}>
      <FluentProvider theme={kind === "dark" ? webDarkTheme : webLightTheme} className={styles.root} data-theme={kind}>
        <TabList selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as TabKey)} aria-label="Steps" size="small">
          {TABS.map((t) => (
            <Tab key={t} value={t} id={`seg-tab-${t}`} aria-controls={`seg-panel-${t}`}>
              {TAB_LABEL[t]}
            </Tab>
          ))}
        </TabList>
        <Messages />
        <main role="tabpanel" id={`seg-panel-${tab}`} aria-labelledby={`seg-tab-${tab}`} className={styles.panel}>
          {tab === "classify" && <ClassifyTab />}
          {tab === "policy" && <PolicyTab />}
          {tab === "write" && <WriteTab />}
          {tab === "overrides" && <OverridesTab />}
          {tab === "audit" && <AuditTab />}
          {tab === "settings" && <SettingsTab>{settingsExtra}</SettingsTab>}
        </main>
      </FluentProvider>
    </SessionContext.Provider>
  );
}
