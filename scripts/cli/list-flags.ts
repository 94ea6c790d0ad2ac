/** Flags whose value is a list: repeated (`--dataset a --dataset b`) or comma-separated (`--bench mmlu,gsm8k`). */

/** A comma-separated flag value as a list, blanks dropped: "manual, routing" → ["manual", "routing"]. */
export function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A repeatable flag (`parseFlags`' `repeatable`) whose occurrences may also be comma-separated lists. */
export function repeatedList(values: readonly string[]): string[] {
  return values.flatMap(splitList);
}
