/**
 * The route registry: one line per route file. A route file exports a RouteModule (see
 * ../context.ts) and takes its paths and schemas from src/api; docs/adding-a-route.md shows how.
 */
import type { RouteModule } from "../context";
import { auditRoutes } from "./audit";
import { metaRoutes } from "./meta";
import { proofRoutes } from "./proofs";
import { snapshotRoutes } from "./snapshots";
import { tokenRoutes } from "./tokens";
import { workbookRoutes } from "./workbooks";

export const ROUTES: readonly RouteModule[] = [
  metaRoutes,
  auditRoutes,
  workbookRoutes,
  snapshotRoutes,
  tokenRoutes,
  proofRoutes,
];
