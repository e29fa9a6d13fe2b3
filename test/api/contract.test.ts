/* The contract: the server's OpenAPI document (GET /api/v1/openapi.json) is generated from the
   same src/api schemas the client compiles against. Every operation in src/api is served with its
   schema (request body, parameters, responses, shared components), nothing else is served, and
   every route the client calls is in both. */
import { OPERATIONS, PATHS, SHARED_SCHEMAS, openApiPath } from "../../src/api";
import { CLIENT_OPERATIONS } from "../../src/client/api";
import { sqliteBackend } from "../server/helpers/backends";
import { startHarness, type Harness } from "../server/helpers/harness";

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A src/api schema as the OpenAPI document spells it: plain JSON, "X#" refs to components. */
function asDocumented(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema), (key, value) =>
    key === "$ref" && typeof value === "string" && value.endsWith("#") ? `#/components/schemas/${value.slice(0, -1)}` : value,
  );
}

let h: Harness;
let doc: Json;
beforeAll(async () => {
  h = await startHarness(sqliteBackend);
  const r = await h.call("GET", PATHS.openapi);
  expect(r.status).toBe(200);
  doc = r.body;
});
afterAll(async () => h?.close());

const ops = Object.entries(OPERATIONS);

test("the document lists exactly the operations of src/api (besides itself)", () => {
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
    .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
    .sort();
  const declared = ops.map(([, o]) => `${o.method} ${openApiPath(o.path)}`).sort();
  expect(documented).toEqual(declared);
});

test.each(ops)("%s: request body, parameters and responses are the src/api schemas", (_name, o) => {
  const d = doc.paths[openApiPath(o.path)][o.method.toLowerCase()];
  const s = o.schema as Record<string, Json>;
  expect(d.summary).toBe(s.summary);
  if (s.body) expect(d.requestBody.content["application/json"].schema).toEqual(asDocumented(s.body));
  else expect(d.requestBody).toBeUndefined();
  for (const [part, where] of [
    ["params", "path"],
    ["querystring", "query"],
  ] as const) {
    const declared = s[part] ? asDocumented(s[part]) : { properties: {} };
    const documented = (d.parameters ?? []).filter((p: Json) => p.in === where);
    expect(documented.map((p: Json) => p.name).sort()).toEqual(Object.keys(declared.properties).sort());
    for (const p of documented) {
      // The document moves a parameter's description from its schema to the parameter.
      expect(p.description === undefined ? p.schema : { ...p.schema, description: p.description }).toEqual(declared.properties[p.name]);
      expect(p.required).toBe(where === "path" || (declared.required ?? []).includes(p.name));
    }
  }
  const declaredCodes = Object.keys(s.response).map((c) => c.toUpperCase());
  expect(Object.keys(d.responses).sort()).toEqual(declaredCodes.sort());
  for (const [code, schema] of Object.entries(s.response as Record<string, Json>)) {
    const documented = d.responses[code.toUpperCase()];
    if (schema.content) {
      // A non-JSON response (text/csv) is documented under its own media type.
      expect(asDocumented(schema.content)).toEqual(documented.content);
      continue;
    }
    const content = documented.content["application/json"] ?? documented.content["application/problem+json"];
    const { description: _d, ...rest } = asDocumented(schema);
    const { description: _d2, ...docRest } = content.schema;
    expect(docRest).toEqual(rest);
  }
});

test.each(SHARED_SCHEMAS.map((s) => [(s as Json).$id, s]))("component %s is the src/api schema", (id, schema) => {
  const { $id: _id, ...declared } = asDocumented(schema);
  const { $id: _id2, title: _t, ...documented } = doc.components.schemas[id];
  expect(documented).toEqual(declared);
});

test.each(CLIENT_OPERATIONS.map((c) => [`${c.method} ${c.path}`, c]))("the client's %s is a documented src/api operation", (_n, c) => {
  const pattern = PATHS[c.path];
  expect(ops.some(([, o]) => o.method === c.method && o.path === pattern)).toBe(true);
  expect(doc.paths[openApiPath(pattern)]?.[c.method.toLowerCase()]).toBeDefined();
});
