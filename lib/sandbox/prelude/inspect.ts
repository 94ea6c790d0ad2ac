/**
 * Prelude part 2 (see `../prelude.ts`): turning values the code controls into bounded strings
 * inside the isolate: `inspect` (a REPL-like formatter), `formatError` and `describeThrown`
 * (the name and message of whatever was thrown).
 *
 * Uses: the captured builtins and `cap`, `safeName`, `MESSAGE_CHARS` (part 1).
 * Defines: inspect, format, formatInner, formatError, describeThrown.
 */
export const INSPECT_SOURCE = String.raw`
// A bounded, REPL-like formatter. Runs only inside the isolate (getters and proxies the code
// defines run here, under the CPU time limit), and stops growing once the budget is spent.
function inspect(value, max) {
  const state = { left: max };
  const seen = [];
  const out = format(value, 0, state, seen, false);
  return out.length > max ? strSlice(out, 0, max) + "…" : out;
}

function format(value, depth, state, seen, quoteStrings) {
  if (state.left <= 0) return "…";
  const s = formatInner(value, depth, state, seen, quoteStrings);
  state.left -= s.length;
  return s;
}

function formatInner(value, depth, state, seen, quoteStrings) {
  const t = typeof value;
  if (t === "string") return quoteStrings ? jsonStringify(cap(value, state.left)) : cap(value, state.left);
  if (t === "number") return objectIs(value, -0) ? "-0" : StringCtor(value);
  if (t === "bigint") return StringCtor(value) + "n";
  if (t === "boolean") return value ? "true" : "false";
  if (t === "undefined") return "undefined";
  if (t === "symbol") return symbolToString(value);
  if (t === "function") return "[Function " + safeName(value) + "]";
  if (value === null) return "null";
  for (let i = 0; i < seen.length; i++) if (seen[i] === value) return "[Circular]";
  if (hasInstance(value, ErrorCtor)) return formatError(value);
  if (hasInstance(value, DateCtor)) {
    try { return dateToISOString(value); } catch { return "Invalid Date"; }
  }
  if (hasInstance(value, RegExpCtor)) {
    try { return regexpToString(value); } catch { return "[RegExp]"; }
  }
  if (hasInstance(value, PromiseCtor)) return "Promise { … }";
  if (depth >= 4) return isArray(value) ? "[Array]" : "[Object]";
  arrPush(seen, value);
  try {
    const parts = [];
    if (isArray(value)) {
      const n = value.length;
      for (let i = 0; i < n; i++) {
        if (i >= 100 || state.left <= 0) { arrPush(parts, "… " + (n - i) + " more"); break; }
        arrPush(parts, format(value[i], depth + 1, state, seen, true));
      }
      return "[" + arrJoin(parts, ", ") + "]";
    }
    if (hasInstance(value, MapCtor)) {
      let i = 0;
      mapForEach(value, (v, k) => {
        if (i++ >= 100 || state.left <= 0) return;
        arrPush(parts, format(k, depth + 1, state, seen, true) + " => " + format(v, depth + 1, state, seen, true));
      });
      return "Map(" + value.size + ") {" + arrJoin(parts, ", ") + "}";
    }
    if (hasInstance(value, SetCtor)) {
      let i = 0;
      setForEach(value, (v) => {
        if (i++ >= 100 || state.left <= 0) return;
        arrPush(parts, format(v, depth + 1, state, seen, true));
      });
      return "Set(" + value.size + ") {" + arrJoin(parts, ", ") + "}";
    }
    const keys = objectKeys(value);
    for (let i = 0; i < keys.length; i++) {
      if (i >= 50 || state.left <= 0) { arrPush(parts, "… " + (keys.length - i) + " more"); break; }
      const key = keys[i];
      arrPush(parts, cap(key, 200) + ": " + format(value[key], depth + 1, state, seen, true));
    }
    return parts.length === 0 ? "{}" : "{ " + arrJoin(parts, ", ") + " }";
  } finally {
    seen.length = seen.length - 1;
  }
}

function formatError(error) {
  let name = "Error";
  let message = "";
  try { const n = error.name; if (typeof n === "string" && n !== "") name = n; } catch {}
  try { const m = error.message; message = typeof m === "string" ? m : inspect(m, MESSAGE_CHARS); } catch {}
  return cap(message === "" ? name : name + ": " + message, MESSAGE_CHARS);
}

function describeThrown(thrown) {
  try {
    if (thrown !== null && typeof thrown === "object" && hasInstance(thrown, ErrorCtor)) {
      let name = "Error";
      let message = "";
      try { const n = thrown.name; if (typeof n === "string" && n !== "") name = cap(n, 100); } catch {}
      try { const m = thrown.message; message = typeof m === "string" ? cap(m, MESSAGE_CHARS) : inspect(m, MESSAGE_CHARS); } catch {}
      return { name, message };
    }
    return { name: "Error", message: "non-Error value thrown: " + inspect(thrown, MESSAGE_CHARS) };
  } catch {
    return { name: "Error", message: "Uncaught exception (could not be formatted)" };
  }
}
`;
