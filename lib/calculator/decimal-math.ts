import {
  absDependencies,
  addDependencies,
  bignumberDependencies,
  cbrtDependencies,
  ceilDependencies,
  create,
  divideDependencies,
  floorDependencies,
  maxDependencies,
  minDependencies,
  modDependencies,
  multiplyDependencies,
  parseDependencies,
  powDependencies,
  roundDependencies,
  sqrtDependencies,
  subtractDependencies,
  unaryMinusDependencies,
  type BigNumber,
  type FactoryFunctionMap,
} from "mathjs";

/**
 * The calculator's mathjs instance. As mathjs's security guidance asks, it is built from only
 * the factories needed, and the dangerous functions that `create` adds regardless are
 * overridden to throw. Numbers are 64-digit BigNumbers (decimal.js).
 */

export const PRECISION = 64;
/** Working precision minus a few guard digits: 1/3*3 is 0.999...9 at 64 digits and 1 at 60. */
export const CLEAN_DIGITS = 60;

/** mathjs types its dependency exports as possibly undefined (an index signature); check them once. */
function dependencies(map: Record<string, FactoryFunctionMap | undefined>): FactoryFunctionMap {
  const out: FactoryFunctionMap = {};
  for (const [name, deps] of Object.entries(map)) {
    if (!deps) throw new Error(`mathjs does not export ${name}`);
    out[name] = deps;
  }
  return out;
}

export const math = create(
  dependencies({
    parseDependencies,
    bignumberDependencies,
    addDependencies,
    subtractDependencies,
    multiplyDependencies,
    divideDependencies,
    powDependencies,
    modDependencies,
    unaryMinusDependencies,
    sqrtDependencies,
    cbrtDependencies,
    absDependencies,
    roundDependencies,
    floorDependencies,
    ceilDependencies,
    minDependencies,
    maxDependencies,
  }),
  { number: "BigNumber", precision: PRECISION },
);

/** Taken before `parse` is disabled on the instance: the only way in for `calculate`. */
export const parseExpression = math.parse;

const disabled = (name: string) => () => {
  throw new Error(`Function ${name} is disabled`);
};
math.import(
  {
    import: disabled("import"),
    createUnit: disabled("createUnit"),
    evaluate: disabled("evaluate"),
    parse: disabled("parse"),
    compile: disabled("compile"),
    simplify: disabled("simplify"),
    derivative: disabled("derivative"),
    resolve: disabled("resolve"),
    reviver: disabled("reviver"),
  },
  { override: true },
);

// Decimal methods compute at the instance's precision (64 digits).
/** The named constants an expression may use. */
export const CONSTANTS: Record<"pi" | "e", BigNumber> = {
  pi: math.bignumber(-1).acos(),
  e: math.bignumber(1).exp(),
};
