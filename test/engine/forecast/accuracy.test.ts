/**
 * Accuracy metrics: a hand-worked example of every definition (error = forecast - actual) and
 * properties that hold for any data. Agreement with an independent Python implementation is in
 * agreement.test.ts.
 */
import fc from "fast-check";
import { accuracy, accuracyColumns, maseScale, metricProblem, ACC_SIZE, accumulate } from "../../../src/engine/forecast/accuracy";

describe("the definitions on a worked example", () => {
  // actuals 10, 0, 5, 20; forecasts 12, 1, 5, 15 -> errors 2, 1, 0, -5
  const a = [10, 0, 5, 20];
  const f = [12, 1, 5, 15];
  const m = accuracy(a, f, { training: [3, 5, 4, 8] });

  it("ME, MAE, RMSE", () => {
    expect(m.count).toBe(4);
    expect(m.me).toBe(-0.5); // (2 + 1 + 0 - 5) / 4
    expect(m.mae).toBe(2); // (2 + 1 + 0 + 5) / 4
    expect(m.rmse).toBeCloseTo(Math.sqrt(7.5), 15); // sqrt((4 + 1 + 0 + 25) / 4)
  });

  it("MAPE skips the zero actual; WAPE and sMAPE are fractions", () => {
    expect(m.mape).toBeCloseTo((0.2 + 0 + 0.25) / 3, 15); // 2/10, 0/5, 5/20
    expect(m.wape).toBeCloseTo(8 / 35, 15); // sum |e| / sum |a|
    expect(m.smape).toBeCloseTo((4 / 22 + 2 / 1 + 0 + 10 / 35) / 4, 15); // 2|e| / (|a| + |f|)
  });

  it("MASE scales by the in-sample naive MAE (lag 1, or the season length)", () => {
    // training 3, 5, 4, 8: naive errors 2, 1, 4 -> scale 7/3; MASE = 2 / (7/3)
    expect(m.mase).toBeCloseTo(6 / 7, 15);
    // lag 2: |4 - 3|, |8 - 5| -> scale 2
    expect(accuracy(a, f, { training: [3, 5, 4, 8], seasonLength: 2 }).mase).toBe(1);
  });

  it("tracking signal = sum of errors / MAD", () => {
    expect(m.ts).toBe(-1); // -2 / 2
  });

  it("skips a pair with a missing value on either side", () => {
    const withGap = accuracy([10, NaN, 0, 5, 20], [12, 3, 1, 5, 15]);
    expect(withGap.count).toBe(4);
    expect(withGap.mae).toBe(2);
  });
});

describe("undefined metrics", () => {
  it("give NaN and say why", () => {
    const allZero = accuracy([0, 0], [1, 2]);
    expect(Number.isNaN(allZero.mape) && Number.isNaN(allZero.wape)).toBe(true);
    const perfect = accuracy([1, 2], [1, 2]);
    expect(Number.isNaN(perfect.ts)).toBe(true);
    expect(perfect.mae).toBe(0);
    const acc = new Float64Array(ACC_SIZE);
    accumulate(acc, 0, 1, 0);
    expect(metricProblem(acc, 0, "mape")?.message).toBe("every actual is 0: MAPE undefined (zero actuals are skipped)");
    expect(metricProblem(acc, 0, "wape")?.message).toBe("the actuals sum to 0: WAPE undefined");
    expect(metricProblem(acc, 0, "mase", 0)?.message).toBe("the training series has no naive error (it repeats itself): MASE undefined");
    expect(metricProblem(new Float64Array(ACC_SIZE), 0, "mae")?.message).toBe("no period has both an actual and a forecast");
    expect(Number.isNaN(maseScale([5], 0, 1))).toBe(true);
  });

  it("sMAPE counts a perfect forecast of no demand as 0", () => {
    expect(accuracy([0, 4], [0, 2]).smape).toBeCloseTo((0 + 4 / 6) / 2, 15);
  });
});

describe("accuracyColumns", () => {
  it("gives one value per row, with a single training row used for all", () => {
    const { value, errors } = accuracyColumns([10, 0, 5, 20, 1, 1, 1, 1], [12, 1, 5, 15, 1, 1, 1, 1], 2, 4, "mase", { data: [3, 5, 4, 8], rows: 1, cols: 4 });
    expect(value[0]).toBeCloseTo(6 / 7, 15);
    expect(value[1]).toBe(0);
    expect(errors.size).toBe(0);
    const ts = accuracyColumns([1, 2], [1, 2], 1, 2, "ts");
    expect(errors.size).toBe(0);
    expect(ts.errors.get(0)).toEqual({ kind: "na", message: "every error is 0: tracking signal undefined" });
  });
});

describe("properties", () => {
  // amounts with two decimals (demand-like numbers; no subnormals that scaling would flush to 0)
  const amount = fc.integer({ min: -100000, max: 100000 }).map((k) => k / 100);
  const pairs = fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.array(amount, { minLength: n, maxLength: n }), fc.array(amount, { minLength: n, maxLength: n })));

  it("MAE >= |ME|, RMSE >= MAE, |TS| <= n, 0 <= sMAPE <= 2", () => {
    fc.assert(
      fc.property(pairs, ([a, f]) => {
        const m = accuracy(a, f);
        const tol = 1e-9 * (1 + m.mae);
        expect(m.mae + tol).toBeGreaterThanOrEqual(Math.abs(m.me));
        expect(m.rmse + tol).toBeGreaterThanOrEqual(m.mae);
        if (!Number.isNaN(m.ts)) expect(Math.abs(m.ts)).toBeLessThanOrEqual(a.length * (1 + 1e-12));
        expect(m.smape >= 0 && m.smape <= 2 + 1e-12).toBe(true);
      }),
    );
  });

  it("error = forecast - actual: swapping the two negates ME and TS and keeps MAE", () => {
    fc.assert(
      fc.property(pairs, ([a, f]) => {
        const m = accuracy(a, f);
        const s = accuracy(f, a);
        expect(s.me).toBeCloseTo(-m.me, 9);
        expect(s.mae).toBeCloseTo(m.mae, 9);
        if (!Number.isNaN(m.ts)) expect(s.ts).toBeCloseTo(-m.ts, 9);
      }),
    );
  });

  it("scaling the data by c > 0 scales ME, MAE, RMSE by c and leaves the relative metrics alone", () => {
    fc.assert(
      fc.property(pairs, fc.double({ min: 0.01, max: 100, noNaN: true }), ([a, f], c) => {
        const tr = a.map((v, i) => v + i);
        const m = accuracy(a, f, { training: tr });
        const s = accuracy(
          a.map((v) => v * c),
          f.map((v) => v * c),
          { training: tr.map((v) => v * c) },
        );
        const rel = (x: number, y: number) => (Number.isNaN(y) ? Number.isNaN(x) : Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)));
        expect(rel(s.mae, c * m.mae) && rel(s.rmse, c * m.rmse) && rel(s.me, c * m.me)).toBe(true);
        for (const k of ["mape", "wape", "smape", "mase", "ts"] as const) expect(rel(s[k], m[k])).toBe(true);
      }),
    );
  });
});
