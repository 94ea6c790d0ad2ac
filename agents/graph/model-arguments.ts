import type { ModelArguments, PlanInput } from "../routes/route";
import { toolArgumentsMessages, toolArgumentsPrompt } from "../prompts/tool-arguments";

/**
 * Tool arguments from the model under a JSON-schema grammar, with the route's worked examples
 * (and, when repairing, the failed call and its error). Undefined when the output is unusable:
 * the caller falls back to a rule or a default.
 */
export async function fillArgumentsWithModel<T extends Record<string, unknown>>(
  route: string,
  args: ModelArguments<T>,
  input: Pick<PlanInput, "message" | "chatModel" | "signal" | "usePrompt">,
  note?: string,
): Promise<T | undefined> {
  input.usePrompt(toolArgumentsPrompt(route, args));
  try {
    const raw: unknown = await input.chatModel
      .withStructuredOutput(args.schema, { name: "tool_arguments" })
      .invoke(toolArgumentsMessages(args, input.message, note), { signal: input.signal });
    // The grammar already constrains the output; parsing again gives the route its own type.
    const parsed = args.schema.safeParse(raw);
    if (!parsed.success) return undefined;
    return args.clean ? args.clean(parsed.data) : parsed.data;
  } catch (error) {
    if (input.signal?.aborted) throw error;
    return undefined;
  }
}
