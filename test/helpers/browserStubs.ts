/**
 * The browser APIs jsdom lacks and the pane's views touch, for the component tests
 * (`beforeAll(installBrowserStubs)`): matchMedia and ResizeObserver (Fluent), text widths through
 * SVG and canvas (the charts measure their labels; jsdom lays nothing out, so each character
 * counts 6 px — the browser end-to-end tests draw them for real), and Web Crypto's subtle with
 * TextEncoder/TextDecoder (the audit hashes).
 */
import { webcrypto } from "node:crypto";
import { TextDecoder, TextEncoder } from "node:util";

export function installBrowserStubs(): void {
  if (!window.matchMedia) {
    Object.defineProperty(window, "matchMedia", {
      value: (q: string) => ({ matches: false, media: q, addEventListener() {}, removeEventListener() {}, addListener() {}, removeListener() {}, onchange: null, dispatchEvent: () => false }),
    });
  }
  if (!("ResizeObserver" in window)) {
    class ResizeObserverStub {
      observe() {}
      unobserve() {}
      disconnect() {}
    }
    Object.defineProperty(window, "ResizeObserver", { value: ResizeObserverStub });
  }
  const proto = window.SVGElement.prototype as unknown as Record<string, unknown>;
  proto.getComputedTextLength = function (this: SVGElement) {
    return (this.textContent?.length ?? 0) * 6;
  };
  proto.getBBox = () => ({ x: 0, y: 0, width: 0, height: 0 });
  HTMLCanvasElement.prototype.getContext = (() => ({ font: "", measureText: (t: string) => ({ width: t.length * 6 }) })) as unknown as HTMLCanvasElement["getContext"];
  Object.defineProperty(globalThis, "crypto", { value: webcrypto, configurable: true });
  Object.assign(globalThis, { TextEncoder, TextDecoder });
}
