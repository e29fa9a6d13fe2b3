/**
 * The route registry: one line per route file. A route file exports a RouteModule (see
 * ../context.ts) and takes its paths and schemas from src/api; docs/adding-a-route.md shows how.
 */
import type { RouteModule } from "../context";
import { auditRoutes } from "./audit";
import { controlRoutes } from "./controls";
import { inputRoutes } from "./inputs";
import { metaRoutes } from "./meta";
import { proofRoutes } from "./proofs";
import { skuRoutes } from "./skus";
import { snapshotRoutes } from "./snapshots";
import { tokenRoutes } from "./tokens";
import { workbookRoutes } from "./workbooks";

export const ROUTES: readonly RouteModule[] = [
  metaRoutes,
  auditRoutes,
  workbookRoutes,
  snapshotRoutes,
  skuRoutes,
  controlRoutes,
  inputRoutes,
  tokenRoutes,
  proofRoutes,
];
