import { toJsonSchema } from "@langchain/core/utils/json_schema";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { calculatorDescription, calculatorSchema, calculatorTool } from "./calculator";

describe("calculator tool", () => {
  it("is named, described and takes { expression }", () => {
    expect(calculatorTool.name).toBe("calculator");
    expect(calculatorTool.description).toBe(calculatorDescription);
    const schema = toJsonSchema(calculatorSchema) as { properties: Record<string, { type?: string; description?: string }> };
    expect(schema.properties.expression).toMatchObject({ type: "string", description: expect.any(String) });
  });

  it("returns the result as JSON", async () => {
    const output = await calculatorTool.invoke({ expression: "(10724597 - 8515801) / 8515801 * 100" });
    const parsed = JSON.parse(String(output)) as { expression: string; result: string };
    expect(parsed.result).toBe("25.937618786535758644");
    expect(JSON.parse(String(await calculatorTool.invoke({ expression: "0.1 + 0.2" })))).toEqual({
      expression: "0.1 + 0.2",
      result: "0.3",
    });
  });

  it.each([{ expression: "import({})" }, { expression: 42 }, {}, { expression: "1/0" }])(
    "turns %j into tool_input_invalid",
    async (input) => {
      const error: unknown = await calculatorTool.invoke(input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe("tool_input_invalid");
    },
  );
});
