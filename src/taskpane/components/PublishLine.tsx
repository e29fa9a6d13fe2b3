/**
 * One line saying where the snapshot publication stands (publishing, published, not configured,
 * failed and why). Presentation only: the status comes from the session's SnapshotPublisher.
 */
import { makeStyles, Spinner, Text, tokens } from "@fluentui/react-components";
import { describePublishStatus, type PublishStatus } from "../../app/publishing";

const useStyles = makeStyles({
  row: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS, flexWrap: "wrap" },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export function PublishLine({ status }: { status: PublishStatus }) {
  const styles = useStyles();
  return (
    <section aria-label="Snapshot on the server" className={styles.row}>
      {status.kind === "publishing" && <Spinner size="extra-tiny" aria-hidden="true" />}
      <Text role={status.kind === "error" ? "alert" : "status"} className={status.kind === "error" ? styles.error : undefined}>
        {describePublishStatus(status)}
      </Text>
    </section>
  );
}
