import { readFileSync } from "node:fs";
import path from "node:path";
import { guessLanguage } from "../../../src/engine/contracts/language";
import { extractTerms, extractTermsMany, numberValue, serviceRequirement } from "../../../src/engine/contracts/terms";

interface Expected {
  kind: string;
  min: number | null;
  max: number | null;
  unit: string | null;
  text: string;
  per?: string | null;
  timeZone?: string | null;
}
interface Clause {
  id: number;
  text: string;
  language?: string;
  terms: Expected[];
}
const fixture = JSON.parse(readFileSync(path.join(__dirname, "../../fixtures/contract_clauses.json"), "utf8")) as { clauses: Clause[] };

describe("service terms from contract clauses (hand-written fixture)", () => {
  it("has at least 30 clauses, with no-term, two-term, range and foreign-language cases", () => {
    const c = fixture.clauses;
    expect(c.length).toBeGreaterThanOrEqual(30);
    expect(c.filter((x) => x.terms.length === 0 && !x.language).length).toBeGreaterThanOrEqual(5);
    expect(c.filter((x) => x.terms.length >= 2).length).toBeGreaterThanOrEqual(5);
    expect(c.filter((x) => x.terms.some((t) => t.min !== null && t.max !== null && t.min !== t.max)).length).toBeGreaterThanOrEqual(4);
    expect(c.filter((x) => x.language).length).toBeGreaterThanOrEqual(4);
  });

  it.each(fixture.clauses.map((c) => [c.id, c] as const))("clause %i", (_id, c) => {
    const r = extractTerms(c.text);
    if (c.language) {
      expect(r.language.language).toBe(c.language);
      expect(r.flagged).toMatch(/^not English/);
    } else expect(r.flagged).toBeNull();
    const got = r.terms.map((t) => {
      const o: Record<string, unknown> = { kind: t.kind, min: t.min, max: t.max, unit: t.unit, text: t.text };
      return o;
    });
    expect(got).toEqual(c.terms.map((e) => ({ kind: e.kind, min: e.min, max: e.max, unit: e.unit, text: e.text })));
    c.terms.forEach((e, i) => {
      const t = r.terms[i];
      expect(c.text.slice(t.start, t.end)).toBe(e.text);
      expect(t.start).toBe(c.text.indexOf(e.text));
      if ("per" in e) expect(t.per).toBe(e.per);
      if ("timeZone" in e) expect(t.timeZone).toBe(e.timeZone);
      expect(t.confidence).toBeGreaterThan(0);
      expect(t.confidence).toBeLessThanOrEqual(1);
    });
  });
});

describe("grammar details", () => {
  it("confidence falls with the words between keyword and figure, and for 'service level'", () => {
    expect(extractTerms("Fill rate 98%.").terms[0].confidence).toBe(0.9);
    expect(extractTerms("The fill rate, which we measure every single calendar month, is 98%.").terms[0].confidence).toBe(0.8);
    expect(extractTerms("The fill rate, which both parties agree is measured every calendar month, shall be 98%.").terms[0].confidence).toBe(0.65);
    expect(extractTerms("Service level of 95%.").terms[0].confidence).toBe(0.8);
    expect(extractTerms("Penalties apply as set out in Annex B.").terms[0].confidence).toBe(0.6);
    // more than 14 words apart: not linked
    expect(extractTerms("The fill rate is the share of demand met from stock on hand in the same period as the order arrives at 98%.").terms).toEqual([]);
  });

  it("a payment or notice period is not a lead time, even when it names the delivery", () => {
    expect(extractTerms("Payment shall be made within 30 days of delivery.").terms).toEqual([]);
    expect(extractTerms("Either party may end deliveries on 60 days' notice.").terms).toEqual([]);
    expect(extractTerms("Delivery in 2-3 weeks.").terms[0]).toMatchObject({ kind: "leadTime", min: 14, max: 21, unit: "days" });
  });

  it("reads numbers, times and currencies", () => {
    expect(numberValue("forty-eight (48)")).toBe(48);
    expect(numberValue("seventy-two")).toBe(72);
    expect(numberValue("1,250.5")).toBe(1250.5);
    expect(extractTerms("Order cut-off: midnight UTC.").terms[0]).toMatchObject({ kind: "cutoffTime", min: 0, timeZone: "UTC" });
    expect(extractTerms("Cutoff time 12 pm.").terms[0]).toMatchObject({ min: 720 });
    expect(extractTerms("Cutoff time 12 am.").terms[0]).toMatchObject({ min: 0 });
    expect(extractTerms("A penalty of £1,000 per incident.").terms[0]).toMatchObject({ kind: "penalty", min: 1000, unit: "GBP", per: "incident" });
    expect(extractTerms("Delivery within forty-eight (48) hours.").terms[0]).toMatchObject({ kind: "leadTime", max: 48, unit: "hours" });
  });

  it("language guess: English by default, foreign and non-Latin flagged", () => {
    expect(guessLanguage("OTIF 95%").english).toBe(true);
    expect(guessLanguage("Il fornitore consegna entro 3 giorni lavorativi della data").language).toBe("it");
    expect(guessLanguage("De leverancier levert binnen 2 dagen").language).toBe("nl");
    expect(guessLanguage("Доставка в течение 48 часов").language).toBe("non-Latin");
    expect(extractTermsMany(["Fill rate 97%.", "Lieferung innerhalb von 2 Tagen nach der Bestellung."]).map((x) => x.flagged)).toEqual([null, "not English (de): no terms read"]);
  });

  it("accepted terms give the customer's requirement (the highest fill-rate / OTIF minimum)", () => {
    const terms = extractTerms("OTIF ≥ 95% and fill rate ≥ 98.5%, both measured per calendar quarter.").terms;
    expect(serviceRequirement(terms)).toBeCloseTo(0.985, 12);
    expect(serviceRequirement(extractTerms("Deliveries within 48 hours.").terms)).toBeNull();
  });
});
