/** A figure against its target, printed with MET or MISSED and the margin. */

export interface Verdict {
  readonly met: boolean;
  readonly text: string;
}

/**
 * `value` against `limit`: `atLeast` for a floor (ratios of throughput), otherwise a ceiling.
 * The margin is in the figure's own unit, e.g. `MISSED by 0.18x`.
 */
export function verdict(label: string, value: number, op: '>=' | '<=', limit: number, unit = 'x', digits = 2): Verdict {
  const show = (n: number) => `${n.toFixed(digits)}${unit}`;
  if (!Number.isFinite(value)) return { met: false, text: `${label}: n/a (target ${op} ${show(limit)}): MISSED (no figure)` };
  const met = op === '>=' ? value >= limit : value <= limit;
  const margin = Math.abs(value - limit);
  return { met, text: `${label}: ${show(value)} (target ${op} ${show(limit)}): ${met ? 'MET' : 'MISSED'} by ${show(margin)}` };
}

/** The verdicts as a Markdown list. */
export function targetLines(verdicts: readonly Verdict[]): string {
  return verdicts.map((v) => `- ${v.text}`).join('\n');
}
