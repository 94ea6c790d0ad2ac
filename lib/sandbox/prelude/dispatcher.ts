/**
 * Prelude part 5, last (see `../prelude.ts`): the dispatcher the host calls, `(command, source)
 * => envelope string`, for the commands "code", "test" and "settle". It catches everything
 * inside the isolate and always answers with a small JSON envelope (the shape
 * `../dispatcher-envelope.ts` checks); its final `return dispatch;` ends the prelude.
 *
 * Uses: the captured builtins, cap, VALUE_CHARS, MESSAGE_CHARS, HOOK, G (part 1), inspect and
 * describeThrown (part 2).
 */
export const DISPATCHER_SOURCE = String.raw`
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
