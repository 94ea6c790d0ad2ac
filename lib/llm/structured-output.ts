import { z } from "zod";
import { AppError } from "../errors";
import { isRecord } from "../guards";
import { describeZodIssues } from "../validation/zod-issues";

/**
 * Structured (JSON) output shared by the local and scripted chat models.
 *
 * A zod schema is turned into JSON Schema (`z.toJSONSchema`), then reduced to the subset
 * node-llama-cpp can compile into a GBNF grammar, so the local model can only emit JSON of
 * that shape. Keywords a grammar cannot enforce (number ranges, string patterns) are dropped
 * from the grammar and checked afterwards by zod, which is the final authority.
 */

/** A JSON Schema value as plain data. */
export type JsonSchema = { readonly [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/** What a structured call binds to the model (a call option). */
export interface StructuredOutputRequest {
  /** Grammar-compatible JSON Schema (see `toGrammarJsonSchema`). */
  schema: JsonSchema;
  /** A name for tracing (the `name` passed to `withStructuredOutput`). */
  name: string;
}

/** Anything with zod's `safeParse` (zod 4 schemas). */
export type ZodLikeSchema<T> = z.ZodType<T>;

function isZodSchema(value: unknown): value is z.ZodType {
  return typeof value === "object" && value !== null && "_zod" in value && "safeParse" in value;
}

const GRAMMAR_STRING_FORMATS = new Set(["date-time", "time", "date"]);

/**
 * Reduces a JSON Schema to what node-llama-cpp's `createGrammarForJsonSchema` accepts:
 * type / const / enum / oneOf (anyOf is mapped to oneOf) / object (properties, required,
 * additionalProperties) / array (items, prefixItems, min/maxItems) / string (min/maxLength,
 * date formats) / $ref into $defs. Objects without `additionalProperties` get `false`, so the
 * model cannot invent keys. Throws `AppError("bad_request")` for constructs a grammar
 * cannot express (allOf, not, if/then).
 */
export function toGrammarJsonSchema(input: unknown, where = "$"): JsonSchema {
  if (input === true || (isRecord(input) && Object.keys(input).length === 0)) {
    throw new AppError("bad_request", `Structured output schema at ${where} accepts any value; a grammar needs a concrete type`);
  }
  if (!isRecord(input)) throw new AppError("bad_request", `Structured output schema at ${where} is not an object`);
  for (const keyword of ["allOf", "not", "if", "then", "else", "patternProperties"]) {
    if (keyword in input) {
      throw new AppError("bad_request", `Structured output schema at ${where} uses "${keyword}", which a grammar cannot express`);
    }
  }
  const out: Record<string, JsonValue> = {};
  if (typeof input.description === "string") out.description = input.description;
  if (isRecord(input.$defs)) {
    const defs: Record<string, JsonValue> = {};
    for (const [name, def] of Object.entries(input.$defs)) defs[name] = toGrammarJsonSchema(def, `${where}.$defs.${name}`);
    out.$defs = defs;
  }
  if (typeof input.$ref === "string") {
    if (!input.$ref.startsWith("#/$defs/")) {
      throw new AppError("bad_request", `Structured output schema at ${where}: only "#/$defs/..." references are supported`);
    }
    out.$ref = input.$ref;
    return out;
  }
  if ("const" in input) {
    out.const = input.const as JsonValue;
    return out;
  }
  if (Array.isArray(input.enum)) {
    out.enum = input.enum as JsonValue[];
    return out;
  }
  const alternatives = Array.isArray(input.oneOf) ? input.oneOf : Array.isArray(input.anyOf) ? input.anyOf : undefined;
  if (alternatives) {
    out.oneOf = alternatives.map((alt, i) => toGrammarJsonSchema(alt, `${where}.oneOf[${i}]`));
    return out;
  }
  const type = input.type;
  if (type === undefined) throw new AppError("bad_request", `Structured output schema at ${where} has no type`);
  if (type === "number" || type === "integer") {
    const values = enumerateNumberRange(input, type === "integer");
    if (values) {
      out.enum = values;
      return out;
    }
  }
  out.type = type as JsonValue;
  return { ...out, ...typeKeywords(type, input, where) };
}

/** The keywords of `type` a grammar can enforce, reduced recursively like the schema itself. */
function typeKeywords(type: unknown, input: Record<string, unknown>, where: string): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  const copyNumbers = (keys: readonly string[]) => {
    for (const key of keys) {
      const value = input[key];
      if (typeof value === "number") out[key] = value;
    }
  };
  if (type === "object") {
    const properties: Record<string, JsonValue> = {};
    if (isRecord(input.properties)) {
      for (const [key, value] of Object.entries(input.properties)) {
        properties[key] = toGrammarJsonSchema(value, `${where}.${key}`);
      }
    }
    out.properties = properties;
    if (Array.isArray(input.required)) out.required = input.required.filter((k): k is string => typeof k === "string");
    const additional = input.additionalProperties;
    out.additionalProperties =
      additional === undefined || additional === false
        ? false
        : additional === true
          ? true
          : toGrammarJsonSchema(additional, `${where}.additionalProperties`);
    copyNumbers(["minProperties", "maxProperties"]);
  } else if (type === "array") {
    if (input.items !== undefined) out.items = toGrammarJsonSchema(input.items, `${where}[]`);
    if (Array.isArray(input.prefixItems)) {
      out.prefixItems = input.prefixItems.map((item, i) => toGrammarJsonSchema(item, `${where}[${i}]`));
    }
    copyNumbers(["minItems", "maxItems"]);
  } else if (type === "string") {
    if (typeof input.format === "string" && GRAMMAR_STRING_FORMATS.has(input.format)) out.format = input.format;
    else copyNumbers(["minLength", "maxLength"]);
  }
  return out;
}

const MAX_ENUMERATED_NUMBERS = 201;

/**
 * A grammar cannot express `minimum`/`maximum`, so a bounded number becomes an enum of the
 * values in range: every integer when there are at most 201; for other numbers with a span of
 * at most 100, a grid of about 100 steps, e.g. 0..1 → 0, 0.01, …, 1. A confidence in [0, 1] is then always
 * valid, at two-decimal resolution. Unbounded or widely bounded numbers are left to zod.
 */
function enumerateNumberRange(schema: Record<string, unknown>, integer: boolean): number[] | undefined {
  const lowInclusive = typeof schema.minimum === "number" ? schema.minimum : undefined;
  const lowExclusive = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined;
  const highInclusive = typeof schema.maximum === "number" ? schema.maximum : undefined;
  const highExclusive = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined;
  const low = lowInclusive ?? lowExclusive;
  const high = highInclusive ?? highExclusive;
  if (low === undefined || high === undefined || !Number.isFinite(low) || !Number.isFinite(high) || high < low) return undefined;
  const fits = (v: number) =>
    (lowExclusive === undefined || v > lowExclusive) &&
    (lowInclusive === undefined || v >= lowInclusive) &&
    (highExclusive === undefined || v < highExclusive) &&
    (highInclusive === undefined || v <= highInclusive);
  const span = high - low;
  // Integers: exact when few enough. Other numbers: a grid of about 100 steps, only for small spans.
  if (integer ? span > MAX_ENUMERATED_NUMBERS - 1 : span > 100) return undefined;
  const step = integer ? 1 : span === 0 ? 1 : 10 ** Math.floor(Math.log10(span / 100));
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const values: number[] = [];
  const first = Math.ceil(low / step - 1e-9);
  for (let i = first; i * step <= high + 1e-9; i++) {
    const value = Number((i * step).toFixed(decimals));
    if (fits(value) && (!integer || Number.isInteger(value))) values.push(value);
  }
  return values.length > 0 ? values : undefined;
}

/** A schema resolved for a structured call: what to constrain generation with, and how to check the result. */
export interface ResolvedStructuredSchema<T> {
  request: StructuredOutputRequest;
  /** Parses the model's text as JSON and validates it; throws `AppError("llm_failed")` when it does not fit. */
  parse(text: string): T;
}

/**
 * Accepts a zod 4 schema (converted with `z.toJSONSchema` and validated with `safeParse`) or a
 * plain JSON Schema object (grammar only, no validation beyond JSON parsing).
 */
export function resolveStructuredSchema<T>(schema: ZodLikeSchema<T> | object, name?: string): ResolvedStructuredSchema<T> {
  if (isZodSchema(schema)) {
    const zodSchema = schema as ZodLikeSchema<T>;
    const jsonSchema = z.toJSONSchema(zodSchema, { unrepresentable: "throw", io: "output" });
    const request: StructuredOutputRequest = {
      schema: toGrammarJsonSchema(jsonSchema),
      name: name ?? zodSchema.description ?? "structured_output",
    };
    return {
      request,
      parse(text) {
        const value = parseJsonText(text);
        const result = zodSchema.safeParse(value);
        if (!result.success) {
          const detail = describeZodIssues(result.error).join("; ");
          throw new AppError("llm_failed", `The model's structured output does not match the schema: ${detail}`, {
            cause: result.error,
          });
        }
        return result.data;
      },
    };
  }
  if (!isRecord(schema)) throw new AppError("bad_request", "Structured output needs a zod schema or a JSON Schema object");
  const title = typeof schema.title === "string" ? schema.title : undefined;
  const request: StructuredOutputRequest = { schema: toGrammarJsonSchema(schema), name: name ?? title ?? "structured_output" };
  return { request, parse: (text) => parseJsonText(text) as T };
}

/** `JSON.parse` that fails with an AppError a caller can act on. */
export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = text.length > 200 ? `${text.slice(0, 200)}…` : text;
    throw new AppError("llm_failed", `The model's structured output is not valid JSON: ${JSON.stringify(preview)}`, { cause: error });
  }
}
