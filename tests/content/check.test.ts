import { describe, expect, it } from "vitest";
import { checkContent, contentHealth, factsOf } from "../../src/core/content-check.js";
import { ContentError, ContentLibrary, parseContentFile, parseCountryFile, withNumbers } from "../../src/core/content.js";
import { createTranslator } from "../../src/core/i18n/index.js";

/** The content model and its check, on small hand-written files (the real library is checked in library.test.ts). */

const translator = createTranslator();
const today = "2026-11-26";

function answer(fields: Record<string, string>, body: string, origin = "content/x.md") {
  const fm = {
    intent: "urgent.trafficking",
    lang: "es",
    title: '"Si te están explotando"',
    summary: '"No es tu culpa. {{numbers}} Una persona te responderá aquí."',
    numbers: "[trafficking, emergency]",
    sources: '\n  - name: "OIM"\n    url: "https://www.iom.int/"',
    status: "draft",
    ...fields,
  };
  const yaml = Object.entries(fm).map(([k, v]) => `${k}: ${v}`).join("\n");
  return parseContentFile(origin, `---\n${yaml}\n---\n${body}\n`);
}

const MX = parseCountryFile(
  "content/countries/MX.yml",
  `country: MX
status: draft
numbers:
  emergency:
    number: "911"
    sources:
      - name: "Gobierno de México — 911"
        url: "https://www.gob.mx/911"
  trafficking:
    number: "800 5533 000"
    sources:
      - name: "Consejo Ciudadano — Línea contra la trata"
        url: "https://consejociudadanomx.org/"
`,
);

describe("content files", () => {
  it("names the file and the field when the front matter is wrong", () => {
    expect(() => answer({ title: '""' }, "Cuerpo")).toThrow(/content\/x\.md: title/);
    expect(() => answer({ sources: "[]" }, "Cuerpo")).toThrow(/sources: cite at least one source/);
    expect(() => answer({ intent: "urgent.nothing" }, "Cuerpo")).toThrow(ContentError);
    expect(() => answer({ colour: "red" }, "Cuerpo")).toThrow(/colour/);
    expect(() => answer({ reviewed_at: '"yesterday"' }, "Cuerpo")).toThrow(/reviewed_at: use YYYY-MM-DD/);
    expect(() => parseContentFile("content/y.md", "no front matter")).toThrow(/content\/y\.md: missing front matter/);
    expect(() => parseContentFile("content/y.md", "---\ntitle: [unclosed\n---\nbody")).toThrow(/not valid YAML/);
    expect(() => parseCountryFile("content/countries/MX.yml", "country: MX\nstatus: draft\nnumbers:\n  emergency:\n    number: call 911\n    sources: []\n")).toThrow(
      /numbers\.emergency\.number: digits/,
    );
  });

  it("fills a country's sourced numbers into a safety reply, and points to the local number when none is known", () => {
    const entry = answer({}, "*No es tu culpa.*\nSi estás en peligro, llama:\n{{numbers}}\n- Busca un lugar con gente.");
    const t = translator("es");
    const inMexico = withNumbers(entry, MX, t);
    expect(inMexico.body).toContain("- Línea contra la trata de personas: *800 5533 000*\n- Emergencias: *911*");
    expect(inMexico.summary).toBe("No es tu culpa. Línea contra la trata de personas: 800 5533 000. Emergencias: 911. Una persona te responderá aquí.");
    expect(inMexico.sources.map((s) => s.url)).toEqual(["https://consejociudadanomx.org/", "https://www.gob.mx/911", "https://www.iom.int/"]);
    const unknown = withNumbers(entry, undefined, t);
    expect(unknown.body).toContain("llama:\n- Emergencias: el número local\n- Busca un lugar con gente.");
    expect(unknown.body).not.toMatch(/\d/);
    expect(unknown.summary).toContain("Llama al número de emergencias local.");
    const library = new ContentLibrary([entry], [MX]);
    expect(library.answer("urgent.trafficking", "es", "MX", t)!.body).toContain("911");
    expect(library.answer("urgent.trafficking", "es", "PA", t)!.body).toContain("Emergencias: el número local");
  });

  it("reads the facts a translation must keep: numbers and links", () => {
    expect(factsOf("Llama al *800 5533 000* o al 911; ve a https://www.gob.mx/comar. Plazo: 30 días.")).toEqual({
      numbers: ["30", "8005533000", "911"],
      urls: ["https://www.gob.mx/comar"],
    });
  });
});

