/**
 * The configuration variables agree in the three places that name them: what the config schema
 * reads (src/config.ts), `.env.example`, and the README's configuration table. Every variable is
 * in all three, and nothing is in one only.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const VARIABLE = /^[A-Z][A-Z0-9_]*$/;

/**
 * Every variable loadConfig looks up, recorded by an environment that answers only what is given,
 * in embedded mode and in remote mode (where missing credentials make it refuse, after reading).
 */
function variablesTheConfigReads(): Set<string> {
  const read = new Set<string>();
  const record = (name: string | symbol) => {
    if (typeof name === 'string' && VARIABLE.test(name)) read.add(name);
  };
  for (const given of [{}, { PUSHER_HOST: 'pusher.internal' }] as Array<Record<string, string>>) {
    const env = new Proxy<Record<string, string | undefined>>(given, {
      get: (target, name) => (record(name), typeof name === 'string' ? target[name] : undefined),
      has: (target, name) => (record(name), name in target),
    });
    try {
      loadConfig(env);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
    }
  }
  return read;
}

/** `NAME=` lines of .env.example, commented out or not. */
function variablesOfEnvExample(text: string): Set<string> {
  return new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] ?? ''));
}

/** Every backticked name in the first column of the README's configuration table. */
function variablesOfReadmeTable(readme: string): Set<string> {
  const start = readme.indexOf('\n## Configuration\n');
  expect(start, 'README has a "## Configuration" section').toBeGreaterThanOrEqual(0);
  const section = readme.slice(start + 1).split('\n## ')[0] ?? '';
  const firstCells = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1] ?? '');
  return new Set(firstCells.flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1] ?? '')));
}

const missing = (from: Set<string>, inWhat: Set<string>) => [...inWhat].filter((name) => !from.has(name)).sort();

/** Each way the three places can disagree, with the variables concerned. */
function disagreements(config: Set<string>, envExample: Set<string>, readme: Set<string>) {
  return {
    'read by src/config.ts, missing from .env.example': missing(envExample, config),
    'read by src/config.ts, missing from the README table': missing(readme, config),
    'in .env.example, not read by src/config.ts': missing(config, envExample),
    'in the README table, not read by src/config.ts': missing(config, readme),
  };
}

const AGREE = {
  'read by src/config.ts, missing from .env.example': [],
  'read by src/config.ts, missing from the README table': [],
  'in .env.example, not read by src/config.ts': [],
  'in the README table, not read by src/config.ts': [],
};

describe('configuration variables', () => {
  const config = variablesTheConfigReads();
  const envExampleText = read('.env.example');
  const readmeText = read('README.md');
  const envExample = variablesOfEnvExample(envExampleText);
  const readme = variablesOfReadmeTable(readmeText);

  it('finds variables in each place', () => {
    for (const names of [config, envExample, readme]) expect(names.size).toBeGreaterThan(10);
    expect(config).toContain('TRIGGER_TOKEN');
  });

  it('are the same in src/config.ts, .env.example and the README table', () => {
    expect(disagreements(config, envExample, readme)).toEqual(AGREE);
  });

  it('would name a variable any one place lacks or adds', () => {
    const without = (names: Set<string>, name: string) => new Set([...names].filter((n) => n !== name));
    const withExtra = (names: Set<string>) => new Set([...names, 'NEW_VARIABLE']);
    // The places as a new variable leaves them when one is forgotten, read from edited text.
    const envLacking = variablesOfEnvExample(envExampleText.replace(/^# AUTHZ_TOKEN=.*$/m, ''));
    const readmeLacking = variablesOfReadmeTable(readmeText.replace('`AUTHZ_TOKEN`, ', ''));
    expect(disagreements(config, envLacking, readme)).toEqual({ ...AGREE, 'read by src/config.ts, missing from .env.example': ['AUTHZ_TOKEN'] });
    expect(disagreements(config, envExample, readmeLacking)).toEqual({ ...AGREE, 'read by src/config.ts, missing from the README table': ['AUTHZ_TOKEN'] });
    expect(disagreements(without(config, 'AUTHZ_TOKEN'), envExample, readme)).toEqual({
      ...AGREE,
      'in .env.example, not read by src/config.ts': ['AUTHZ_TOKEN'],
      'in the README table, not read by src/config.ts': ['AUTHZ_TOKEN'],
    });
    expect(disagreements(withExtra(config), envExample, readme)).toEqual({
      ...AGREE,
      'read by src/config.ts, missing from .env.example': ['NEW_VARIABLE'],
      'read by src/config.ts, missing from the README table': ['NEW_VARIABLE'],
    });
  });
});
