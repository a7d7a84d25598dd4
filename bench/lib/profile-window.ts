/**
 * In a bench child: a CPU profile of a window chosen by the orchestrator (IPC `profile-start`,
 * then `profile-stop` {file}), so startup and module loading stay out of it, unlike
 * `node --cpu-prof`, which covers the whole process. The file is a .cpuprofile that
 * lib/profile.ts summarizes.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { report, type Message } from './child.js';

export interface ProfileStop extends Message {
  readonly type: 'profile-stop';
  readonly file: string;
}

/** Sampling every 250 µs: a storm of a few seconds still gives thousands of samples. */
const SAMPLING_INTERVAL_US = 250;

let session: Session | undefined;

export async function startProfile(): Promise<void> {
  session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: SAMPLING_INTERVAL_US });
  await session.post('Profiler.start');
}

export async function stopProfile(file: string): Promise<void> {
  if (!session) throw new Error('profile-stop without profile-start');
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  session = undefined;
  await writeFile(file, JSON.stringify(profile));
}

/** Answers `profile-start` with `profiling` and `profile-stop` with `profiled`; other messages are left alone. */
export function answerProfileMessage(message: Message): void {
  if (message.type === 'profile-start') void startProfile().then(() => report({ type: 'profiling' }));
  if (message.type === 'profile-stop') void stopProfile((message as ProfileStop).file).then(() => report({ type: 'profiled' }));
}
