/**
 * The backend connection in the Settings tab: server URL and token, "Save" (which first tests the
 * connection, GET /api/v1/me, and saves only when the server answers, unless the planner chooses
 * "Save anyway"), "Test connection" and "Forget token". The token goes to the browser storage of the add-in
 * (ServerSettingsStore), never into the workbook. Presentation only: checks and storage are in
 * src/app/serverSettings.ts, the call in src/client.
 */
import { Button, Field, Input, makeStyles, MessageBar, MessageBarActions, MessageBarBody, Subtitle2, Text, tokens } from "@fluentui/react-components";
import { useEffect, useState } from "react";
import { SegApiClient, type Me } from "../../client";
import { validateServerSettings, type ServerSettings as Settings, type ServerSettingsStore } from "../../app/serverSettings";

const useStyles = makeStyles({
  root: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalM, rowGap: tokens.spacingVerticalS },
  muted: { color: tokens.colorNeutralForeground3 },
});

export interface ServerSettingsProps {
  store: ServerSettingsStore;
  /** GET /api/v1/me with these settings; by default through SegApiClient and the browser's fetch. */
  testConnection?: (settings: Settings) => Promise<Me>;
}

function defaultTestConnection(settings: Settings): Promise<Me> {
  return new SegApiClient({ baseUrl: settings.url, token: settings.token, timeoutMs: 10_000 }).me();
}

type Outcome = { intent: "success" | "warning" | "error"; text: string; offerSaveAnyway?: boolean };
type Problems = Partial<Record<"url" | "token", string>>;

/** The pane page is https: a browser refuses calls from it to an http server (mixed content). */
function mixedContentWarning(url: string): string | undefined {
  const page = typeof window !== "undefined" ? window.location?.protocol : undefined;
  return page === "https:" && /^\s*http:\/\//i.test(url) ? "The pane is served over https and cannot call an http:// server: use https://." : undefined;
}

export function ServerSettings({ store, testConnection = defaultTestConnection }: ServerSettingsProps) {
  const styles = useStyles();
  const [url, setUrl] = useState("");
  const [token, setToken] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [problems, setProblems] = useState<Problems>({});
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState<null | "saving" | "testing" | "forgetting">(null);

  useEffect(() => {
    let live = true;
    void store.draft().then((d) => {
      if (!live) return;
      setUrl(d.url);
      setToken(d.token);
      setLoaded(true);
    });
    return () => {
      live = false;
    };
  }, [store]);

  /** The settings in the form, or null after showing what is wrong with them. */
  const checked = (): Settings | null => {
    const v = validateServerSettings({ url, token });
    setProblems(Object.fromEntries(v.problems.map((p) => [p.field, p.message])));
    return v.settings;
  };

  const run = async (kind: "saving" | "testing" | "forgetting", body: () => Promise<Outcome | null>) => {
    setBusy(kind);
    setOutcome(null);
    try {
      setOutcome(await body());
    } catch (e) {
      setOutcome({ intent: "error", text: e instanceof Error ? e.message : String(e) });
    } finally {
      setBusy(null);
    }
  };

  const save = (anyway = false) =>
    run("saving", async () => {
      const s = checked();
      if (!s) return null;
      let note = "";
      if (!anyway) {
        try {
          const me = await testConnection(s);
          if (me.role !== "planner") note = ` Connected as ${me.name} (${me.role}), but syncing and publishing need a planner token.`;
        } catch (e) {
          return { intent: "error", text: `Not saved: ${e instanceof Error ? e.message : String(e)}`, offerSaveAnyway: true };
        }
      }
      const saved = await store.save(s);
      setUrl(saved.url);
      setToken(saved.token);
      return anyway
        ? { intent: "warning", text: `Saved without a test. The audit trail syncs to ${saved.url} once it answers.` }
        : { intent: note ? "warning" : "success", text: `Saved. The audit trail syncs to ${saved.url}.${note}` };
    });

  const test = () =>
    run("testing", async () => {
      const s = checked();
      if (!s) return null;
      const me = await testConnection(s);
      if (me.role !== "planner") {
        return {
          intent: "warning",
          text: `Connected to ${s.url} as ${me.name} (${me.role}), but syncing and publishing need a planner token.`,
        };
      }
      return { intent: "success", text: `Connected to ${s.url} as ${me.name} (${me.role}).` };
    });

  const forget = () =>
    run("forgetting", async () => {
      await store.forgetToken();
      setToken("");
      setProblems({});
      return { intent: "success", text: "The token was removed from this computer. Syncing waits until a token is saved." };
    });

  const urlMessage = problems.url ?? mixedContentWarning(url);
  return (
    <section className={styles.root} aria-label="Backend server">
      <Subtitle2 as="h3">Backend server</Subtitle2>
      <form
        className={styles.root}
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field
          label="Server URL"
          hint="Where the segmentation server runs: https://localhost:3001, or just localhost:3001."
          validationState={problems.url ? "error" : urlMessage ? "warning" : "none"}
          validationMessage={urlMessage}
        >
          <Input type="text" inputMode="url" value={url} disabled={!loaded} onChange={(_, d) => setUrl(d.value)} placeholder="https://localhost:3001" />
        </Field>
        <Field
          label="Token"
          hint="Your planner token. Kept in this browser's storage for the add-in, for you on this computer; never written into the workbook."
          validationState={problems.token ? "error" : "none"}
          validationMessage={problems.token}
        >
          <Input type="password" autoComplete="off" value={token} disabled={!loaded} onChange={(_, d) => setToken(d.value)} />
        </Field>
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={!loaded || busy !== null}>
            {busy === "saving" ? "Saving…" : "Save"}
          </Button>
          <Button type="button" disabled={!loaded || busy !== null} onClick={() => void test()}>
            {busy === "testing" ? "Testing…" : "Test connection"}
          </Button>
          <Button type="button" appearance="subtle" disabled={!loaded || busy !== null || !token} onClick={() => void forget()}>
            Forget token
          </Button>
        </div>
      </form>
      {outcome && (
        <MessageBar layout="multiline" intent={outcome.intent} role={outcome.intent === "error" ? "alert" : "status"}>
          <MessageBarBody>{outcome.text}</MessageBarBody>
          {outcome.offerSaveAnyway && (
            <MessageBarActions>
              <Button size="small" onClick={() => void save(true)} disabled={busy !== null}>
                Save anyway
              </Button>
            </MessageBarActions>
          )}
        </MessageBar>
      )}
      <Text size={200} className={styles.muted}>
        No token yet? Ask the person who runs the server for a planner token. (For them: npm run token -- create --role planner --name &lt;your name&gt;.)
      </Text>
    </section>
  );
}
