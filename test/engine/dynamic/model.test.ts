import { createHash } from "node:crypto";
import fc from "fast-check";
import { canonicalJson as appCanonicalJson } from "../../../src/app/modelVersion";
import { sha256Hex } from "../../../src/engine/audit";
import { canonicalJson, canonicalModelText, dataFingerprint, modelFingerprint, modelVersionId, SegmentationModel } from "../../../src/engine/model";
import { Sha256, sha256HexSync } from "../../../src/engine/sha256";

describe("SHA-256 (pure TypeScript)", () => {
  it("gives the FIPS 180-2 example digests", () => {
    // FIPS 180-2, Appendix B.1-B.3
    expect(sha256HexSync("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(sha256HexSync("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).toBe("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const million = new Sha256();
    const chunk = new Uint8Array(1000).fill(0x61);
    for (let i = 0; i < 1000; i++) million.update(chunk);
    expect(million.hex()).toBe("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    expect(sha256HexSync("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  });

  it("agrees with node's crypto for any bytes, however they are split", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 4 }), (bytes, cuts) => {
        const h = new Sha256();
        let at = 0;
        for (const c of [...cuts].sort((a, b) => a - b)) {
          const to = Math.min(c, bytes.length);
          if (to > at) h.update(bytes.subarray(at, to));
          at = Math.max(at, to);
        }
        h.update(bytes.subarray(at));
        expect(h.hex()).toBe(createHash("sha256").update(bytes).digest("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("gives the audit chain's (Web Crypto) digest for the same text", async () => {
    const text = JSON.stringify(["seg-audit-v1", "é", "∑", "日本"]);
    expect(sha256HexSync(text)).toBe(await sha256Hex(text));
  });
});

describe("model fingerprint", () => {
  const model: SegmentationModel = {
    abc: { cutoffs: [0.8, 0.95], band: 0.02 },
    xyz: { xMax: 0.5, yMax: 1, band: 0.05 },
    churn: { minTenure: 2 },
    window: { periodsPerYear: 52 },
    rules: [{ name: "EOL", when: { field: "Lifecycle", op: "=", value: "EOL" }, then: { segment: "EOL" } }],
    policyGrid: { AX: { serviceLevel: 0.98 }, CZ: { serviceLevel: 0.85 } },
  };

  it("is the same for the same model, however it is written", () => {
    const same: SegmentationModel = {
      policyGrid: { CZ: { serviceLevel: 0.85 }, AX: { serviceLevel: 0.98 } },
      rules: [{ name: " EOL ", priority: 1, when: [{ field: "Lifecycle", op: "==", value: "EOL" }], then: { segment: "EOL" } }],
      window: { length: 52 },
      churn: { minTenure: 2 },
      xyz: { band: [0.05, 0.05], sdType: "population", excludeOutliers: false },
      abc: { band: [0.02, 0.02], labels: ["A", "B", "C"] },
      pattern: { adiCutoff: 1.32 },
    };
    expect(modelFingerprint(same)).toBe(modelFingerprint(model));
    expect(modelFingerprint(model)).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalModelText(model).startsWith("seg-model-v1|{")).toBe(true);
  });

  it("changes with a rule, a band, a cut-off, the tenure, the window or the policy grid", () => {
    const base = modelFingerprint(model);
    const changed: SegmentationModel[] = [
      { ...model, rules: [{ ...model.rules![0], then: { segment: "PHASE-OUT" } }] },
      { ...model, rules: [{ ...model.rules![0], priority: 2 }] },
      { ...model, rules: [] },
      { ...model, abc: { ...model.abc, band: 0.03 } },
      { ...model, abc: { ...model.abc, cutoffs: [0.7, 0.95] } },
      { ...model, xyz: { ...model.xyz, excludeOutliers: true } },
      { ...model, churn: { minTenure: 3 } },
      { ...model, window: { periodsPerYear: 52, length: 26 } },
      { ...model, policyGrid: { AX: { serviceLevel: 0.985 }, CZ: { serviceLevel: 0.85 } } },
    ];
    const prints = changed.map(modelFingerprint);
    for (const p of prints) expect(p).not.toBe(base);
    expect(new Set(prints).size).toBe(prints.length);
  });

  it("versions model and data together", () => {
    const values = Float64Array.from([4800, 1200, 600]);
    const history = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const d1 = dataFingerprint({ sku: ["A", "B", "C"], values, history });
    expect(dataFingerprint({ sku: ["A", "B", "C"], values: values.slice(), history: history.slice() })).toBe(d1);
    const bumped = history.slice();
    bumped[5] = 6.000000001;
    expect(dataFingerprint({ sku: ["A", "B", "C"], values, history: bumped })).not.toBe(d1);
    expect(dataFingerprint({ sku: ["AB", "C", ""], values, history })).not.toBe(d1); // text boundaries count
    const id = modelVersionId(modelFingerprint(model), d1);
    expect(id).toMatch(/^m[0-9a-f]{8}-d[0-9a-f]{8}$/);
    expect(modelVersionId(modelFingerprint(model), d1)).toBe(id);
  });

  it("writes canonical JSON exactly as the pane's model version does", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(canonicalJson(v)).toBe(appCanonicalJson(v));
      }),
    );
    expect(canonicalJson({ b: [1, NaN, -0], a: undefined, c: "x" })).toBe('{"b":[1,null,0],"c":"x"}');
  });
});
