/** Settings tab: the name written with every audit entry, and the backend connection (its own component, handed in by the host). */
import { Button, Field, Input, Subtitle2, Text } from "@fluentui/react-components";
import { useState } from "react";
import { usePaneExtras, useStep } from "../usePane";
import { useCommonStyles } from "./common";

export function SettingsTab() {
  const [state, actions, common] = useStep("settings");
  const { settingsExtra } = usePaneExtras();
  const styles = useCommonStyles();
  const [name, setName] = useState(state.userName);
  const error = common.errorField === "userName" ? (common.error ?? undefined) : undefined;
  return (
    <div className={styles.stack}>
      <Subtitle2 as="h2">Settings</Subtitle2>
      <form
        noValidate
        className={styles.stack}
        onSubmit={(e) => {
          e.preventDefault();
          void actions.setUserName(name);
        }}
      >
        <Field label="Your name" required className={styles.field} hint="Written with every audit entry in this workbook. Set it once." validationState={error ? "error" : "none"} validationMessage={error}>
          <Input className={styles.control} value={name} onChange={(_, d) => setName(d.value)} />
        </Field>
        <div className={styles.row}>
          <Button type="submit" appearance="primary" disabled={common.running !== null}>
            Save name
          </Button>
        </div>
      </form>
      {!state.userName && <Text className={styles.muted}>Until a name is saved, entries are signed “(name not set)”.</Text>}
      {settingsExtra}
    </div>
  );
}
