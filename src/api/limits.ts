/**
 * The API's limits and text patterns, shared by the server's schemas and the client (no schema
 * library here, so the pane can import it without pulling TypeBox into its bundle).
 */

/** Most audit entries in one append. */
export const MAX_BATCH = 1000;
export const MAX_AUDIT_PAGE = 5000;
export const DEFAULT_AUDIT_PAGE = 500;
export const MAX_ITEM_PAGE = 50000;
export const DEFAULT_ITEM_PAGE = 5000;
export const MAX_SNAPSHOT_ITEMS = 200000;
/** Deepest nesting of objects and arrays in a request (snapshot parameters are free JSON). */
export const MAX_JSON_DEPTH = 64;

/** Text without NUL (PostgreSQL text cannot hold it). */
export const NO_NUL = "^[^\\u0000]*$";
/** A letter or digit, then up to 127 letters, digits and . _ ~ - (so never "." or ".."). */
export const WORKBOOK_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$";
export const MODEL_VERSION_PATTERN = "^[^\\u0000-\\u001f\\u007f]{1,128}$";
/** A segment filter: an ABC×XYZ label with * for any character (AX, A*, *Z), or * alone. */
export const SEGMENT_FILTER_PATTERN = "^([ABC*][XYZ*]|\\*)$";
export const HASH_PATTERN = "^[0-9a-f]{64}$";
export const UUID_PATTERN = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
export const TIMESTAMP_PATTERN = "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$";
/** Token names identify people or systems: printable, 1-100 characters, no leading/trailing blank. */
export const TOKEN_NAME_PATTERN = "^[^\\s\\u0000-\\u001f\\u007f](?:[^\\u0000-\\u001f\\u007f]{0,98}[^\\s\\u0000-\\u001f\\u007f])?$";

export const ROLES = ["planner", "controller", "admin"] as const;
export type Role = (typeof ROLES)[number];
