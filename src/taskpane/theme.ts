/**
 * Light or dark, following Office: Office.context.officeTheme when the host offers it (its body
 * background tells which), else the browser's prefers-color-scheme.
 */
export type ThemeKind = "light" | "dark";

interface OfficeThemeLike {
  bodyBackgroundColor?: string;
}

/** Relative luminance (sRGB, WCAG 2 formula) of a #rrggbb colour; NaN when it cannot be read. */
export function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return Number.NaN;
  const n = parseInt(m[1], 16);
  const ch = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

export function themeFromOffice(theme: OfficeThemeLike | undefined | null): ThemeKind | null {
  const bg = theme?.bodyBackgroundColor;
  if (!bg) return null;
  const l = luminance(bg);
  if (Number.isNaN(l)) return null;
  return l < 0.4 ? "dark" : "light";
}

export function officeTheme(): OfficeThemeLike | undefined {
  const g = globalThis as { Office?: { context?: { officeTheme?: OfficeThemeLike } } };
  try {
    return g.Office?.context?.officeTheme;
  } catch {
    return undefined;
  }
}

export function systemTheme(): ThemeKind {
  if (typeof window === "undefined" || typeof window.matchMedia !== "function") return "light";
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function currentTheme(): ThemeKind {
  return themeFromOffice(officeTheme()) ?? systemTheme();
}
