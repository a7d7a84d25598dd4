/** The startup banner: where it runs, in which mode, and requests to paste. Never a given secret. */
import type { Config, RemoteConfig } from './config.js';

/** The Pusher service's HTTP API, as the publisher reaches it: scheme, host and port. */
function remoteAddress({ cluster, host, port, useTLS }: RemoteConfig['remote']): string {
  const scheme = useTLS ? 'https' : 'http';
  return `${scheme}://${host ?? `api-${cluster}.pusher.com`}:${port ?? (useTLS ? 443 : 80)}`;
}

export function banner(config: Config, url: string): string {
  const lines = [
    '',
    `  pusher-auth-server on ${url}  (${config.mode} mode)`,
    '',
    config.demoLogin ? `  Demo page      ${url}/` : '  Demo page      off: its sign-in needs DEMO_LOGIN=true (and JWT_SECRET)',
    consoleLine(config, url),
    config.mode === 'embedded'
      ? `  Pusher         embedded: ws ${url.replace('http', 'ws')}/app/${config.app.key}, HTTP API ${url}/apps/${config.app.appId}`
      : `  Pusher         remote: ${remoteAddress(config.remote)}`,
    '',
    ...exportLines(config, url),
  ];
  if (config.demoLogin) {
    lines.push(
      '  Get a token for user 1, then ask to join private-user-1:',
      `    TOKEN=$(curl -s -X POST "$BASE/demo/login" -H 'Content-Type: application/json' -d '{"user_id":"1"}' | sed 's/.*"token":"\\([^"]*\\)".*/\\1/')`,
      '    curl -s -X POST "$BASE/pusher/auth" -H "Authorization: Bearer $TOKEN" -d socket_id=1234.5678 -d channel_name=private-user-1',
      '',
    );
  }
  if (config.triggerTokens.length > 0) {
    lines.push(
      '  Publish to private-user-1:',
      `    curl -s -X POST "$BASE/trigger" -H "Authorization: Bearer $TRIGGER_TOKEN" -H 'Content-Type: application/json' \\`,
      `      -d '{"channel":"private-user-1","event":"private-event","data":{"message":"hi"}}'`,
      '',
    );
  } else {
    lines.push('  /trigger is disabled: set TRIGGER_TOKEN to enable it.', '');
  }
  return lines.join('\n');
}

/**
 * The shell variables the README's examples and the lines below use: `BASE`, and the tokens this
 * start generated. A token given in the environment is never printed: the reader exports their own.
 */
function exportLines(config: Config, url: string): string[] {
  const tokens = [
    { name: 'TRIGGER_TOKEN', value: config.triggerTokens[0], generated: config.generated.triggerToken },
    { name: 'CONSOLE_TOKEN', value: config.consoleToken, generated: config.generated.consoleToken },
  ].filter((token) => token.value !== undefined);
  const shown = tokens.filter((token) => token.generated).map(({ name, value }) => ` ${name}=${value}`);
  const given = tokens.filter((token) => !token.generated).map(({ name }) => name);
  return [
    "  For the README's examples and the commands below:",
    `    export BASE=${url}${shown.join('')}`,
    ...(given.length > 0 ? [`    # and export your ${given.join(' and ')}: given values are never printed`] : []),
    '',
  ];
}

/** The token rides in the fragment, which browsers never send: no server or access log sees it. */
function consoleLine(config: Config, url: string): string {
  if (config.consoleToken === undefined) return '  Console        off: set CONSOLE_TOKEN to enable it';
  if (!config.generated.consoleToken) return `  Console        ${url}/console  (asks for your CONSOLE_TOKEN)`;
  return `  Console        ${url}/console#token=${encodeURIComponent(config.consoleToken)}`;
}
