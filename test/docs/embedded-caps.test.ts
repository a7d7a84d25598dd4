/** The embedded server's caps: the defaults loadConfig applies are the ones .env.example and README's configuration table state. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { PROJECT_ROOT } from '../../src/paths.js';

const read = (file: string) => readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
const CAPS = [
  ['EMBEDDED_MAX_CONNECTIONS', 'maxConnections'],
  ['EMBEDDED_MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerIp'],
  ['EMBEDDED_MAX_BUFFERED_BYTES', 'maxBufferedBytes'],
] as const;

function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

function embedded(env: Record<string, string>) {
  const config = loadConfig(env);
  if (config.mode !== 'embedded') throw new Error('expected embedded mode');
  return config.embedded;
}

describe('embedded caps', () => {
  it.each(CAPS)('%s: the default in config, .env.example and README agree; 0 turns it off', (name, field) => {
    const defaults = embedded({})[field];
    expect(read('.env.example')).toContain(`# ${name}=${defaults}\n`);
    expect(read('README.md')).toContain(`| \`${name}\` | \`${defaults}\` |`);
    expect(embedded({ [name]: '0' })[field]).toBe(0);
    expect(embedded({ [name]: '65536' })[field]).toBe(65536);
  });

  it('EMBEDDED_MAX_BUFFERED_BYTES is 1 MiB by default and refuses what is not a whole number, by name', () => {
    expect(embedded({}).maxBufferedBytes).toBe(1_048_576);
    for (const value of ['-1', '1.5', 'lots']) {
      expect(problemsOf({ EMBEDDED_MAX_BUFFERED_BYTES: value }).map((p) => p.split(':')[0])).toEqual(['EMBEDDED_MAX_BUFFERED_BYTES']);
    }
  });
});
