import { parseNumberText, parseQuantities, numberLocale } from "../../../src/engine/numbers";

describe("parseNumberText", () => {
  test.each([
    ["en", "1,234,567.89", 1234567.89],
    ["en", "-12", -12],
    ["en", "12-", -12], // SAP trailing minus
    ["en", "(3.5)", -3.5], // accounting negative
    ["en", "+7", 7],
    ["en", ".5", 0.5],
    ["en", "1e3", 1000],
    ["de", "1.234.567,89", 1234567.89],
    ["de", "1.234,50-", -1234.5],
    ["de", "0,5", 0.5],
    ["fr", "1 234 567,5", 1234567.5],
    ["fr", "1\u00a0234,5", 1234.5],
    ["ch", "1'234.5", 1234.5],
    ["plain", "1234.5", 1234.5],
  ] as const)("%s %j = %d", (loc, text, value) => {
    expect(parseNumberText(text, numberLocale(loc))).toBeCloseTo(value, 10);
  });
  test.each([
    ["en", "1,50", "misplaced thousands separator"],
    ["en", "1.234,5", "marks look swapped"],
    ["de", "1,234.5", "marks look swapped"],
    ["de", "1.5", "misplaced thousands separator"],
    ["en", "12,34,567", "misplaced thousands separator"], // Indian grouping is not accepted under en
    ["en", "1.2.3", "decimal mark '.' twice"],
    ["en", "--3", "not a number"],
    ["en", "-", "has no digits"],
    ["plain", "1,000", "neither the decimal mark nor the thousands separator"],
    ["en", "abc", "not a number"],
  ] as const)("%s %j is rejected (%s)", (loc, text, why) => {
    const r = parseNumberText(text, numberLocale(loc));
    expect(typeof r).toBe("string");
    expect(r).toContain(why);
  });
});

describe("parseQuantities", () => {
  test("numbers pass, text is read under the locale, failures name the row and locale", () => {
    const r = parseQuantities([5, "1.234,5", "1,5", null, true], { locale: "de", rowBase: 10 });
    expect(Array.from(r.quantity.slice(0, 3))).toEqual([5, 1234.5, 1.5]);
    expect(r.issues.get(3)?.message).toBe("row 13: quantity is missing (blank)");
    expect(r.issues.get(4)?.message).toBe("row 14: quantity TRUE is not a number");
    const en = parseQuantities(["1,5"], { locale: "en" });
    expect(en.issues.get(0)?.message).toBe(
      "row 2: quantity \"1,5\" is not a number in locale en (decimal '.', thousands ','): it has a misplaced thousands separator ',' (groups of three digits only); if ',' is the decimal mark here, state a locale with decimal ','",
    );
  });
  test("unknown locale is an argument error", () => {
    expect(() => parseQuantities([], { locale: "xx" as "en" })).toThrow("numberLocale: must be one of en, de, fr, ch, plain");
  });
});
