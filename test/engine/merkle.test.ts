/**
 * RFC 6962 Merkle trees (src/engine/merkle.ts).
 * Reference vectors: the 8-leaf RFC 6962 test tree used by Certificate Transparency
 * implementations, copied from transparency-dev/merkle (Google's Trillian merkle package, moved
 * there), file proof/verify_test.go at commit 02194e9afb6c1d95b5381350007963aa70fff472: the leaves,
 * the root for every size 1..8, four inclusion proofs and four consistency proofs. In that file
 * inclusion leaves are 1-based (`p.leaf-1` is the index); here they are 0-based.
 * Property tests (fast-check) compare with a plain recursive MTH written from RFC 6962 §2.1 here.
 */
import fc from "fast-check";
import { createHash } from "node:crypto";
import {
  MerkleTree,
  emptyRoot,
  fromHex,
  leafHash,
  nodeHash,
  rootOf,
  toHex,
  verifyConsistency,
  verifyInclusion,
  type HashFn,
} from "../../src/engine/merkle";

const LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(fromHex);
const ROOTS = [
  "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
  "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
  "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
  "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
  "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
  "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];
const EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
/** [leaf index (0-based), tree size, proof] */
const INCLUSION: [number, number, string[]][] = [
  [0, 8, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [5, 8, [
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
  [2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]],
  [1, 5, [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
];
/** [size1, size2, proof] */
const CONSISTENCY: [number, number, string[]][] = [
  [1, 8, [
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
  ]],
  [6, 8, [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
  [2, 5, [
    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
  ]],
  [6, 7, [
    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
  ]],
];

function referenceTree(): MerkleTree {
  const t = new MerkleTree();
  for (const d of LEAVES) t.appendData(d);
  return t;
}

/** MTH straight from RFC 6962 §2.1, recursive over leaf hashes. */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return emptyRoot();
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const flip = (b: Uint8Array, at: number, bit = 1) => {
  const c = b.slice();
  c[at] ^= bit;
  return c;
};

describe("RFC 6962 reference vectors (transparency-dev/merkle proof/verify_test.go)", () => {
  test("empty root, and the root for every size 1..8", () => {
    expect(toHex(emptyRoot())).toBe(EMPTY);
    expect(toHex(new MerkleTree().root())).toBe(EMPTY);
    const t = referenceTree();
    for (let n = 1; n <= 8; n++) expect(toHex(t.root(n))).toBe(ROOTS[n - 1]);
    expect(toHex(rootOf(LEAVES.map((d) => leafHash(d))))).toBe(ROOTS[7]);
  });

  test.each(INCLUSION)("inclusion proof of leaf %i in size %i: generated as published, and verifies", (index, size, proof) => {
    const t = referenceTree();
    expect(t.inclusionProof(index, size).map(toHex)).toEqual(proof);
    const root = fromHex(ROOTS[size - 1]);
    const leaf = leafHash(LEAVES[index]);
    expect(verifyInclusion(index, size, leaf, proof.map(fromHex), root)).toBe(true);
    // The corruptions of verify_test.go's corruptInclusionProof.
    const p = proof.map(fromHex);
    const wrong: [number, number, Uint8Array, Uint8Array[], Uint8Array][] = [
      [index - 1, size, leaf, p, root],
      [index + 1, size, leaf, p, root],
      [index ^ 2, size, leaf, p, root],
      [index, size * 2, leaf, p, root],
      [index, Math.floor(size / 2), leaf, p, root],
      [index, size, new TextEncoder().encode("WrongLeaf"), p, root],
      [index, size, leaf, p, emptyRoot()],
      [index, size, leaf, [...p, new Uint8Array(0)], root],
      [index, size, leaf, [...p, root], root],
      [index, size, leaf, [root, ...p], root],
      [index, size, leaf, p.slice(0, -1), root],
      ...p.map((_, i): [number, number, Uint8Array, Uint8Array[], Uint8Array] => [index, size, leaf, p.map((x, j) => (j === i ? flip(x, 0, 8) : x)), root]),
    ];
    for (const [i, s, l, pr, r] of wrong) expect(verifyInclusion(i, s, l, pr, r)).toBe(false);
  });

  test.each(CONSISTENCY)("consistency proof %i -> %i: generated as published, and verifies", (size1, size2, proof) => {
    const t = referenceTree();
    expect(t.consistencyProof(size1, size2).map(toHex)).toEqual(proof);
    const r1 = fromHex(ROOTS[size1 - 1]);
    const r2 = fromHex(ROOTS[size2 - 1]);
    const p = proof.map(fromHex);
    expect(verifyConsistency(size1, size2, r1, r2, p)).toBe(true);
    // The corruptions of verify_test.go's corruptConsistencyProof.
    const wrong: [number, number, Uint8Array, Uint8Array, Uint8Array[]][] = [
      [size1 - 1, size2, r1, r2, p],
      [size1 + 1, size2, r1, r2, p],
      [size1 ^ 2, size2, r1, r2, p],
      [size1, size2 * 2, r1, r2, p],
      [size1, Math.floor(size2 / 2), r1, r2, p],
      [size1, size2, new TextEncoder().encode("WrongRoot"), r2, p],
      [size1, size2, r1, new TextEncoder().encode("WrongRoot"), p],
      [size1, size2, r2, r1, p],
      [size1, size2, r1, r2, []],
      [size1, size2, r1, r2, [...p, new Uint8Array(0)]],
      [size1, size2, r1, r2, [...p, r1]],
      [size1, size2, r1, r2, [...p, r2]],
      [size1, size2, r1, r2, [r1, ...p]],
      [size1, size2, r1, r2, [r2, ...p]],
      [size1, size2, r1, r2, [p[0], ...p]],
      [size1, size2, r1, r2, p.slice(0, -1)],
      ...p.map((_, i): [number, number, Uint8Array, Uint8Array, Uint8Array[]] => [size1, size2, r1, r2, p.map((x, j) => (j === i ? flip(x, 0, 16) : x))]),
    ];
    for (const [s1, s2, a, b, pr] of wrong) expect(verifyConsistency(s1, s2, a, b, pr)).toBe(false);
  });

  test("edge cases of verify_test.go TestVerifyConsistency", () => {
    const a = new TextEncoder().encode("don't care 1");
    const b = new TextEncoder().encode("don't care 2");
    const e = emptyRoot();
    expect(verifyConsistency(0, 0, a, b, [])).toBe(false);
    expect(verifyConsistency(1, 1, a, b, [])).toBe(false);
    expect(verifyConsistency(0, 0, a, a, [])).toBe(true);
    expect(verifyConsistency(0, 1, a, b, [])).toBe(true);
    expect(verifyConsistency(1, 1, b, b, [])).toBe(true);
    expect(verifyConsistency(1, 0, a, b, [])).toBe(false);
    expect(verifyConsistency(2, 1, a, b, [])).toBe(false);
    expect(verifyConsistency(1, 2, a, b, [])).toBe(false);
    expect(verifyConsistency(0, 0, e, b, [])).toBe(false);
    expect(verifyConsistency(0, 0, e, e, [e])).toBe(false);
    expect(verifyConsistency(0, 1, e, e, [e])).toBe(false);
    expect(verifyConsistency(1, 1, e, e, [e])).toBe(false);
  });

  test("inclusion edge cases: empty tree, index outside, one-leaf tree", () => {
    const some = fromHex("abacaba000000000000000000000000000000000000000000060061e00123456");
    expect(verifyInclusion(0, 0, some, [], emptyRoot())).toBe(false);
    expect(verifyInclusion(1, 0, some, [], emptyRoot())).toBe(false);
    expect(verifyInclusion(2, 1, some, [], some)).toBe(false);
    const h = leafHash(new TextEncoder().encode("data"));
    expect(verifyInclusion(0, 1, h, [], h)).toBe(true);
    expect(verifyInclusion(0, 1, h, [], new Uint8Array(0))).toBe(false);
  });
});

describe("property tests: random trees", () => {
  const leavesArb = fc.array(fc.uint8Array({ minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 70 });

  test("the incremental tree's root equals RFC 6962 MTH for every prefix", () => {
    fc.assert(
      fc.property(leavesArb, (data) => {
        const t = new MerkleTree();
        const hashes = data.map((d) => leafHash(d));
        for (const d of data) t.appendData(d);
        for (let n = 0; n <= data.length; n++) expect(toHex(t.root(n))).toBe(toHex(mth(hashes.slice(0, n))));
      }),
      { numRuns: 60 },
    );
  });

  test("every inclusion pair (index, size) verifies; a flipped byte anywhere fails", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat({ max: 255 }), (data, pick, bit) => {
        const t = new MerkleTree();
        for (const d of data) t.appendData(d);
        for (let size = 1; size <= data.length; size++) {
          const root = t.root(size);
          for (let i = 0; i < size; i++) {
            const proof = t.inclusionProof(i, size);
            const leaf = t.leaf(i);
            expect(verifyInclusion(i, size, leaf, proof, root)).toBe(true);
            // One flipped bit: in the leaf, the root, or one proof element.
            const mask = 1 << (bit % 8);
            const byte = pick % 32;
            expect(verifyInclusion(i, size, flip(leaf, byte, mask), proof, root)).toBe(false);
            expect(verifyInclusion(i, size, leaf, proof, flip(root, byte, mask))).toBe(false);
            if (proof.length > 0) {
              const j = pick % proof.length;
              expect(verifyInclusion(i, size, leaf, proof.map((p, k) => (k === j ? flip(p, byte, mask) : p)), root)).toBe(false);
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  test("every consistency pair (m, n) verifies; a flipped byte anywhere fails", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), fc.nat({ max: 255 }), (data, pick, bit) => {
        const t = new MerkleTree();
        for (const d of data) t.appendData(d);
        const mask = 1 << (bit % 8);
        const byte = pick % 32;
        for (let n = 1; n <= data.length; n++) {
          const r2 = t.root(n);
          for (let m = 0; m <= n; m++) {
            const r1 = t.root(m);
            const proof = t.consistencyProof(m, n);
            expect(verifyConsistency(m, n, r1, r2, proof)).toBe(true);
            if (m === 0) continue; // the empty tree is a prefix of everything: nothing to flip
            expect(verifyConsistency(m, n, flip(r1, byte, mask), r2, proof)).toBe(false);
            expect(verifyConsistency(m, n, r1, flip(r2, byte, mask), proof)).toBe(false);
            if (proof.length > 0) {
              const j = pick % proof.length;
              expect(verifyConsistency(m, n, r1, r2, proof.map((p, k) => (k === j ? flip(p, byte, mask) : p)))).toBe(false);
            }
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  test("a tree rewritten at any position is not consistent with the original's heads", () => {
    fc.assert(
      fc.property(leavesArb, fc.nat(), (data, pick) => {
        if (data.length < 2) return;
        const at = pick % data.length;
        const good = new MerkleTree();
        const bad = new MerkleTree();
        data.forEach((d, i) => {
          good.appendData(d);
          bad.appendData(i === at ? new Uint8Array([...d, 0xff]) : d);
        });
        for (let m = at + 1; m <= data.length; m++) {
          // The rewritten log cannot prove that the honest head of size m is its prefix.
          const proof = bad.consistencyProof(m, data.length);
          expect(verifyConsistency(m, data.length, good.root(m), bad.root(), proof)).toBe(false);
        }
      }),
      { numRuns: 40 },
    );
  });

  test("a tree built with another SHA-256 implementation (Node's) is identical", () => {
    const node: HashFn = (d) => new Uint8Array(createHash("sha256").update(d).digest());
    const a = new MerkleTree();
    const b = new MerkleTree(node);
    for (let i = 0; i < 300; i++) {
      const d = new Uint8Array([i & 255, i >> 8]);
      a.appendData(d);
      b.appendData(d);
    }
    expect(toHex(a.root())).toBe(toHex(b.root()));
    expect(a.consistencyProof(77, 300).map(toHex)).toEqual(b.consistencyProof(77, 300).map(toHex));
  });
});
