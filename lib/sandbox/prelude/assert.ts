/**
 * Prelude part 4 (see `../prelude.ts`): the tiny `assert` the tests use: assert / ok, equal /
 * strictEqual, notEqual, deepEqual / deepStrictEqual (cycle-safe), throws. A failure throws an
 * `AssertionError` whose message the host shows as is.
 *
 * Uses: the captured builtins, cap, safeName, MESSAGE_CHARS (part 1), inspect and
 * describeThrown (part 2).
 */
export const ASSERT_SOURCE = String.raw`
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
`;
