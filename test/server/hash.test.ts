/* The server's synchronous entry hash must equal the engine's Web Crypto one for any entry. */
import fc from "fast-check";
import { readFileSync } from "node:fs";
import path from "node:path";
import { AUDIT_ACTIONS, hashAuditEntry, verifyChain, type AuditEntry } from "../../src/engine/audit";
import { hashAuditEntrySync } from "../../src/server/hash";

const text = fc.oneof(fc.string(), fc.string({ unit: "binary" }), fc.constantFrom("", "é€𝄞", "\ud800 lone", "\"'\\\n\u0000"));

test("hashAuditEntrySync agrees with the engine's hashAuditEntry", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        entryId: fc.uuid(),
        timestamp: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
        user: text,
        workbookId: text,
        action: fc.constantFrom(...AUDIT_ACTIONS),
        sku: text,
        field: text,
        oldValue: text,
        newValue: text,
        reason: text,
        modelVersion: text,
        prevHash: fc.stringMatching(/^[0-9a-f]{64}$/),
      }),
      async (e: Omit<AuditEntry, "entryHash">) => {
        expect(hashAuditEntrySync(e)).toBe(await hashAuditEntry(e));
      },
    ),
    { numRuns: 300 },
  );
});

test("both agree with an independent Python/hashlib computation (fixtures/audit_hash_vector.py)", async () => {
  const vector = JSON.parse(readFileSync(path.join(__dirname, "fixtures/audit_hash_vector.json"), "utf8")) as AuditEntry[];
  for (const e of vector) {
    expect(hashAuditEntrySync(e)).toBe(e.entryHash);
    expect(await hashAuditEntry(e)).toBe(e.entryHash);
  }
  expect(await verifyChain(vector, undefined, hashAuditEntrySync)).toMatchObject({ ok: true, count: 2 });
});
