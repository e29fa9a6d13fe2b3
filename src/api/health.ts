/* Liveness and readiness (public, outside /api/v1). */
import { Type, problems } from "./common";

export const health = {
  tags: ["health"],
  summary: "The process is up.",
  response: { 200: Type.Object({ status: Type.String() }, { additionalProperties: false }) },
};

export const ready = {
  tags: ["health"],
  summary: "The database answers (503 within a few seconds when it does not).",
  response: {
    200: Type.Object({ status: Type.String(), storage: Type.String() }, { additionalProperties: false }),
    ...problems(503),
  },
};
