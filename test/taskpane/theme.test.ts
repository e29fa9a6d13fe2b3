import { luminance, themeFromOffice } from "../../src/taskpane/theme";

describe("theme from Office", () => {
  it("computes WCAG relative luminance (white 1, black 0, #808080 about 0.216)", () => {
    expect(luminance("#ffffff")).toBeCloseTo(1, 12);
    expect(luminance("#000000")).toBe(0);
    // (((128/255 + 0.055) / 1.055) ^ 2.4) for each channel
    expect(luminance("#808080")).toBeCloseTo(((128 / 255 + 0.055) / 1.055) ** 2.4, 12);
    expect(luminance("nonsense")).toBeNaN();
  });

  it("reads Office's dark and light body backgrounds", () => {
    expect(themeFromOffice({ bodyBackgroundColor: "#262626" })).toBe("dark");
    expect(themeFromOffice({ bodyBackgroundColor: "#FFFFFF" })).toBe("light");
    expect(themeFromOffice({ bodyBackgroundColor: "#E6E6E6" })).toBe("light");
    expect(themeFromOffice(undefined)).toBeNull();
    expect(themeFromOffice({})).toBeNull();
  });
});
