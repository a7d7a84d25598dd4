/**
 * The packages as a stranger gets them: `npm pack --workspaces`, the two public tarballs installed
 * into a fresh app (pusher-core is not installed: each carries it), then each README's own example
 * run from there, driven by pusher-js, and the shipped types checked by a strict `nodenext` build.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createPusherServer, type PusherServer } from '@pusher-auth-server/embedded';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeBlockAfter, connectedPusherJs, type PusherJs, type RunningScript, startScript, subscription } from '../helpers/packages.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const APP = { appId: 'packed-app', key: 'packed-key', secret: 'packed-secret' };

let work: string;
let appDir: string;
let tarballs: string[];

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'packed-'));
  const packed = path.join(work, 'tarballs');
  mkdirSync(packed);
  await run('npm', ['pack', '--workspaces', '--pack-destination', packed], { cwd: ROOT });
  tarballs = readdirSync(packed).sort();
  appDir = path.join(work, 'app');
  mkdirSync(appDir);
  writeFileSync(path.join(appDir, 'package.json'), JSON.stringify({ name: 'a-fresh-app', private: true, type: 'module' }));
  const publicTarballs = tarballs.filter((name) => !name.includes('pusher-core')).map((name) => path.join(packed, name));
  const others = ['express@5.3.0', 'pusher@5.3.4', 'pusher-js@8.6.0', '@types/express@5.0.6', '@types/node@20.19.43'];
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...publicTarballs, ...others], { cwd: appDir });
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm pack --workspaces', () => {
  it('writes one tarball per package', () => {
    expect(tarballs).toEqual([
      'pusher-auth-server-channel-auth-0.1.0.tgz',
      'pusher-auth-server-embedded-0.1.0.tgz',
      'pusher-auth-server-pusher-core-0.1.0.tgz',
    ]);
  });
});

describe('@pusher-auth-server/channel-auth, installed from its tarball', () => {
  let pusher: PusherServer;
  let app: RunningScript;
  let wsPort: number;
  const clients: PusherJs[] = [];

  beforeAll(async () => {
    pusher = createPusherServer(APP);
    wsPort = (await pusher.listen(0)).port;
    const example = codeBlockAfter(path.join(ROOT, 'packages/channel-auth/README.md'), '`server.mjs`');
    app = await startScript(appDir, 'server.mjs', example, { PORT: '0', PUSHER_APP_ID: APP.appId, PUSHER_KEY: APP.key, PUSHER_SECRET: APP.secret }, /listening on (\d+)/);
  });

  afterAll(async () => {
    for (const client of clients) client.disconnect();
    await app?.stop();
    await pusher?.close();
  });

  const ada = async () => {
    const endpoint = `http://127.0.0.1:${app.port}/pusher/auth`;
    const client = await connectedPusherJs(APP.key, wsPort, { channelAuthorization: { endpoint, transport: 'ajax', headers: { Authorization: 'Bearer token-of-ada' } } });
    clients.push(client);
    return client;
  };

  it("signs the user's own channel and refuses another's, as the README's example says", async () => {
    const client = await ada();
    expect(await subscription(client, 'private-user-1')).toMatchObject({ ok: true });
    expect(await subscription(client, 'private-user-2')).toMatchObject({ ok: false, error: { type: 'AuthError', status: 403 } });
  });

  it('makes the presence member what user() returned', async () => {
    const client = await ada();
    expect(await subscription(client, 'presence-room-7')).toMatchObject({ ok: true, data: { me: { id: '1', info: { name: 'Ada' } } } });
  });

  it('answers nobody with 401 in the error shape', async () => {
    const res = await fetch(`http://127.0.0.1:${app.port}/pusher/auth`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'socket_id=1.2&channel_name=private-user-1',
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Nobody is identified: send a valid bearer token or session.' } });
  });
});

describe('@pusher-auth-server/embedded, installed from its tarball', () => {
  it("runs the README's own test with node --test", async () => {
    const example = codeBlockAfter(path.join(ROOT, 'packages/embedded/README.md'), '`pusher.test.mjs`');
    writeFileSync(path.join(appDir, 'pusher.test.mjs'), example);
    const { stdout } = await run(process.execPath, ['--test', 'pusher.test.mjs'], { cwd: appDir });
    expect(stdout).toMatch(/# pass 2\n/);
    expect(stdout).toMatch(/# fail 0\n/);
  });
});

describe('the shipped types, for a strict nodenext TypeScript user', () => {
  const tsc = () => run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', appDir], { cwd: appDir }).then(
    () => '',
    (err: { stdout: string }) => err.stdout,
  );
  const program = (roomIdLine: string) =>
    [
      "import express from 'express';",
      "import { channel, createChannelAuth, pusherAuth, type ChannelRule } from '@pusher-auth-server/channel-auth';",
      "import { createPusherServer } from '@pusher-auth-server/embedded';",
      '',
      'export const rules: ChannelRule[] = [',
      "  channel('private-user-{userId}', ({ user, params }) => params.userId === user.id || 'not yours'),",
      "  channel('private-team-{teamId}-{topic}', async ({ params }) => params.teamId.length + params.topic.length > 0 || 'empty'),",
      roomIdLine,
      "  channel('private-user-{userId}', ({ params }) => params.roomId === '1' || 'no'),",
      '];',
      "const credentials = { appId: '1', key: 'k', secret: 's' };",
      'express().use(pusherAuth({ ...credentials, rules, user: (req) => (req.headers.authorization ? { id: req.headers.authorization } : undefined) }));',
      'const auth = createChannelAuth({ ...credentials, rules });',
      "const answer: { status: number } = await auth.authorizeChannel({ user: { id: '1' }, socketId: '1.1', channel: 'private-user-1' });",
      'export const port: number = (await createPusherServer(credentials).listen(0)).port + answer.status;',
    ].join('\n');

  beforeAll(() => {
    const compilerOptions = { strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', noEmit: true, skipLibCheck: false, types: ['node'] };
    writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['rules.ts'] }));
  });

  it('compile, with params typed from the pattern', async () => {
    writeFileSync(path.join(appDir, 'rules.ts'), program('  // @ts-expect-error roomId is not a placeholder of this pattern'));
    expect(await tsc()).toBe('');
  });

  it('refuse a placeholder the pattern does not have', async () => {
    writeFileSync(path.join(appDir, 'rules.ts'), program(''));
    expect(await tsc()).toMatch(/rules\.ts\(9,\d+\): error TS2339: Property 'roomId' does not exist/);
  });
});
