/**
 * Prelude part 1 (see `../prelude.ts`): the host's arguments under names, and the builtins the
 * prelude uses, captured (uncurried) before any agent code runs, so that code overwriting
 * `Array.prototype.join` or `JSON.stringify` cannot change how the prelude behaves. Also removes
 * the globals that only widen the attack surface, and defines `cap` and `safeName`.
 *
 * Defines: hostLog, CHUNK_CHARS, VALUE_CHARS, MESSAGE_CHARS, HOOK, G, the captured builtins,
 * hasInstance, cap, safeName.
 */
export const INTRINSICS_SOURCE = String.raw`
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
`;
