/** Settings tab: the name written with every audit entry. The backend connection has its own issue: `children` is its slot. */
import { Button, Field, Input, Subtitle2, Text } from "@fluentui/react-components";
import { useState, type ReactNode } from "react";
import { usePane } from "../usePane";
import { useCommonStyles } from "./common";

export function SettingsTab({ children }: { children?: ReactNode }) {
  const [state, session] = usePane();
  const styles = useCommonStyles();
  const [name, setName] = useState(state.userName);
  const error = state.errorField === null && state.error?.startsWith("Type your name") ? state.error : state.error?.startsWith("Keep the name") ? state.error : undefined;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Settings</Subtitle2>
      <form
        noValidate
        className={styles.stack}
        onSubmit={(e) => {
          e.preventDefault();
          void session.setUserName(name);
        }}
      >
        <Field
          label="Your name"
          required
          hint="Written with every audit entry in this workbook. Set it once."
          validationState={error ? "error" : "none"}
          validationMessage={error}
        >
          <Input value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={state.busy !== null}>
            Save name
          </Button>
        </div>
      </form>
      {!state.userName && <Text className={styles.muted}>Until a name is saved, entries are signed “(name not set)”.</Text>}
      {children}
    </div>
  );
}
