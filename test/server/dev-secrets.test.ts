/** `npm run dev`'s remembered secrets: the same across loadConfig calls, in a file of their own. */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { rememberedRandomBytes } from '../../src/dev/secrets.js';

const dirs: string[] = [];
function secretsFile(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-secrets-'));
  dirs.push(dir);
  return path.join(dir, '.dev-secrets.json');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const generatedOf = (config: Config) => ({
  secret: config.app.secret,
  masterKey: config.encryptionMasterKey?.toString('base64'),
  triggerToken: config.triggerTokens[0],
  jwtSecret: config.identity.jwtSecret,
  consoleToken: config.consoleToken,
});

describe('rememberedRandomBytes', () => {
  it('gives every generated secret back on the next start, still marked generated', () => {
    const file = secretsFile();
    const first = loadConfig({}, rememberedRandomBytes(file));
    const second = loadConfig({}, rememberedRandomBytes(file));
    expect(generatedOf(second)).toEqual(generatedOf(first));
    expect(second.generated).toEqual({ triggerToken: true, consoleToken: true });
    expect(new Set(Object.values(generatedOf(first))).size).toBe(5); // five distinct secrets
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('differs from file to file, as each start of `npm start` does', () => {
    expect(generatedOf(loadConfig({}, rememberedRandomBytes(secretsFile())))).not.toEqual(generatedOf(loadConfig({}, rememberedRandomBytes(secretsFile()))));
  });

  it('renews what does not fit: a file that is not ours, or a value of another size', () => {
    const file = secretsFile();
    writeFileSync(file, 'not json');
    const fromGarbage = loadConfig({}, rememberedRandomBytes(file));
    expect(fromGarbage.app.secret).toMatch(/^[0-9a-f]{40}$/);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { values: string[] };
    const secretAt = stored.values.findIndex((value) => Buffer.from(value, 'base64').toString('hex') === fromGarbage.app.secret);
    stored.values[secretAt] = Buffer.alloc(3).toString('base64');
    writeFileSync(file, JSON.stringify(stored));
    const renewed = loadConfig({}, rememberedRandomBytes(file));
    expect(renewed.app.secret).not.toBe(fromGarbage.app.secret);
    expect(renewed.app.secret).toMatch(/^[0-9a-f]{40}$/);
    expect(renewed.consoleToken).toBe(fromGarbage.consoleToken);
  });

  it('writes nothing when nothing is generated (remote mode)', () => {
    const file = secretsFile();
    loadConfig({ PUSHER_HOST: 'h', PUSHER_APP_ID: 'a', PUSHER_KEY: 'k', PUSHER_SECRET: 's', JWT_SECRET: 'j'.repeat(32) }, rememberedRandomBytes(file));
    expect(() => statSync(file)).toThrow(/ENOENT/);
  });
});
