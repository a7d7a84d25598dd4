/**
 * Channel patterns with typed `{param}` placeholders, and the globs of a user's `channels` claim.
 * Neither is a regular expression: both match in time bounded by the name's length (see each
 * function), so no pattern or claim can stall the process by backtracking.
 */

const NAME_CHARACTERS = /^[A-Za-z0-9_\-=@,.;]*$/;
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `'private-user-{userId}'` -> `'userId'`: lets rule callbacks see their params by name. */
export type PatternParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { readonly [K in Name | keyof PatternParams<Rest>]: string }
  : Record<never, string>;

export interface CompiledPattern {
  readonly source: string;
  match(channel: string): Record<string, string> | undefined;
}

/**
 * A placeholder takes one or more channel-name characters up to the end of the name or the
 * next literal part (docs/design.md#placeholders), so ids such as `a.b@c` or UUIDs work for their owners. When a
 * name splits more than one way, each placeholder takes the shortest part that still lets the
 * rest match, first to last (what a lazy `(…+?)` regex would answer).
 *
 * O(k·n·l) for k placeholders, a name of n characters and literal parts of at most l: one pass
 * from the end records where each remaining suffix can match, one pass from the start picks.
 */
export function compilePattern(source: string): CompiledPattern {
  const names: string[] = [];
  const literals: string[] = []; // literals[0] before the first placeholder, literals[i] after placeholder i
  let last = 0;
  for (const placeholder of source.matchAll(PLACEHOLDER)) {
    literals.push(source.slice(last, placeholder.index));
    names.push(placeholder[1] as string);
    last = placeholder.index + placeholder[0].length;
  }
  literals.push(source.slice(last));
  const head = literals[0] as string;
  return {
    source,
    match(channel) {
      if (!NAME_CHARACTERS.test(channel)) return undefined;
      if (names.length === 0) return channel === source ? {} : undefined;
      if (!channel.startsWith(head)) return undefined;
      if (names.length === 1) return onlyPlaceholder(names[0] as string, head.length, literals[1] as string, channel);
      const ends = placeholderEnds(literals, channel);
      const params: Record<string, string> = {};
      let position = head.length;
      for (let i = 0; i < names.length; i++) {
        const end = firstAfter(ends[i] as Uint8Array, position);
        if (end === undefined) return undefined;
        params[names[i] as string] = channel.slice(position, end);
        position = end + (literals[i + 1] as string).length;
      }
      return params;
    },
  };
}

/** One placeholder has one way to split the name: all between the head and the tail. */
function onlyPlaceholder(name: string, start: number, tail: string, channel: string): Record<string, string> | undefined {
  const end = channel.length - tail.length;
  if (end <= start || !channel.endsWith(tail)) return undefined;
  return { [name]: channel.slice(start, end) };
}

/**
 * `ends[i][j]` is 1 when placeholder i may end at j: the literal after it starts there and the
 * rest of the pattern matches from the literal's end.
 */
function placeholderEnds(literals: readonly string[], channel: string): Uint8Array[] {
  const n = channel.length;
  const count = literals.length - 1;
  const ends: Uint8Array[] = new Array<Uint8Array>(count);
  // restFrom[j]: the pattern after the literal just placed matches channel[j..].
  let restFrom = new Uint8Array(n + 2);
  restFrom[n] = 1;
  for (let i = count - 1; i >= 0; i--) {
    const literal = literals[i + 1] as string;
    const endsHere = new Uint8Array(n + 1);
    for (let j = 0; j + literal.length <= n; j++) {
      if (restFrom[j + literal.length] === 1 && channel.startsWith(literal, j)) endsHere[j] = 1;
    }
    ends[i] = endsHere;
    // Placeholder i may start at j when it can end at some e > j.
    const startsHere = new Uint8Array(n + 2);
    let later = 0;
    for (let j = n; j >= 0; j--) {
      startsHere[j] = later;
      if (endsHere[j] === 1) later = 1;
    }
    restFrom = startsHere;
  }
  return ends;
}

function firstAfter(flags: Uint8Array, position: number): number | undefined {
  for (let j = position + 1; j < flags.length; j++) if (flags[j] === 1) return j;
  return undefined;
}

/**
 * A glob from a `channels` claim: `*` stands for any run of channel-name characters. The parts
 * between stars are found left to right, each at its first place after the one before (the
 * leftmost choice never loses for a star that may take anything): O(n·m) at worst for a name of
 * n characters and a glob of m, O(n+m) for ordinary claims. A name with characters outside the
 * channel-name set never matches (no such name is ever authorized).
 */
export function globMatches(glob: string, channel: string): boolean {
  if (!NAME_CHARACTERS.test(channel)) return false;
  const parts = glob.split('*');
  if (parts.length === 1) return glob === channel;
  const first = parts[0] as string;
  const lastPart = parts[parts.length - 1] as string;
  const tailStart = channel.length - lastPart.length;
  if (tailStart < first.length || !channel.startsWith(first) || !channel.endsWith(lastPart)) return false;
  let position = first.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const found = channel.indexOf(part, position);
    if (found === -1 || found + part.length > tailStart) return false;
    position = found + part.length;
  }
  return true;
}
