/**
 * The server under test, in its own process: the real startServer() with the environment the
 * orchestrator passes. IPC: sends `ready` {url}; answers `memory` (after a full GC when
 * --expose-gc is on; with a heap snapshot when asked); `stop` closes gracefully and exits 0 (so --cpu-prof writes its profile);
 * `profile-start` and `profile-stop` {file} profile a window (lib/profile-window.ts), answering
 * `profiling` and `profiled`.
 */
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { onMessage, report } from './lib/child.js';
import { memoryAnswer, type MemoryRequest } from './lib/memory.js';
import { answerProfileMessage } from './lib/profile-window.js';

const config = loadConfig(process.env);
const running = await startServer(config);
report({ type: 'ready', url: running.url, appId: config.app.appId, key: config.app.key } as const);

onMessage((message) => {
  if (message.type === 'memory') report(memoryAnswer(message as MemoryRequest, running.embedded?.stats().connections ?? 0));
  answerProfileMessage(message);
  if (message.type === 'stop') {
    void running.close().finally(() => process.exit(0));
  }
});
