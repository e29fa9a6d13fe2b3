import { ArgumentError } from "../../../src/engine/errors";
import { dayToSerial, parseDates, serialToDay } from "../../../src/engine/dates";
import { daysFromCivil, isoDate } from "../../../src/engine/periods";

const iso = (r: ReturnType<typeof parseDates>, i: number) => isoDate(r.day[i]);

describe("parseDates", () => {
  test("Excel serials: 1900 system incl. the 1900-02-29 bug", () => {
    // Microsoft: serial 1 = 1900-01-01, 45292 = 2024-01-01; serial 60 is the fictitious 1900-02-29
    expect(isoDate(serialToDay(1))).toBe("1900-01-01");
    expect(isoDate(serialToDay(59))).toBe("1900-02-28");
    expect(isoDate(serialToDay(61))).toBe("1900-03-01");
    expect(isoDate(serialToDay(45292.75))).toBe("2024-01-01"); // the time of day is dropped
    expect(dayToSerial(daysFromCivil(2024, 1, 1))).toBe(45292);
    const r = parseDates([45292, 60, 0, 3e6]);
    expect(iso(r, 0)).toBe("2024-01-01");
    expect(r.issues.get(1)?.message).toBe("row 3: date serial 60 is 1900-02-29, which does not exist (Excel's 1900 leap-year bug)");
    expect(r.issues.get(2)?.message).toContain("row 4: date 0 is not a date serial");
    expect(r.issues.has(3)).toBe(true);
  });
  test("ISO forms, with times and SAP's yyyymmdd", () => {
    const r = parseDates(["2024-02-29", "2024/3/1", "2024-03-02T23:59:59+05:00", "2024-03-03 08:00", "20240304"]);
    expect(r.issues.size).toBe(0);
    expect([0, 1, 2, 3, 4].map((i) => iso(r, i))).toEqual(["2024-02-29", "2024-03-01", "2024-03-02", "2024-03-03", "2024-03-04"]);
    expect(r.form).toBe("iso");
  });
  test("impossible dates are rejected naming the row", () => {
    const r = parseDates(["2024-01-31", "2023-02-29", "2024-13-01", "2024-04-31", "1899-12-31"]);
    expect(r.issues.get(1)?.message).toBe('row 3: date "2023-02-29" does not exist (February 2023 has 28 days)');
    expect(r.issues.get(2)?.message).toBe('row 4: date "2024-13-01" does not exist (month 13 does not exist)');
    expect(r.issues.get(3)?.message).toBe('row 5: date "2024-04-31" does not exist (April 2024 has 30 days)');
    expect(r.issues.get(4)?.message).toContain("outside 1900-9999");
  });
  test("stated d/m/y and m/d/y", () => {
    const dmy = parseDates(["03/04/2024", "31.12.2024", "1-2-2024"], { format: "dmy" });
    expect([0, 1, 2].map((i) => iso(dmy, i))).toEqual(["2024-04-03", "2024-12-31", "2024-02-01"]);
    const mdy = parseDates(["03/04/2024", "12/31/2024 10:30 PM", "31/12/2024"], { format: "mdy" });
    expect([iso(mdy, 0), iso(mdy, 1)]).toEqual(["2024-03-04", "2024-12-31"]);
    expect(mdy.issues.get(2)?.message).toBe('row 4: date "31/12/2024" does not exist as m/d/yyyy (month 31 does not exist)');
  });
  test("auto: a day above 12 decides; ambiguity and contradiction are argument errors", () => {
    expect(parseDates(["03/04/2024", "13/04/2024"]).form).toBe("dmy");
    expect(parseDates(["03/04/2024", "04/13/2024"]).form).toBe("mdy");
    expect(() => parseDates(["03/04/2024", "04/05/2024"])).toThrow("state the date format (dmy or mdy)");
    let err: unknown;
    try {
      parseDates(["13/01/2024", "01/13/2024"], { rowBase: 10 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ArgumentError);
    expect(String(err)).toContain('d/m/y (row 10: "13/01/2024") and m/d/y (row 11: "01/13/2024")');
  });
  test("mixed formats are rejected per row, naming both forms", () => {
    const r = parseDates(["2024-01-05", "05/01/2024", "5-Jan-2024", 45296]);
    expect(iso(r, 0)).toBe("2024-01-05");
    expect(r.issues.get(1)?.message).toBe('row 3: date "05/01/2024" is a d/m/yyyy or m/d/yyyy date but the column holds yyyy-mm-dd dates: mixed date formats');
    expect(r.issues.get(2)?.message).toBe('row 4: date "5-Jan-2024" is d-Mon-yyyy but the column holds yyyy-mm-dd dates: mixed date formats');
    expect(r.issues.has(3)).toBe(false); // an XLSX serial among text dates is accepted by default
    expect(parseDates(["2024-01-05", 45296], { serials: "reject" }).issues.get(1)?.message).toContain("mixed date formats");
  });
  test("named months, two-digit years, blanks and junk", () => {
    const r = parseDates(["31-Jan-2024", "1 February 2024", "3-Sept-2024", "4-Foo-2024", "5-Jan-24", "", "soon"]);
    expect([iso(r, 0), iso(r, 1), iso(r, 2)]).toEqual(["2024-01-31", "2024-02-01", "2024-09-03"]);
    expect(r.issues.get(3)?.message).toBe('row 5: date "4-Foo-2024": unknown month name');
    expect(r.issues.get(4)?.message).toBe('row 6: date "5-Jan-24" has a 2-digit year: write the year with four digits');
    expect(r.issues.get(5)?.message).toBe("row 7: date is missing (blank)");
    expect(r.issues.get(6)?.message).toBe('row 8: date "soon" is not a date (expected d-Mon-yyyy)');
  });
  test("bad format option", () => {
    expect(() => parseDates([], { format: "ymd" as "iso" })).toThrow("dateFormat: must be one of");
  });
});
