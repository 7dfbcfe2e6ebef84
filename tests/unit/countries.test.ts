import { describe, expect, it } from "vitest";
import { countryAt, extractCountry, isCountryStatement } from "../../src/core/countries.js";

describe("country extraction", () => {
  it.each([
    ["estoy en mexico", "MX"],
    ["je suis au Mexique", "MX"],
    ["mwen nan Meksik", "MX"],
    ["soy mexicano", "MX"],
    ["como pido asilo en panamá", "PA"],
    ["estou no Panamá com meus filhos", "PA"],
    ["mwen rive Kosta Rika", "CR"],
    ["I'm in the US now", "US"],
    ["kijan pou m ale Ozetazini", "US"],
    ["estamos en Necoclí esperando", "CO"],
    ["albergue en tapachula", "MX"],
    ["je suis haïtien", "HT"],
    ["somos venezolanos", "VE"],
    ["ecuatoriana en guatemala", "GT"],
  ])("%s → %s", (text, code) => {
    expect(extractCountry(text)).toBe(code);
  });

  it("prefers where the person is over where they come from", () => {
    expect(extractCountry("soy de venezuela y estoy en costa rica")).toBe("CR");
    expect(extractCountry("mwen soti Ayiti, kounya mwen nan Chili ak Meksik")).toBe("MX");
  });

  it("finds nothing when no country is named", () => {
    expect(extractCountry("necesito un albergue para esta noche")).toBeNull();
    expect(extractCountry("can you help us")).toBeNull();
  });
});

describe("a bare statement of place", () => {
  it.each(["costa rica", "estoy en costa rica", "mwen nan Meksik", "I'm in the US now", "to no panama"])("%s is a country statement", (text) => {
    expect(isCountryStatement(text)).toBe(true);
  });
  it.each(["necesito un albergue en costa rica para mi familia esta noche", "help us please", "hola"])("%s is not", (text) => {
    expect(isCountryStatement(text)).toBe(false);
  });
});

describe("the country of a shared location", () => {
  it.each([
    [8.42, -76.78, "CO"], // Necoclí
    [14.9, -92.26, "MX"], // Tapachula
    [9.93, -84.08, "CR"], // San José
    [18.54, -72.34, "HT"], // Port-au-Prince
  ] as const)("%s, %s → %s", (lat, lon, code) => expect(countryAt(lat, lon)).toBe(code));

  it("gives no country where the rough borders overlap, or in the sea, or for nonsense", () => {
    expect(countryAt(29.76, -95.37)).toBeNull(); // Houston: inside the US and Mexico boxes
    expect(countryAt(0, 0)).toBeNull();
    expect(countryAt(Number.NaN, 12)).toBeNull();
  });
});
