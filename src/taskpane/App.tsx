/**
 * The pane: Fluent provider following the Office theme, one tab per registered step (steps.ts),
 * tabs that do not fit the pane's width in a "More" menu, the running task's progress and Cancel,
 * and messages on top.
 */
import {
  Button,
  Field,
  FluentProvider,
  makeStyles,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  Overflow,
  OverflowItem,
  ProgressBar,
  Select,
  Tab,
  TabList,
  tokens,
  useIsOverflowItemVisible,
  useOverflowMenu,
  webDarkTheme,
  webLightTheme,
} from "@fluentui/react-components";
import { Suspense, useEffect, useState, type ReactNode } from "react";
import type { PaneSession } from "../app/session";
import { pct } from "./format";
import { STEPS, type PaneStep } from "./steps";
import { currentTheme, type ThemeKind } from "./theme";
import { PaneExtras, SessionContext, useCommon, useSession } from "./usePane";

const useStyles = makeStyles({
  // On an inner element, not on FluentProvider: Fluent copies the provider's classes onto its
  // portal mount nodes (dialogs, menus, tooltips), and a full-height padded portal node would
  // cover the pane and shrink a dialog's backdrop.
  provider: { minWidth: 0, maxWidth: "100%" },
  root: {
    minHeight: "100vh",
    boxSizing: "border-box",
    padding: tokens.spacingHorizontalM,
    display: "flex",
    flexDirection: "column",
    rowGap: tokens.spacingVerticalM,
    minWidth: 0,
    maxWidth: "100%",
    overflowX: "hidden",
  },
  tabs: { minWidth: 0, overflow: "hidden", display: "flex", flexWrap: "nowrap" },
  panel: { paddingTop: tokens.spacingVerticalS, minWidth: 0 },
  running: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  runningRow: { display: "flex", alignItems: "end", columnGap: tokens.spacingHorizontalS },
  grow: { flexGrow: 1, minWidth: 0 },
  more: { flexShrink: 0, width: "auto", minWidth: "96px" },
});

export interface AppProps {
  session: PaneSession;
  /** Theme override (tests); by default the Office theme, else the system's. */
  theme?: ThemeKind;
  initialTab?: string;
  /** The steps to show (default: the registry). */
  steps?: readonly PaneStep[];
  /** Extra settings fields (the backend connection), shown by the Settings view. */
  settingsExtra?: ReactNode;
}

function Messages() {
  const common = useCommon();
  const session = useSession();
  if (!common.error && !common.notice) return null;
  const intent = common.error ? "error" : common.noticeIntent;
  return (
    <MessageBar layout="multiline" intent={intent} data-intent={intent} role={common.error ? "alert" : "status"}>
      <MessageBarBody>{common.error ?? common.notice}</MessageBarBody>
      <MessageBarActions>
        <Button size="small" onClick={() => session.dismissMessages()} aria-label="Dismiss message">
          Dismiss
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}

/** The running task, its phase in words and how far it is; Cancel when it offers one. */
function Running() {
  const common = useCommon();
  const session = useSession();
  const styles = useStyles();
  const r = common.running;
  if (!r) return null;
  const p = common.progress;
  const share = p && p.total > 0 ? Math.min(1, p.done / p.total) : undefined;
  const label = p ? `${p.phase}${share !== undefined ? `, ${pct(share, 0)}` : ""}` : `${r.label}…`;
  return (
    <section className={styles.running} aria-label="Progress">
      <div className={styles.runningRow}>
        <Field className={styles.grow} label={label} validationState="none">
          <ProgressBar value={share} max={1} aria-label={`${r.label} progress`} />
        </Field>
        {r.cancellable && (
          <Button size="small" onClick={() => session.cancel()} aria-label={`Cancel: ${r.label}`}>
            Cancel
          </Button>
        )}
      </div>
    </section>
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

/**
 * The steps that do not fit the tab bar, as a native drop-down ("More (3)"): lighter than a
 * pop-up menu (no positioning library in the pane's start-up code) and as usable by keyboard.
 */
function MoreTabs({ steps, onSelect }: { steps: readonly PaneStep[]; onSelect: (key: string) => void }) {
  const { ref, isOverflowing, overflowCount } = useOverflowMenu<HTMLSelectElement>();
  const styles = useStyles();
  if (!isOverflowing) return null;
  return (
    <Select
      size="small"
      appearance="underline"
      className={styles.more}
      ref={ref}
      value=""
      aria-label={`${overflowCount} more steps`}
      id="seg-tab-more"
      onChange={(_, d) => d.value && onSelect(d.value)}
    >
      <option value="">More ({overflowCount})</option>
      {steps.map((s) => (
        <HiddenStep key={s.key} step={s} />
      ))}
    </Select>
  );
}

function HiddenStep({ step }: { step: PaneStep }) {
  const visible = useIsOverflowItemVisible(step.key);
  return visible ? null : <option value={step.key}>{step.label}</option>;
}

export function App({ session, theme, initialTab, steps: registered = STEPS, settingsExtra }: AppProps) {
  // Steps shown inside another step's tab (e.g. the criterion and dimension in Classify) get no tab.
  const steps = registered.filter((s) => !s.inTab);
  const kind = useTheme(theme);
  const styles = useStyles();
  const [tab, setTab] = useState<string>(initialTab ?? steps[0]?.key ?? "");
  const current = steps.find((s) => s.key === tab) ?? steps[0];
  const View = current?.View;
  return (
    <SessionContext.Provider value={session}>
      <PaneExtras.Provider value={{ settingsExtra }}>
        <FluentProvider theme={kind === "dark" ? webDarkTheme : webLightTheme} className={styles.provider} data-theme={kind}>
          <div className={styles.root}>
          <Overflow minimumVisible={2} overflowAxis="horizontal">
            <TabList selectedValue={current?.key} onTabSelect={(_, d) => setTab(String(d.value))} aria-label="Steps" size="small" className={styles.tabs}>
              {steps.map((s) => (
                <OverflowItem key={s.key} id={s.key} priority={s.key === current?.key ? 2 : 1}>
                  <Tab value={s.key} id={`seg-tab-${s.key}`} aria-controls={`seg-panel-${s.key}`}>
                    {s.label}
                  </Tab>
                </OverflowItem>
              ))}
              <MoreTabs steps={steps} onSelect={setTab} />
            </TabList>
          </Overflow>
          <Running />
          <Messages />
          {current && View && (
            <main role="tabpanel" id={`seg-panel-${current.key}`} aria-labelledby={`seg-tab-${current.key}`} className={styles.panel}>
              <Suspense fallback={<ProgressBar aria-label="Loading the step" />}>
                <View />
              </Suspense>
            </main>
          )}
          </div>
        </FluentProvider>
      </PaneExtras.Provider>
    </SessionContext.Provider>
  );
}
