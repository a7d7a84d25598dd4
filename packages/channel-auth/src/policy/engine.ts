/** The rule engine: the first rule whose pattern matches decides (docs/design.md#channel-policy). */
import { isThenable, withDeadline } from './deadline.js';
import { compilePattern, globMatches, type PatternParams } from './pattern.js';
import type { User } from './user.js';

/** `true` allows; a string denies, and says why in one sentence. A promise of either may take its time. */
export type RuleVerdict = true | string;

export interface ChannelRule {
  /** What the decision names as its rule (the pattern, or the claim glob that matched). */
  readonly pattern: string;
  /** `undefined` when the rule does not apply to this channel and user. */
  evaluate(user: User, channel: string): { rule: string; verdict: RuleVerdict | PromiseLike<RuleVerdict> } | undefined;
}

/** How long a rule (or AUTHZ_URL) may take to decide before the request is a 502. */
export const DECISION_TIMEOUT_MS = 2000;

/**
 * `rule` is what decided (a pattern, or the claim glob that matched); `pattern` is the rule's own,
 * fixed name, safe as a metrics label.
 */
export type Decision =
  | { readonly verdict: 'allow'; readonly rule: string; readonly pattern: string }
  | Refusal
  | Failure;

export interface Refusal {
  readonly verdict: 'deny';
  readonly rule: string | null;
  readonly pattern: string | null;
  readonly reason: string;
}

/** Nothing was decided: a rule threw, rejected or took too long, or AUTHZ_URL failed. Never a signature. */
export interface Failure {
  readonly verdict: 'error';
  readonly rule: string | null;
  readonly pattern: string | null;
  /** What went wrong, in words fit for the caller (`did not decide within 2000 ms`). */
  readonly reason: string;
  /** For the log only: the error thrown, or the upstream status. */
  readonly cause?: unknown;
  /** The upstream's HTTP status, when it answered one. */
  readonly status?: number;
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
  authorize: (context: RuleContext<P>) => RuleVerdict | PromiseLike<RuleVerdict>,
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

/** The first matching rule decides; one that answers with a promise has `timeoutMs` to settle it. */
export async function decide(rules: readonly ChannelRule[], user: User, name: string, timeoutMs = DECISION_TIMEOUT_MS): Promise<Decision> {
  for (const { pattern, evaluate } of rules) {
    let outcome: ReturnType<ChannelRule['evaluate']>;
    try {
      outcome = evaluate(user, name);
    } catch (cause) {
      return { verdict: 'error', rule: pattern, pattern, reason: 'failed', cause };
    }
    if (outcome === undefined) continue;
    const { rule, verdict } = outcome;
    if (!isThenable(verdict)) return fromVerdict(rule, pattern, verdict);
    const decided = Promise.resolve(verdict).then(
      (value) => fromVerdict(rule, pattern, value),
      (cause: unknown): Decision => ({ verdict: 'error', rule, pattern, reason: 'failed', cause }),
    );
    return withDeadline(decided, timeoutMs, () => ({ verdict: 'error', rule, pattern, reason: `did not decide within ${timeoutMs} ms` }));
  }
  return { verdict: 'deny', rule: null, pattern: null, reason: NO_RULE_MATCHES };
}

function fromVerdict(rule: string, pattern: string, verdict: unknown): Decision {
  if (verdict === true) return { verdict: 'allow', rule, pattern };
  if (typeof verdict === 'string') return { verdict: 'deny', rule, pattern, reason: verdict };
  return { verdict: 'error', rule, pattern, reason: 'answered neither true nor a reason', cause: verdict };
}
