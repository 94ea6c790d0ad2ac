import { describe, expect, it } from "vitest";
import { groundingSources } from "./grounding-sources";

describe("groundingSources", () => {
  it("lists the chunks, the successful tool outputs and the message, in that order", () => {
    expect(
      groundingSources({
        message: "What were sales in the West?",
        sources: [{ title: "Returns", text: "45 days." }],
        toolOutputs: [
          { output: '{"rows":[["West",1200]]}' },
          { output: "partial", error: { code: "tool_failed", message: "boom" } },
          { error: { code: "tool_timeout", message: "slow" } },
          { output: "42" },
        ],
      }),
    ).toEqual(["Returns\n45 days.", '{"rows":[["West",1200]]}', "42", "What were sales in the West?"]);
  });

  it("is the message alone when nothing was retrieved or called", () => {
    expect(groundingSources({ message: "hi", sources: [], toolOutputs: [] })).toEqual(["hi"]);
  });
});
