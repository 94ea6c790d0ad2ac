/** Flags whose value is a list: repeated (`--dataset a --dataset b`) or comma-separated (`--bench mmlu,gsm8k`). */

/**
 * `parseFlags` (lib/cli/parse-flags.ts) keeps only the last value of a flag given twice. For
 * the flags a command documents as repeatable (`--dataset manual --dataset routing`), this
 * joins every occurrence into one comma-separated value first, which the command's schema
 * splits again. Anything else, malformed uses of these flags included, is left for
 * `parseFlags` to accept or refuse.
 */
export function joinRepeated(argv: readonly string[], names: readonly string[]): string[] {
  const collected = new Map<string, string[]>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const name = names.find((n) => arg === `--${n}` || arg.startsWith(`--${n}=`));
    const next = argv[i + 1];
    if (name === undefined || (arg === `--${name}` && (next === undefined || next.startsWith("-")))) {
      rest.push(arg);
      continue;
    }
    const value = arg === `--${name}` ? argv[++i]! : arg.slice(`--${name}=`.length);
    collected.set(name, [...(collected.get(name) ?? []), value]);
  }
  return [...rest, ...[...collected].flatMap(([name, values]) => [`--${name}`, values.join(",")])];
}

/** A comma-separated flag value as a list, blanks dropped: "manual, routing" → ["manual", "routing"]. */
export function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
