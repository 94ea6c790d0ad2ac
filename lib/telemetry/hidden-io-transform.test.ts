import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { REDACTED_VALUE } from "@arizeai/openinference-core";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import { AppAttributes } from "./attributes";
import { hiddenIoTransform } from "./hidden-io-transform";

const span = (attributes: ReadableSpan["attributes"]) => ({ attributes, events: [] }) as unknown as ReadableSpan;
const inputsHidden = loadConfig({ OPENINFERENCE_HIDE_INPUTS: "true" }).tracing.privacy;
const nothingHidden = loadConfig({}).tracing.privacy;
const rewrite = span({
  "input.value": "x",
  "output.value": "What is the return window for opened items?",
  [AppAttributes.OUTPUT_QUOTES_INPUT]: true,
});

describe("hiddenIoTransform", () => {
  it("hides an output made of the user's words with the inputs", () => {
    expect(hiddenIoTransform(inputsHidden)(rewrite)?.attributes).toMatchObject({ "output.value": REDACTED_VALUE });
  });

  it("leaves other outputs to the outputs switch, and everything alone with no switch on", () => {
    expect(hiddenIoTransform(inputsHidden)(span({ "output.value": "an answer" }))).toBeUndefined();
    expect(hiddenIoTransform(nothingHidden)(rewrite)).toBeUndefined();
  });
});
