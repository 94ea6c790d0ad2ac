/**
 * Cohen's kappa of two raters' yes/no verdicts on the same items: agreement beyond what their
 * base rates would give by chance (1 perfect, 0 chance, below 0 worse than chance). NaN when
 * there are no items or chance agreement is already total (both always say the same thing).
 */
export function cohensKappa(pairs: readonly (readonly [boolean, boolean])[]): number {
  const n = pairs.length;
  if (n === 0) return Number.NaN;
  const agree = pairs.filter(([a, b]) => a === b).length / n;
  const aYes = pairs.filter(([a]) => a).length / n;
  const bYes = pairs.filter(([, b]) => b).length / n;
  const chance = aYes * bYes + (1 - aYes) * (1 - bYes);
  return chance === 1 ? Number.NaN : (agree - chance) / (1 - chance);
}
