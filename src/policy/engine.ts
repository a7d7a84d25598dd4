/** The rule engine behind src/channels.ts: the first rule whose pattern matches decides. */
import { compilePattern, globMatches, type PatternParams } from './pattern.js';
import type { User } from './user.js';

/** `true` allows; a string denies, and says why in one sentence. */
export type RuleVerdict = true | string;

export interface ChannelRule {
  /** What the decision names as its rule (the pattern, or the claim glob that matched). */
  readonly pattern: string;
  /** `undefined` when the rule does not apply to this channel and user. */
  evaluate(user: User, channel: string): { rule: string; verdict: RuleVerdict } | undefined;
}

/**
 * `rule` is what decided (a pattern, or the claim glob that matched); `pattern` is the rule's own,
 * fixed name, safe as a metrics label.
 */
export type Decision =
  | { readonly verdict: 'allow'; readonly rule: string; readonly pattern: string }
  | Refusal;

export interface Refusal {
  readonly verdict: 'deny';
  readonly rule: string | null;
  readonly pattern: string | null;
  readonly reason: string;
}

export const NO_RULE_MATCHES = 'no rule matches';

export interface RuleContext<P extends string> {
  readonly user: User;
  readonly params: PatternParams<P>;
  readonly channel: string;
}

/** A rule for channels named like `pattern`, e.g. `channel('private-user-{userId}', ...)`. */
export function channel<P extends string>(
  pattern: P,
  authorize: (context: RuleContext<P>) => RuleVerdict,
): ChannelRule {
  const compiled = compilePattern(pattern);
  return {
    pattern,
    evaluate(user, name) {
      const params = compiled.match(name);
      if (!params) return undefined;
      return { rule: pattern, verdict: authorize({ user, params: params as PatternParams<P>, channel: name }) };
    },
  };
}

/** Any channel matching a glob of the user's verified `channels` claim. */
export function claimedChannels(): ChannelRule {
  return {
    pattern: 'channels claim',
    evaluate(user, name) {
      const glob = user.channels.find((candidate) => globMatches(candidate, name));
      return glob === undefined ? undefined : { rule: glob, verdict: true };
    },
  };
}

export function decide(rules: readonly ChannelRule[], user: User, name: string): Decision {
  for (const rule of rules) {
    const outcome = rule.evaluate(user, name);
    if (outcome === undefined) continue;
    return outcome.verdict === true
      ? { verdict: 'allow', rule: outcome.rule, pattern: rule.pattern }
      : { verdict: 'deny', rule: outcome.rule, pattern: rule.pattern, reason: outcome.verdict };
  }
  return { verdict: 'deny', rule: null, pattern: null, reason: NO_RULE_MATCHES };
}
