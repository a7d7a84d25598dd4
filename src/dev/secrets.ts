/**
 * `npm run dev` only: the secrets embedded mode generates at start, kept across reloads in an
 * ignored local file, so a reload does not end the demo page's sign-in or the console's token.
 * Never used by `npm start` or the tests: there each start generates its own.
 */
import { randomBytes as nodeRandomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

export const DEV_SECRETS_FILE = '.dev-secrets.json';

type RandomBytes = (size: number) => Buffer;

interface Stored {
  /** Base64, in the order loadConfig asked for them. */
  readonly values: string[];
}

function read(file: string): string[] {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Stored>;
    return Array.isArray(parsed.values) ? parsed.values.filter((value) => typeof value === 'string') : [];
  } catch {
    return []; // no file yet, or not ours to read: start afresh
  }
}

/**
 * A `randomBytes` for loadConfig that answers its n-th call with the n-th value remembered in
 * `file`, when that value has the size asked for, and remembers a fresh one otherwise. loadConfig
 * asks in a fixed order, so each secret gets its own value back; a changed .env that shifts the
 * order renews what no longer fits.
 */
export function rememberedRandomBytes(file: string, fresh: RandomBytes = nodeRandomBytes): RandomBytes {
  let values: string[] | undefined;
  let calls = 0;
  return (size) => {
    values ??= read(file);
    const index = calls++;
    const remembered = values[index] === undefined ? undefined : Buffer.from(values[index], 'base64');
    if (remembered?.length === size) return remembered;
    const value = fresh(size);
    values[index] = value.toString('base64');
    writeFileSync(file, `${JSON.stringify({ values } satisfies Stored, null, 2)}\n`, { mode: 0o600 });
    return value;
  };
}
