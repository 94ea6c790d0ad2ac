/**
 * The JavaScript that runs *inside* the sandbox isolate before the agent's code, as the body of
 * a closure (`context.evalClosure`). It is plain ES2022 in a string on purpose: it must not be
 * transpiled, and nothing from the host may leak into it.
 *
 * Arguments from the host:
 *   $0  host log callback `(text: string) => boolean` (a sync `ivm.Callback`; `false` = output full)
 *   $1  max characters of one console chunk handed to the host
 *   $2  max characters of a formatted value (completion value, values in messages)
 *   $3  max characters of an error or assertion message
 *   $4  a random identifier prefix, unguessable by the code, for the temporary capture hook
 *
 * It installs `console` and `assert` as globals, removes a few globals that only widen the attack
 * surface, and returns one dispatcher function `(command, source) => string`. The dispatcher
 * catches everything the agent's code throws *inside* the isolate and always returns a small JSON
 * envelope string (capped with builtins captured before any agent code ran), so no value the code
 * controls (thrown objects, getters, proxies, huge strings) ever crosses into the host.
 *
 * Commands:
 *   "code"   run the agent's code as a global-scope script (indirect eval); capture a tester
 *            closure so tests see its top-level `const`/`let`/`class` bindings.
 *   "test"   evaluate one test inside that closure (direct eval).
 *   "settle" report the state of a promise returned by the last "code"/"test" command (microtasks
 *            have run in between, and the sandbox has no timers or I/O, so pending means never).
 *
 * Envelope: {"status":"ok","value"?:string,"undefined"?:true,"truncated"?:true}
 *         | {"status":"error","name":string,"message":string}
 *         | {"status":"pending"}
 */
