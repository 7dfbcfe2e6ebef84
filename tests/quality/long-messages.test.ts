import { describe, expect, it } from "vitest";
import { realAssistant } from "../support/assistant.js";

/** A question wrapped in a greeting and a story is still the question. */
describe("long messages", () => {
  it.each([
    ["hola buenas noches, disculpe la molestia. estamos en capurgana con mis dos hijos chiquitos. queria saber que peligros hay en la selva del darien", "risk.darien"],
    ["good morning!! thank you for this service. me and my wife arrived in tapachula last week. how do we ask for asylum here, is there a deadline", "protection.asylum_apply"],
    ["bonjou. mwen rive Kosta Rika depi yè ak pitit mwen. nou pa gen kote pou nou dòmi aswè a, ki kote ki gen yon abri", "help.shelter"],
  ])("%s → %s", async (text, intent) => {
    const assistant = await realAssistant();
    const reading = await assistant.interpreter.interpret(text);
    expect(reading.intent).toBe(intent);
    expect(reading.handoff).toBe(false);
  });
});
