/** What the storm's auth processes share: their environment, read strictly, and the `pusher` SDK pointed at the embedded server. */
import Pusher from 'pusher';

/** `read(name)` returns the variable or throws naming `script` and the variable. */
export function requiredEnv(script: string): (name: string) => string {
  return (name) => {
    const value = process.env[name];
    if (!value) throw new Error(`${script}: ${name} is required`);
    return value;
  };
}

/** From PUSHER_APP_ID, PUSHER_KEY, PUSHER_SECRET, PUSHER_HOST and PUSHER_PORT (plain HTTP). */
export function embeddedPusher(env: (name: string) => string): Pusher {
  return new Pusher({
    appId: env('PUSHER_APP_ID'),
    key: env('PUSHER_KEY'),
    secret: env('PUSHER_SECRET'),
    host: env('PUSHER_HOST'),
    port: env('PUSHER_PORT'),
    useTLS: false,
  });
}
