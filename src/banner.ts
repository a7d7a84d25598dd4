/** The startup banner: where it runs, in which mode, and requests to paste. Never a given secret. */
import type { Config, RemoteConfig } from './config.js';

/** The Pusher service's HTTP API, as the publisher reaches it: scheme, host and port. */
function remoteAddress({ cluster, host, port, useTLS }: RemoteConfig['remote']): string {
  const scheme = useTLS ? 'https' : 'http';
  return `${scheme}://${host ?? `api-${cluster}.pusher.com`}:${port ?? (useTLS ? 443 : 80)}`;
}

export function banner(config: Config, url: string): string {
  const token = config.generated.triggerToken ? config.triggerTokens[0] : '$TRIGGER_TOKEN';
  const lines = [
    '',
    `  pusher-auth-server on ${url}  (${config.mode} mode)`,
    '',
    `  Demo page      ${url}/`,
    consoleLine(config, url),
    config.mode === 'embedded'
      ? `  Pusher         embedded: ws ${url.replace('http', 'ws')}/app/${config.app.key}, HTTP API ${url}/apps/${config.app.appId}`
      : `  Pusher         remote: ${remoteAddress(config.remote)}`,
    '',
  ];
  if (config.demoLogin) {
    lines.push(
      '  Get a token for user 1, then ask to join private-user-1:',
      `    TOKEN=$(curl -s -X POST ${url}/demo/login -H 'Content-Type: application/json' -d '{"user_id":"1"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`,
      `    curl -s -X POST ${url}/pusher/auth -H "Authorization: Bearer $TOKEN" -d socket_id=1234.5678 -d channel_name=private-user-1`,
      '',
    );
  }
  if (config.triggerTokens.length > 0) {
    lines.push(
      '  Publish to private-user-1:',
      // Double quotes: the shell expands $TRIGGER_TOKEN when a given token is not printed.
      `    curl -s -X POST ${url}/trigger -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \\`,
      `      -d '{"channel":"private-user-1","event":"private-event","data":{"message":"hi"}}'`,
      '',
    );
  } else {
    lines.push('  /trigger is disabled: set TRIGGER_TOKEN to enable it.', '');
  }
  return lines.join('\n');
}

/** The token rides in the fragment, which browsers never send: no server or access log sees it. */
function consoleLine(config: Config, url: string): string {
  if (config.consoleToken === undefined) return '  Console        off: set CONSOLE_TOKEN to enable it';
  if (!config.generated.consoleToken) return `  Console        ${url}/console  (asks for your CONSOLE_TOKEN)`;
  return `  Console        ${url}/console#token=${encodeURIComponent(config.consoleToken)}`;
}
