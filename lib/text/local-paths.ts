import path from "node:path";

// An absolute POSIX or Windows path not inside a URL (`http://host/a/b` is left alone).
const ABSOLUTE_PATH = /(?<![\w:/.\\-])(?:\/|[A-Za-z]:\\)(?:[^\s'"`<>|,;()[\]{}]+)/g;

/**
 * `text` with absolute file paths made safe to show a client: a path inside `root` (the app's
 * folder) becomes relative to it, which is what a user needs to act on ("models/x.gguf"); any
 * other becomes its last part, so the machine's layout (home folders, temp dirs) stays private.
 */
export function withoutLocalPaths(text: string, root: string = process.cwd()): string {
  const prefix = root.endsWith(path.sep) ? root : root + path.sep;
  return text.replace(ABSOLUTE_PATH, (found) => {
    if (found.startsWith(prefix)) return found.slice(prefix.length);
    const last = found.split(/[\\/]/).filter(Boolean).at(-1);
    return last ? `…/${last}` : found;
  });
}