export const PRELUDE_SOURCE = String.raw`
"use strict";
const hostLog = $0;
const CHUNK_CHARS = $1;
const VALUE_CHARS = $2;
const MESSAGE_CHARS = $3;
const HOOK = $4;

const G = globalThis;
const uncurry = (fn) => Function.prototype.call.bind(fn);
const strSlice = uncurry(String.prototype.slice);
const arrPush = uncurry(Array.prototype.push);
const arrJoin = uncurry(Array.prototype.join);
const mapForEach = uncurry(Map.prototype.forEach);
const setForEach = uncurry(Set.prototype.forEach);
const dateGetTime = uncurry(Date.prototype.getTime);
const dateToISOString = uncurry(Date.prototype.toISOString);
const regexpTest = uncurry(RegExp.prototype.test);
const regexpToString = uncurry(RegExp.prototype.toString);
const symbolToString = uncurry(Symbol.prototype.toString);
const strIncludes = uncurry(String.prototype.includes);
const hasOwn = uncurry(Object.prototype.hasOwnProperty);
const promiseThen = uncurry(Promise.prototype.then);
const promiseResolve = Promise.resolve.bind(Promise);
const objectKeys = Object.keys;
const objectIs = Object.is;
const getPrototypeOf = Object.getPrototypeOf;
const defineProperty = Object.defineProperty;
const createObject = Object.create;
const isArray = Array.isArray;
const jsonStringify = JSON.stringify;
const StringCtor = String;
const ErrorCtor = Error;
const DateCtor = Date;
const MapCtor = Map;
const SetCtor = Set;
const RegExpCtor = RegExp;
const PromiseCtor = Promise;
const ObjectProto = Object.prototype;
const indirectEval = G.eval;
const hasInstance = (value, Ctor) => { try { return value instanceof Ctor; } catch { return false; } };

// Globals that only widen the attack surface (shared memory, wasm compilation).
for (const name of ["WebAssembly", "SharedArrayBuffer", "Atomics"]) {
  try { delete G[name]; } catch {}
}

function cap(text, max) {
  if (typeof text !== "string") return "";
  return text.length > max ? strSlice(text, 0, max) + "…" : text;
}

function safeName(fn) {
  try {
    const name = fn.name;
    return typeof name === "string" && name !== "" ? cap(name, 100) : "(anonymous)";
  } catch { return "(anonymous)"; }
}

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

// --- console --------------------------------------------------------------------------------
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

// --- assert ---------------------------------------------------------------------------------
class AssertionError extends ErrorCtor {
  constructor(message) { super(message); this.name = "AssertionError"; }
}
function show(value) { return inspect(value, 300); }
function fail(message, fallback) {
  throw new AssertionError(message === undefined ? fallback : cap(StringCtor(message), MESSAGE_CHARS));
}
function same(a, b) { return a === b || (a !== a && b !== b); }

function deepEqual(a, b, depth, stackA, stackB) {
  if (same(a, b)) return true;
  if (depth > 100) return false;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  // Cycles: a pair already being compared further up counts as equal.
  for (let i = 0; i < stackA.length; i++) if (stackA[i] === a && stackB[i] === b) return true;
  arrPush(stackA, a);
  arrPush(stackB, b);
  try {
    return deepEqualObjects(a, b, depth, stackA, stackB);
  } finally {
    stackA.length = stackA.length - 1;
    stackB.length = stackB.length - 1;
  }
}

function deepEqualObjects(a, b, depth, stackA, stackB) {
  if (isArray(a) !== isArray(b)) return false;
  if (getPrototypeOf(a) !== getPrototypeOf(b)) return false;
  if (hasInstance(a, DateCtor)) return dateGetTime(a) === dateGetTime(b);
  if (hasInstance(a, RegExpCtor)) return regexpToString(a) === regexpToString(b);
  if (hasInstance(a, MapCtor)) {
    if (a.size !== b.size) return false;
    let equal = true;
    mapForEach(a, (v, k) => { if (equal && (!b.has(k) || !deepEqual(v, b.get(k), depth + 1, stackA, stackB))) equal = false; });
    return equal;
  }
  if (hasInstance(a, SetCtor)) {
    if (a.size !== b.size) return false;
    let equal = true;
    setForEach(a, (v) => { if (equal && !b.has(v)) equal = false; });
    return equal;
  }
  if (isArray(a)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i], depth + 1, stackA, stackB)) return false;
    return true;
  }
  const ka = objectKeys(a);
  const kb = objectKeys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const k = ka[i];
    if (!hasOwn(b, k)) return false;
    if (!deepEqual(a[k], b[k], depth + 1, stackA, stackB)) return false;
  }
  return true;
}

function assert(condition, message) {
  if (!condition) fail(message, "assert failed: got " + show(condition));
}
assert.ok = assert;
assert.equal = (actual, expected, message) => {
  if (!same(actual, expected)) fail(message, "assert.equal failed: expected " + show(expected) + ", got " + show(actual));
};
assert.strictEqual = assert.equal;
assert.notEqual = (actual, expected, message) => {
  if (same(actual, expected)) fail(message, "assert.notEqual failed: both are " + show(actual));
};
assert.deepEqual = (actual, expected, message) => {
  if (!deepEqual(actual, expected, 0, [], [])) fail(message, "assert.deepEqual failed: expected " + show(expected) + ", got " + show(actual));
};
assert.deepStrictEqual = assert.deepEqual;
assert.throws = (fn, expected, message) => {
  if (typeof fn !== "function") fail(undefined, "assert.throws needs a function, e.g. assert.throws(() => f(-1))");
  let threw = false;
  let error;
  try { fn(); } catch (e) { threw = true; error = e; }
  if (!threw) fail(message, "assert.throws failed: the function did not throw");
  if (expected === undefined) return;
  if (typeof expected === "function") {
    if (!hasInstance(error, expected)) fail(message, "assert.throws failed: expected " + safeName(expected) + ", got " + describeThrown(error).name);
    return;
  }
  const text = describeThrown(error).message;
  if (hasInstance(expected, RegExpCtor)) {
    if (!regexpTest(expected, text)) fail(message, "assert.throws failed: message " + show(text) + " does not match " + regexpToString(expected));
    return;
  }
  if (typeof expected === "string" && !strIncludes(text, expected)) {
    fail(message, "assert.throws failed: message " + show(text) + " does not include " + show(expected));
  }
};
defineProperty(G, "assert", { value: assert, writable: true, configurable: true, enumerable: false });

// --- dispatcher -----------------------------------------------------------------------------
const FALLBACK = '{"status":"error","name":"Error","message":"sandbox result could not be encoded"}';
const ENVELOPE_CHARS = VALUE_CHARS + 2 * MESSAGE_CHARS + 1000;
function envelope(fields) {
  const obj = createObject(null);
  const keys = objectKeys(fields);
  for (let i = 0; i < keys.length; i++) obj[keys[i]] = fields[keys[i]];
  let text;
  try { text = jsonStringify(obj); } catch { return FALLBACK; }
  if (typeof text !== "string" || text.length > ENVELOPE_CHARS) return FALLBACK;
  return text;
}
function errorEnvelope(thrown) {
  const d = describeThrown(thrown);
  return envelope({ status: "error", name: cap(d.name, 100), message: cap(d.message, MESSAGE_CHARS) });
}
function valueEnvelope(value) {
  if (value === undefined) return envelope({ status: "ok", undefined: true });
  let text;
  try { text = typeof value === "string" ? value : inspect(value, VALUE_CHARS); } catch { text = "[Uninspectable value]"; }
  if (text.length > VALUE_CHARS) return envelope({ status: "ok", value: strSlice(text, 0, VALUE_CHARS), truncated: true });
  return envelope({ status: "ok", value: text });
}

let tester = null;
let pending = null;
function isThenable(value) {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return false;
  try { return typeof value.then === "function"; } catch { return false; }
}
function settleLater(value) {
  const slot = { state: "pending", value: undefined };
  pending = slot;
  promiseThen(promiseResolve(value), (v) => { slot.state = "fulfilled"; slot.value = v; }, (e) => { slot.state = "rejected"; slot.value = e; });
  return envelope({ status: "pending" });
}

function dispatch(command, source) {
  try {
    if (command === "code") {
      let captured = null;
      defineProperty(G, HOOK + "capture", {
        value: (fn) => { captured = fn; }, writable: false, configurable: true, enumerable: false,
      });
      let value;
      try {
        value = indirectEval(source + "\n;var " + HOOK + "tester = " + HOOK + "capture(function (" + HOOK + "src) { return eval(" + HOOK + "src); });");
      } finally {
        try { delete G[HOOK + "capture"]; } catch {}
        try { delete G[HOOK + "tester"]; } catch {}
        tester = captured;
      }
      return isThenable(value) ? settleLater(value) : valueEnvelope(value);
    }
    if (command === "test") {
      if (typeof tester !== "function") return envelope({ status: "error", name: "Error", message: "tests could not run: the code did not finish" });
      const value = tester(source);
      if (value === false) return envelope({ status: "error", name: "AssertionError", message: "the test expression evaluated to false" });
      return isThenable(value) ? settleLater(value) : envelope({ status: "ok", undefined: true });
    }
    if (command === "settle") {
      const slot = pending;
      pending = null;
      if (slot === null) return envelope({ status: "error", name: "Error", message: "nothing to settle" });
      if (slot.state === "fulfilled") return valueEnvelope(slot.value);
      if (slot.state === "rejected") return errorEnvelope(slot.value);
      return envelope({ status: "error", name: "Error", message: "the promise never settled (the sandbox has no timers or I/O; only promises that resolve without them complete)" });
    }
    return envelope({ status: "error", name: "Error", message: "unknown command" });
  } catch (thrown) {
    return errorEnvelope(thrown);
  }
}
return dispatch;
`;
