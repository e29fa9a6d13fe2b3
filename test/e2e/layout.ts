/**
 * What every browser test of the pane checks as a planner at 320–350 px would: opening a step's tab
 * (through the "More" list when it does not fit), and that the page does not scroll sideways, no two
 * controls overlap, no tab label is cut and no control runs past the right edge.
 */
import type { Page } from "playwright-core";

/** Opens a step's tab, through the "More" menu when the pane is too narrow to show it. */
export async function openTab(page: Page, name: string): Promise<void> {
  const tab = page.getByRole("tab", { name });
  const shown = await tab
    .click({ timeout: 3000 })
    .then(() => true)
    .catch(() => false);
  if (!shown) await page.getByRole("combobox", { name: /more steps/ }).selectOption({ label: name });
  await page.locator(`[role=tab][aria-selected=true]`, { hasText: name }).waitFor();
  await page.getByRole("tabpanel").waitFor();
}

export interface Layout {
  width: number;
  scrollWidth: number;
  clientWidth: number;
  overlaps: string[];
  cutTabs: string[];
  outside: string[];
}

/**
 * What a planner at this width would see wrong: the page scrolling sideways, two controls drawn
 * over each other, a tab label cut short, a control running past the right edge.
 */
export function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const de = document.documentElement;
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const st = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && st.display !== "none";
    };
    const label = (e: Element) => `${e.tagName.toLowerCase()}[${(e.getAttribute("aria-label") ?? (e as HTMLElement).innerText ?? "").slice(0, 30)}]`;
    // with a modal dialog open, what is under its backdrop cannot be reached: check the dialog alone
    const modal = document.querySelector("[role=alertdialog], [role=dialog]");
    const controls = [...(modal ?? document).querySelectorAll("input, select, textarea, button")].filter(visible);
    const overlaps: string[] = [];
    for (let i = 0; i < controls.length; i++) {
      for (let j = i + 1; j < controls.length; j++) {
        const a = controls[i];
        const b = controls[j];
        if (a.contains(b) || b.contains(a)) continue;
        const ra = a.getBoundingClientRect();
        const rb = b.getBoundingClientRect();
        const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (w > 1 && h > 1) overlaps.push(`${label(a)} / ${label(b)}`);
      }
    }
    // a tab's label is cut when its text is wider than the tab shows
    const cutTabs = [...document.querySelectorAll("[role=tab]")]
      .filter(visible)
      .filter((t) => {
        const text = t.querySelector(".fui-Tab__content") as HTMLElement | null;
        return (text ? text.scrollWidth : (t as HTMLElement).scrollWidth) > (t as HTMLElement).clientWidth + 1;
      })
      .map(label);
    const outside = controls.filter((c) => c.getBoundingClientRect().right > de.clientWidth + 0.5).map(label);
    return { width: window.innerWidth, scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, overlaps, cutTabs, outside };
  });
}

export async function expectGoodLayout(page: Page, where: string): Promise<void> {
  // measure the layout things end in: let running motions (a panel opening: Fluent's motions are
  // Web Animations) finish, then the tab bar's overflow measure itself after the last change (two frames)
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const l = await layout(page);
  // nothing scrolls sideways: scrollWidth <= clientWidth (it can be smaller while a modal dialog holds the page)
  const sideways = l.scrollWidth > l.clientWidth ? `${l.scrollWidth} px of content in ${l.clientWidth} px` : null;
  expect({ where, sideways, overlaps: l.overlaps, cutTabs: l.cutTabs, outside: l.outside }).toEqual({ where, sideways: null, overlaps: [], cutTabs: [], outside: [] });
}

