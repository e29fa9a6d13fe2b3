/*
 * Incremental inputs and mapping profiles (issue 14, docs/data-sources.md). Changes are applied by
 * the storage under src/engine/cdc.ts's rules (storage/inputs.ts); reads and profiles use the
 * shared SQL runner. Sending changes is the workbook owner's (a planner token, e.g. the ERP feed's
 * token under the planner's name); reading is everyone's who may read the workbook. Team mapping
 * profiles are the members' of the team (the token's team, migration 22); see mayUse.
 */
import { randomUUID } from "node:crypto";
import {
  DEFAULT_INPUT_PAGE,
  MAX_INPUT_PAGE,
  PATHS,
  applyInputChanges,
  compactInputs,
  deleteMappingProfile,
  getChangedSkus,
  getInputs,
  getMappingProfile,
  listMappingProfiles,
  saveMappingProfile,
  type MappingProfile,
} from "../../api";
import type { Change } from "../../engine/cdc";
import { identity, readableWorkbook, READERS, type Api, type RouteContext } from "../context";
import { HttpProblem } from "../problem";
import { rowToCell } from "../storage/inputs";
import type { Row } from "../storage/rows";
import type { Identity } from "../storage/types";
import { parseCount } from "./params";

function rowToProfile(r: Row): MappingProfile {
  return {
    id: String(r.id),
    name: String(r.name),
    source: String(r.source),
    scope: String(r.scope) as MappingProfile["scope"],
    owner: String(r.scope) === "user" ? String(r.owner) : String(r.updated_by),
    team: r.team === "" || r.team == null ? null : String(r.team),
    profile: JSON.parse(String(r.profile)) as Record<string, unknown>,
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    revision: Number(r.revision),
  };
}

/** The caller's token belongs to `team` (migration 22: a token has at most one team). */
const memberOf = (who: Identity, team: string) => who.team != null && who.team === team;

/**
 * A user profile is its owner's. A team profile is its team's members' (tokens created with that
 * team); admins read and delete every team's profiles (administration) but save one only as a
 * member. Anyone else is answered as if it did not exist.
 */
const mayUse = (r: Row, who: Identity) =>
  String(r.scope) === "team" ? memberOf(who, String(r.team)) || who.role === "admin" : String(r.owner) === who.name;

