/** Channel patterns with typed `{param}` placeholders, and the globs of a user's `channels` claim. */

const NAME_CHARACTER = '[A-Za-z0-9_\\-=@,.;]';
const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `'private-user-{userId}'` -> `'userId'`: lets rule callbacks see their params by name. */
export type PatternParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? { readonly [K in Name | keyof PatternParams<Rest>]: string }
  : Record<never, string>;

export interface CompiledPattern {
  readonly source: string;
  match(channel: string): Record<string, string> | undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A placeholder takes one or more channel-name characters up to the end of the name or the
 * next literal part (DESIGN 9.7), so ids such as `a.b@c` or UUIDs work for their owners.
 */
export function compilePattern(source: string): CompiledPattern {
  const names: string[] = [];
  let regex = '^';
  let last = 0;
  for (const placeholder of source.matchAll(PLACEHOLDER)) {
    regex += escapeRegExp(source.slice(last, placeholder.index));
    regex += `(${NAME_CHARACTER}+?)`;
    names.push(placeholder[1] as string);
    last = placeholder.index + placeholder[0].length;
  }
  regex += `${escapeRegExp(source.slice(last))}$`;
  const compiled = new RegExp(regex);
  return {
    source,
    match(channel) {
      const found = compiled.exec(channel);
      if (!found) return undefined;
      return Object.fromEntries(names.map((name, i) => [name, found[i + 1] as string]));
    },
  };
}

/** A glob from a `channels` claim: `*` stands for any run of channel-name characters. */
export function globMatches(glob: string, channel: string): boolean {
  const regex = glob.split('*').map(escapeRegExp).join(`${NAME_CHARACTER}*`);
  return new RegExp(`^${regex}$`).test(channel);
}
