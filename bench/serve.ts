/**
 * The server under test, in its own process: the real startServer() with the environment the
 * orchestrator passes. IPC: sends `ready` {url}; answers `memory` (after a full GC when
 * --expose-gc is on); `stop` closes gracefully and exits 0 (so --cpu-prof writes its profile).
 */
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { onMessage, report } from './lib/child.js';
import { memorySnapshot } from './lib/memory.js';

const config = loadConfig(process.env);
const running = await startServer(config);
report({ type: 'ready', url: running.url, appId: config.app.appId, key: config.app.key } as const);

onMessage((message) => {
  if (message.type === 'memory') {
    report({ type: 'memory', ...memorySnapshot(), connections: running.embedded?.stats().connections ?? 0 });
  }
  if (message.type === 'stop') {
    void running.close().finally(() => process.exit(0));
  }
});