export function inputRoutes(api: Api, ctx: RouteContext): void {
  const { storage } = ctx;
  const db = () => storage.sql();

  api.post(PATHS.inputChanges, { schema: applyInputChanges, config: { access: ["planner"] } }, async (req) => {
    const { workbookId } = req.params;
    const out = await storage.applyInputChanges(workbookId, identity(req), req.body.changes as Change[], ctx.now().toISOString());
    if (out.kind === "forbidden") throw new HttpProblem("forbidden", `workbook "${workbookId}" belongs to another planner; nothing was applied`);
    return out.result;
  });

  const inputVersion = async (workbookId: string) => {
    const [st] = await db().query("SELECT version FROM input_state WHERE workbook_id = ?", [workbookId]);
    return st ? Number(st.version) : 0;
  };

  api.get(PATHS.inputsChanged, { schema: getChangedSkus, config: { access: READERS } }, async (req) => {
    const { workbookId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const since = parseCount(req.query.since, "since", 0, 0, Number.MAX_SAFE_INTEGER);
    const rows = await db().query("SELECT DISTINCT sku FROM input_cells WHERE workbook_id = ? AND version > ? ORDER BY sku", [workbookId, since]);
    return { version: await inputVersion(workbookId), since, skus: rows.map((r) => String(r.sku)) };
  });

  api.get(PATHS.inputs, { schema: getInputs, config: { access: READERS } }, async (req) => {
    const { workbookId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const offset = parseCount(req.query.offset, "offset", 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = parseCount(req.query.limit, "limit", DEFAULT_INPUT_PAGE, 1, MAX_INPUT_PAGE);
    let sql = "SELECT * FROM input_cells WHERE workbook_id = ?";
    const params: unknown[] = [workbookId];
    if (req.query.sku !== undefined) {
      sql += " AND sku = ?";
      params.push(req.query.sku);
    }
    if (req.query.kind !== undefined) {
      sql += " AND kind = ?";
      params.push(req.query.kind);
    }
    const rows = await db().query(`${sql} ORDER BY sku, kind, name LIMIT ? OFFSET ?`, [...params, limit + 1, offset]);
    const more = rows.length > limit;
    if (more) rows.pop();
    return { version: await inputVersion(workbookId), cells: rows.map(rowToCell), nextOffset: more ? offset + rows.length : null };
  });

  api.post(PATHS.inputsCompact, { schema: compactInputs, config: { access: ["planner"] } }, async (req) => {
    const { workbookId } = req.params;
    await readableWorkbook(storage, identity(req), workbookId);
    const w = req.body.watermark;
    if (!Number.isFinite(w)) throw new HttpProblem("validation", "body.watermark must be a finite number", { field: "body.watermark" });
    // The watermark first, then the ids: after a crash in between, replays are still ignored.
    const [st] = await db().query(
      `INSERT INTO input_state (workbook_id, version, compacted_through) VALUES (?, 0, ?)
       ON CONFLICT (workbook_id) DO UPDATE SET compacted_through = CASE WHEN input_state.compacted_through IS NULL OR input_state.compacted_through < excluded.compacted_through THEN excluded.compacted_through ELSE input_state.compacted_through END
       RETURNING compacted_through`,
      [workbookId, w],
    );
    const gone = await db().query("DELETE FROM input_changes WHERE workbook_id = ? AND watermark <= ? RETURNING change_id", [workbookId, w]);
    return { forgotten: gone.length, compactedThrough: Number(st.compacted_through) };
  });

  api.post(PATHS.mappingProfiles, { schema: saveMappingProfile, config: { access: READERS } }, async (req, reply) => {
    const who = identity(req);
    const b = req.body;
    if (b.scope === "team" && b.team === undefined) throw new HttpProblem("validation", "body.team is required for a team profile", { field: "body.team" });
    if (b.scope === "user" && b.team !== undefined) throw new HttpProblem("validation", "body.team is only for a team profile", { field: "body.team" });
    if (b.scope === "team" && !memberOf(who, b.team!)) {
      throw new HttpProblem(
        "forbidden",
        `token "${who.name}" is ${who.team ? `in team "${who.team}"` : "in no team"}, not in team "${b.team}": only its members save its mapping profiles (npm run token -- create … --team ${b.team}); nothing was saved`,
      );
    }
    const at = ctx.now().toISOString();
    const [r] = await db().query(
      `INSERT INTO mapping_profiles (id, owner, scope, team, name, source, profile, created_at, updated_at, updated_by, revision)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)
       ON CONFLICT (scope, owner, team, name) DO UPDATE SET source = excluded.source, profile = excluded.profile, updated_at = excluded.updated_at,
         updated_by = excluded.updated_by, revision = mapping_profiles.revision + 1
       RETURNING *`,
      [randomUUID(), b.scope === "user" ? who.name : "", b.scope, b.team ?? "", b.name, b.source, JSON.stringify(b.profile), at, at, who.name],
    );
    const profile = rowToProfile(r);
    return reply.code(profile.revision === 1 ? 201 : 200).send({ created: profile.revision === 1, mappingProfile: profile });
  });

  api.get(PATHS.mappingProfiles, { schema: listMappingProfiles, config: { access: READERS } }, async (req) => {
    const who = identity(req);
    let sql = "SELECT * FROM mapping_profiles WHERE ((scope = 'user' AND owner = ?)";
    const params: unknown[] = [who.name];
    // the named team's when the caller may read them (a member, or an admin), else the caller's own team's
    const team = req.query.team !== undefined ? (memberOf(who, req.query.team) || who.role === "admin" ? req.query.team : null) : (who.team ?? null);
    if (team !== null) {
      sql += " OR (scope = 'team' AND team = ?)";
      params.push(team);
    }
    sql += ")";
    if (req.query.source !== undefined) {
      sql += " AND source = ?";
      params.push(req.query.source);
    }
    return { mappingProfiles: (await db().query(`${sql} ORDER BY scope, team, name`, params)).map(rowToProfile) };
  });

  const findProfile = async (id: string, who: Identity) => {
    const [r] = await db().query("SELECT * FROM mapping_profiles WHERE id = ?", [id]);
    if (!r || !mayUse(r, who)) throw new HttpProblem("not-found", `no mapping profile ${id} of yours or of a team`);
    return r;
  };

  api.get(PATHS.mappingProfile, { schema: getMappingProfile, config: { access: READERS } }, async (req) => rowToProfile(await findProfile(req.params.profileId, identity(req))));

  api.delete(PATHS.mappingProfile, { schema: deleteMappingProfile, config: { access: READERS } }, async (req) => {
    const r = await findProfile(req.params.profileId, identity(req));
    await db().query("DELETE FROM mapping_profiles WHERE id = ?", [String(r.id)]);
    return { deleted: true };
  });
}
