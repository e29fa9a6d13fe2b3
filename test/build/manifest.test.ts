/** @jest-environment jsdom */
/**
 * Offline manifest check (office-addin-manifest validate needs Microsoft's online service, and the
 * public XSDs predate <Runtimes>): ids, resids, https URLs, icons and the shared-runtime wiring.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");
const xml = readFileSync(path.join(root, "manifest.xml"), "utf8");
const doc = new DOMParser().parseFromString(xml, "application/xml");
const all = (tag: string) => Array.from(doc.getElementsByTagName("*")).filter((e) => e.localName === tag);
const one = (tag: string) => {
  const found = all(tag);
  expect(found).toHaveLength(1);
  return found[0];
};
const resources = (tag: string) => new Map(all(tag).filter((e) => e.parentElement?.localName !== "Icon" && e.getAttribute("id")).map((e) => [e.getAttribute("id")!, e.getAttribute("DefaultValue")!]));
const images = resources("Image");
const urls = resources("Url");
const shortStrings = new Map(all("String").filter((e) => e.parentElement?.localName === "ShortStrings").map((e) => [e.getAttribute("id")!, e.getAttribute("DefaultValue")!]));
const longStrings = new Map(all("String").filter((e) => e.parentElement?.localName === "LongStrings").map((e) => [e.getAttribute("id")!, e.getAttribute("DefaultValue")!]));

function pngSize(file: string): [number, number] {
  const b = readFileSync(file);
  expect(b.subarray(1, 4).toString("ascii")).toBe("PNG");
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe("manifest.xml", () => {
  it("is well-formed XML with a TaskPaneApp root", () => {
    expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
    expect(doc.documentElement.localName).toBe("OfficeApp");
    expect(doc.documentElement.getAttribute("xsi:type")).toBe("TaskPaneApp");
  });

  it("has a GUID id, a four-part version and the required metadata", () => {
    expect(one("Id").textContent).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(one("Version").textContent).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const tag of ["ProviderName", "DefaultLocale"]) expect(one(tag).textContent?.trim()).not.toBe("");
    expect(one("DisplayName").getAttribute("DefaultValue")).toBe("Supply Segmentation");
    expect(one("Permissions").textContent).toBe("ReadWriteDocument");
  });

  it("resolves every resid to a resource of the right kind, ids at most 32 characters", () => {
    const kinds: Record<string, Map<string, string>> = {
      Image: images,
      SourceLocation: urls,
      LearnMoreUrl: urls,
      FunctionFile: urls,
      Runtime: urls,
      Label: shortStrings,
      Title: shortStrings,
      Namespace: shortStrings,
      Description: longStrings,
    };
    const withResid = Array.from(doc.getElementsByTagName("*")).filter((e) => e.hasAttribute("resid"));
    expect(withResid.length).toBeGreaterThan(10);
    for (const e of withResid) {
      const resid = e.getAttribute("resid")!;
      const pool = kinds[e.localName];
      expect([e.localName, pool ? "known" : "unknown element"]).toEqual([e.localName, "known"]);
      expect([e.localName, resid, pool.has(resid)]).toEqual([e.localName, resid, true]);
    }
    for (const id of [...images.keys(), ...urls.keys(), ...shortStrings.keys(), ...longStrings.keys()]) {
      expect(id.length).toBeLessThanOrEqual(32);
    }
  });

  it("uses https for every URL", () => {
    const found = [...xml.matchAll(/(?:DefaultValue="|<AppDomain>)(https?:\/\/[^"<]+)/g)].map((m) => m[1]);
    expect(found.length).toBeGreaterThan(5);
    for (const u of found) expect(u).toMatch(/^https:\/\//);
  });

  it("wires the shared runtime: one long-lived runtime hosting the functions and the task pane", () => {
    const sets = all("Set").map((s) => s.getAttribute("Name"));
    expect(sets).toContain("SharedRuntime");
    const runtime = one("Runtime");
    expect(runtime.getAttribute("lifetime")).toBe("long");
    const pageResid = runtime.getAttribute("resid")!;
    expect(urls.get(pageResid)).toBe("https://localhost:3000/taskpane.html");
    const cf = all("ExtensionPoint").find((e) => e.getAttribute("xsi:type") === "CustomFunctions")!;
    const cfPage = Array.from(cf.getElementsByTagName("*")).find((e) => e.localName === "Page")!;
    expect(cfPage.firstElementChild!.getAttribute("resid")).toBe(pageResid);
    expect(one("FunctionFile").getAttribute("resid")).toBe(pageResid);
    const action = all("Action").find((a) => a.getAttribute("xsi:type") === "ShowTaskpane")!;
    expect(Array.from(action.children).find((c) => c.localName === "SourceLocation")!.getAttribute("resid")).toBe(pageResid);
    const ns = Array.from(cf.getElementsByTagName("*")).find((e) => e.localName === "Namespace")!;
    expect(shortStrings.get(ns.getAttribute("resid")!)).toBe("SEG");
    expect(urls.get("Functions.Metadata.Url")).toMatch(/\/functions\.json$/);
  });

  it("points at icons that exist in assets/ with the declared sizes", () => {
    for (const [id, url] of images) {
      const size = Number(/(\d+)x\d+/.exec(id)![1]);
      const file = path.join(root, "assets", path.basename(new URL(url).pathname));
      expect(pngSize(file)).toEqual([size, size]);
    }
    for (const s of [16, 32, 64, 80]) expect(pngSize(path.join(root, "assets", `icon-${s}.png`))).toEqual([s, s]);
    for (const tag of ["IconUrl", "HighResolutionIconUrl"]) {
      const file = path.join(root, "assets", path.basename(new URL(one(tag).getAttribute("DefaultValue")!).pathname));
      expect(pngSize(file)[0]).toBe(tag === "IconUrl" ? 32 : 64);
    }
  });
});
