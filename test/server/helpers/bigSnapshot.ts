/* A publication body of about a given size, deterministic (fixed-seed LCG): items with the usual
   fields, some under the deprecated names (meanDemand), some SKUs with non-ASCII characters, so
   that normalisation and UTF-8 hashing are exercised. Used by test/server/publish.test.ts and
   bench/publish.bench.ts. */

export interface BigSnapshot {
  body: { modelVersion: string; parameters: Record<string, unknown>; items: Record<string, unknown>[] };
  json: string;
}

const SEGMENTS = ["AX", "AY", "AZ", "BX", "BY", "BZ", "CX", "CY", "CZ"];
const PATTERNS = ["smooth", "erratic", "intermittent", "lumpy"];

export function bigSnapshotItem(k: number, rand: () => number): Record<string, unknown> {
  const segment = SEGMENTS[Math.floor(rand() * 9)];
  const mean = Math.round(rand() * 1e5) / 100;
  const item: Record<string, unknown> = {
    sku: k % 97 === 0 ? `SKU-${k}-Grüße-€` : `SKU-${String(k).padStart(7, "0")}`,
    value: Math.round(rand() * 1e7) / 100,
    cumShare: Math.min(1, rand()),
    abc: segment[0],
    cv: Math.round(rand() * 300) / 100,
    xyz: segment[1],
    pattern: PATTERNS[k % 4],
    segment,
    serviceLevel: 0.9 + Math.round(rand() * 90) / 1000,
    demandSd: Math.round(rand() * 1e4) / 100,
    leadTime: 1 + (k % 12),
    safetyStock: Math.round(rand() * 1e4) / 100,
    reorderPoint: Math.round(rand() * 1e5) / 100,
    orderQty: Math.round(rand() * 1e4) / 10,
    transportMode: k % 3 === 0 ? "express" : "standard",
    forecastMethod: "ses",
    forecast: Array.from({ length: 12 }, () => Math.round(rand() * 1e5) / 100),
  };
  // Every tenth item under the deprecated name, which publication moves to demandMean.
  if (k % 10 === 0) item.meanDemand = mean;
  else item.demandMean = mean;
  return item;
}

/** A body whose JSON is at least `bytes` long. */
export function bigSnapshot(bytes: number, modelVersion = "big-1", seed = 20261203): BigSnapshot {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const parameters = { abcCutoffs: [0.8, 0.95], xyzCutoffs: [0.5, 1], serviceLevels: { AX: 0.98, CZ: 0.9 }, note: "größer – 64 MiB" };
  const items: Record<string, unknown>[] = [];
  const parts: string[] = [];
  let size = 100;
  for (let k = 0; size < bytes; k++) {
    const item = bigSnapshotItem(k, rand);
    const text = JSON.stringify(item);
    items.push(item);
    parts.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  const json = `{"modelVersion":${JSON.stringify(modelVersion)},"parameters":${JSON.stringify(parameters)},"items":[${parts.join(",")}]}`;
  return { body: { modelVersion, parameters, items }, json };
}
