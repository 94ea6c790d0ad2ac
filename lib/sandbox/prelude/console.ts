/**
 * Prelude part 3 (see `../prelude.ts`): the sandbox's `console` (log, info, debug, warn, error),
 * which formats its arguments and hands each line to the host's log callback; once the host
 * says the output is full, every further write throws.
 *
 * Uses: hostLog, CHUNK_CHARS, cap (part 1), inspect (part 2).
 */
export const CONSOLE_SOURCE = String.raw`
let outputClosed = false;
function write(prefix, args) {
  if (outputClosed) throw new ErrorCtor("Output limit exceeded");
  const parts = [];
  const n = args.length;
  for (let i = 0; i < n && i < 100; i++) {
    const a = args[i];
    let piece;
    try { piece = typeof a === "string" ? cap(a, CHUNK_CHARS) : inspect(a, CHUNK_CHARS); } catch { piece = "[Uninspectable]"; }
    arrPush(parts, piece);
  }
  let line = prefix + arrJoin(parts, " ");
  if (line.length > CHUNK_CHARS) line = strSlice(line, 0, CHUNK_CHARS);
  const accepted = hostLog(line + "\n");
  if (accepted !== true) {
    outputClosed = true;
    throw new ErrorCtor("Output limit exceeded");
  }
}
const consoleObject = createObject(ObjectProto);
consoleObject.log = (...args) => write("", args);
consoleObject.info = (...args) => write("", args);
consoleObject.debug = (...args) => write("", args);
consoleObject.warn = (...args) => write("[warn] ", args);
consoleObject.error = (...args) => write("[error] ", args);
defineProperty(G, "console", { value: consoleObject, writable: true, configurable: true, enumerable: false });
`;
