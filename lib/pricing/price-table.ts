import { readFileSync } from "node:fs";
import { z } from "zod";
import { AppError } from "../errors";
import { describeZodIssues } from "../validation/zod-issues";

/**
 * The versioned price table in `data/prices.json`. Cost on LLM spans comes from here, so a
 * price change is a reviewed commit (and a new `version`), not a constant buried in code.
 */
const priceSchema = z.object({ prompt: z.number().min(0), completion: z.number().min(0) });
const priceTableSchema = z.object({
  version: z.string().min(1),
  currency: z.literal("USD"),
  unit: z.literal("per 1M tokens"),
  note: z.string().optional(),
  models: z.record(z.string().min(1), priceSchema),
});

export type ModelPrice = z.infer<typeof priceSchema>;
export type PriceTableData = z.infer<typeof priceTableSchema>;

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

export interface Cost {
  prompt: number;
  completion: number;
  total: number;
}

export class PriceTable {
  constructor(readonly data: PriceTableData) {}

  get version(): string {
    return this.data.version;
  }

  /**
   * The price of a model: an exact entry, else the longest entry the name starts with
   * (`gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`). Undefined for unknown models:
   * an unknown price is not a zero price.
   */
  priceFor(model: string): ModelPrice | undefined {
    const name = model.toLowerCase();
    const exact = this.data.models[name];
    if (exact) return exact;
    const prefix = Object.keys(this.data.models)
      .filter((key) => name.startsWith(`${key}-`))
      .sort((a, b) => b.length - a.length)[0];
    return prefix ? this.data.models[prefix] : undefined;
  }

  /** Cost in USD of one call, or undefined when the model has no price. */
  costOf(model: string, usage: TokenUsage): Cost | undefined {
    const price = this.priceFor(model);
    if (!price) return undefined;
    const prompt = (usage.promptTokens * price.prompt) / 1e6;
    const completion = (usage.completionTokens * price.completion) / 1e6;
    return { prompt, completion, total: prompt + completion };
  }
}

export function parsePriceTable(json: unknown, source = "price table"): PriceTable {
  const parsed = priceTableSchema.safeParse(json);
  if (!parsed.success) {
    throw new AppError("config_invalid", `${source} is invalid: ${describeZodIssues(parsed.error).join("; ")}`);
  }
  return new PriceTable(parsed.data);
}

export function loadPriceTable(file: string): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new AppError("config_invalid", `Cannot read the price table ${file}: ${(error as Error).message}`, { cause: error });
  }
  return parsePriceTable(json, file);
}
