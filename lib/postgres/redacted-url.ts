/** DATABASE_URL as health output and messages may show it: the password masked, the query (options, keys) left out. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "postgresql://(unparsable DATABASE_URL)";
  }
}