describe("the content check", () => {
  const es = answer({ related: "[]" }, "Llama:\n{{numbers}}\nPlazo de 30 días.", "content/urgent.trafficking/es.md");
  const errorsOf = (problems: ReturnType<typeof checkContent>, origin: string) =>
    problems.filter((p) => p.level === "error" && p.origin === origin).map((p) => p.message);

  it("flags translations whose numbers, links or follow-ups differ", () => {
    const en = answer({ lang: "en", summary: '"Not your fault. {{numbers}}"', related: "[help.gbv]" }, "Call:\n{{numbers}}\nDeadline 15 days, see https://www.iom.int/.", "content/urgent.trafficking/en.md");
    const problems = checkContent([es, en], [MX], { translator, today });
    const messages = errorsOf(problems, "content/urgent.trafficking/en.md");
    expect(messages).toContainEqual(expect.stringMatching(/^numbers \(15\) differ from content\/urgent\.trafficking\/es\.md \(30\)/));
    expect(messages).toContainEqual(expect.stringMatching(/^links \(https:\/\/www\.iom\.int\/\) differ/));
    expect(messages).toContainEqual(expect.stringMatching(/^related \(help\.gbv\) differs/));
  });

  it("requires every answer in every language, country versions and each country's emergency number", () => {
    const problems = checkContent([es], [MX], { translator, today });
    expect(errorsOf(problems, "content/urgent.trafficking/ht.md")).toEqual(["missing"]);
    expect(errorsOf(problems, "content/protection.asylum_apply/pt.GT.md")).toEqual(["missing"]);
    expect(errorsOf(problems, "content/countries/US.yml")).toEqual(["missing"]);
    expect(errorsOf(problems, "content/urgent.trafficking/es.md")).toEqual([]);
  });

  it("catches broken placeholders, misplaced country versions and safety replies without numbers", () => {
    const noSlot = answer({}, "Llama a la policía.", "a.md");
    const stray = answer({}, "{{numbers}} {{numero}}", "b.md");
    const noNumbers = answer({ numbers: "[gbv]", summary: '"Hola, no es tu culpa."' }, "{{numbers}}", "c.md");
    const countryVersion = answer({ country: "MX" }, "{{numbers}}", "d.md");
    const problems = checkContent([noSlot, stray, noNumbers, countryVersion], [MX], { translator, today });
    expect(errorsOf(problems, "a.md")).toContain("numbers are listed but the body has no {{numbers}}");
    expect(errorsOf(problems, "b.md")).toContain("unknown placeholder {{numero}}");
    expect(errorsOf(problems, "c.md")).toContainEqual(expect.stringMatching(/must show the emergency number/));
    expect(errorsOf(problems, "d.md")).toContainEqual(expect.stringMatching(/has no country versions/));
  });

  it("measures lengths as shown, with the longest country's numbers filled in", () => {
    const long = answer({}, `${"x".repeat(955)}\n{{numbers}}`, "long.md");
    expect(errorsOf(checkContent([long], [], { translator, today }), "long.md")).toEqual([]);
    expect(errorsOf(checkContent([long], [MX], { translator, today }), "long.md")).toContainEqual(expect.stringMatching(/^body has \d+ characters as shown/));
  });

  it("warns about reviews past due (and /health lists them), and wants dates on reviewed answers", () => {
    const due = answer({ status: "reviewed", reviewed_at: "2026-01-10", review_due: "2026-07-10" }, "{{numbers}}", "due.md");
    const undated = answer({ status: "reviewed" }, "{{numbers}}", "undated.md");
    const problems = checkContent([due, undated], [MX], { translator, today });
    expect(problems).toContainEqual({ level: "warning", origin: "due.md", message: "review was due on 2026-07-10" });
    expect(errorsOf(problems, "undated.md")).toContain("status reviewed needs reviewed_at and review_due");
    expect(contentHealth(new ContentLibrary([due], [MX]), today)).toEqual({
      answers: 1,
      reviewed: 1,
      reviewsDue: ["due.md: review was due on 2026-07-10"],
    });
  });
});
