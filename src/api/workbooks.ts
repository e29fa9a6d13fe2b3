/* Workbook heads: what the server holds for each workbook. */
import { AUTH_ERRORS, Type, WorkbookParams, bearer, nullableString, problems, ref, type Static } from "./common";

export const WorkbookHead = Type.Object(
  {
    workbookId: Type.String(),
    owner: Type.String({ description: "Name of the planner token that first wrote to it." }),
    createdAt: Type.String(),
    entryCount: Type.Integer(),
    lastHash: Type.String({ description: "Hash the next entry must link to (64 zeros while the trail is empty)." }),
    lastEntryId: nullableString(),
    snapshotCount: Type.Integer(),
    latestModelVersion: nullableString(),
  },
  { $id: "WorkbookHead", additionalProperties: false },
);
export type WorkbookHead = Static<typeof WorkbookHead>;

export const listWorkbooks = {
  tags: ["workbooks"],
  summary: "Workbooks known to the server (a planner sees its own).",
  security: bearer,
  response: {
    200: Type.Object({ workbooks: Type.Array(ref(WorkbookHead)) }, { additionalProperties: false }),
    ...problems(...AUTH_ERRORS),
  },
};

export const getWorkbook = {
  tags: ["workbooks"],
  summary: "A workbook's head: owner, entry count, last hash, latest snapshot.",
  security: bearer,
  params: WorkbookParams,
  response: { 200: ref(WorkbookHead), ...problems(...AUTH_ERRORS, 404) },
};
