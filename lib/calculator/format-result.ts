import type { BigNumber } from "mathjs";
import { CLEAN_DIGITS, PRECISION, math } from "./decimal-math";

/** Digits shown for non-integer results (integers are shown in full up to 60 digits). */
const DISPLAY_SIGNIFICANT_DIGITS = 20;
const CLEAN_INTEGER_LIMIT = math.bignumber(10).pow(CLEAN_DIGITS);
const EXACT_INTEGER_LIMIT = math.bignumber(10).pow(PRECISION);

/** Formats without float noise: exact integers in full (up to 64 digits), other values to 20 significant digits. */
export function formatBigNumber(value: BigNumber): string {
  // An exact integer (fewer than 64 significant digits) is shown in full.
  if (value.isInteger() && value.sd() < PRECISION && value.abs().lt(EXACT_INTEGER_LIMIT)) {
    return value.isZero() ? "0" : value.toFixed(0);
  }
  const clean = value.toSignificantDigits(CLEAN_DIGITS);
  if (clean.isZero()) return "0";
  if (clean.isInteger() && clean.abs().lt(CLEAN_INTEGER_LIMIT)) return clean.toFixed(0);
  const shown = clean.toSignificantDigits(DISPLAY_SIGNIFICANT_DIGITS);
  const abs = shown.abs();
  if (abs.gte("1e-12") && abs.lt("1e21")) return shown.toFixed();
  return shown.toExponential().replace(/\.?0+e/, "e");
}
