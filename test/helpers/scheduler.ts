/**
 * Shared test helper: the one manual clock of the tests, and a Scheduler on it. Time moves only
 * when the test says so (no fake timers); pass `clock.now` wherever code takes a clock.
 *
 *   const scheduler = new ManualScheduler();
 *   ... code under test calls scheduler.schedule(3000, task) ...
 *   await scheduler.scheduled.at(0);   // wait until it has
 *   scheduler.advance(2999);           // nothing runs
 *   scheduler.advance(1);              // the task runs, with now() at its due time
 */
import type { Cancel, Scheduler } from '@pusher-auth-server/embedded';
import { Inbox } from './wait.js';

interface Task {
  readonly dueAt: number;
  readonly seq: number;
  readonly run: () => void;
  cancelled: boolean;
}

export class ManualScheduler implements Scheduler {
  /** Every schedule() call, in order, as it happens. */
  readonly scheduled = new Inbox<{ readonly delayMs: number; readonly dueAt: number }>();
  private nowMs: number;
  private seq = 0;
  private tasks: Task[] = [];

  constructor(startMs = Date.UTC(2030, 0, 1)) {
    this.nowMs = startMs;
  }

  readonly now = (): number => this.nowMs;

  schedule(delayMs: number, run: () => void): Cancel {
    const task: Task = { dueAt: this.nowMs + delayMs, seq: this.seq++, run, cancelled: false };
    this.tasks.push(task);
    this.scheduled.push({ delayMs, dueAt: task.dueAt });
    return () => {
      task.cancelled = true;
    };
  }

  /** Tasks scheduled and neither run nor cancelled. */
  get pendingCount(): number {
    return this.tasks.filter((t) => !t.cancelled).length;
  }

  /** Moves time forward, running due tasks in due-time order (ties: scheduling order). */
  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      this.tasks = this.tasks.filter((t) => !t.cancelled);
      const next = this.tasks.filter((t) => t.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt || a.seq - b.seq)[0];
      if (!next) break;
      this.tasks.splice(this.tasks.indexOf(next), 1);
      this.nowMs = next.dueAt;
      next.run();
    }
    this.nowMs = target;
  }
}
