import { CronExpressionParser } from 'cron-parser';
import type { ScheduleRecord, ScheduleSpec } from './job-backend.js';
import { jsonCopy, type MemoryQueueStore, type MemQueue, type MemSchedule } from './memory-queue-store.js';

export interface MemorySchedulerOptions {
  store: MemoryQueueStore;
  now: () => number;
  isClosed: () => boolean;
}

/** The memory backend's schedules: a timer per schedule that adds one job per tick. */
export interface MemoryScheduler {
  /** Creates the schedule, or replaces the one with its id, and arms its first tick. */
  upsert(queue: string, spec: ScheduleSpec): void;
  remove(queue: string, id: string): boolean;
  list(queue: string): ScheduleRecord[];
  /** Stops the timers of every schedule of `q` (obliterate, close). */
  disarm(q: MemQueue): void;
}

/** When the schedule fires next after `after` (epoch ms). */
function nextTick(spec: ScheduleSpec, after: number): number {
  if (spec.every !== undefined) return (Math.floor(after / spec.every) + 1) * spec.every;
  const expr = CronExpressionParser.parse(spec.cron!, {
    currentDate: new Date(after),
    ...(spec.tz ? { tz: spec.tz } : {}),
  });
  return expr.next().getTime();
}

export function createMemoryScheduler(options: MemorySchedulerOptions): MemoryScheduler {
  const { store, now, isClosed } = options;

  function arm(queue: string, q: MemQueue, schedule: MemSchedule): void {
    clearTimeout(schedule.timer);
    schedule.timer = setTimeout(
      () => {
        if (q.schedules.get(schedule.spec.id) !== schedule || isClosed()) return;
        const tick = schedule.next;
        const { job } = schedule.spec;
        // The tick's time is part of the id, as in BullMQ, so a tick is one job however often it fires.
        const id = `repeat-${schedule.spec.id}-${tick}`;
        if (!q.jobs.has(id)) {
          store.addOne(queue, { name: job.name, data: job.data, options: { ...job.options, id } });
          q.jobs.get(id)!.scheduleId = schedule.spec.id;
        }
        schedule.next = nextTick(schedule.spec, Math.max(tick, now()));
        arm(queue, q, schedule);
      },
      Math.max(0, schedule.next - now()),
    );
  }

  return {
    upsert(queue, spec) {
      const q = store.queueOf(queue);
      const existing = q.schedules.get(spec.id);
      if (existing) clearTimeout(existing.timer);
      const schedule: MemSchedule = { spec: structuredClone(spec), next: nextTick(spec, now()) };
      q.schedules.set(spec.id, schedule);
      arm(queue, q, schedule);
    },
    remove(queue, id) {
      const q = store.queues.get(queue);
      const schedule = q?.schedules.get(id);
      if (!q || !schedule) return false;
      clearTimeout(schedule.timer);
      q.schedules.delete(id);
      return true;
    },
    list(queue) {
      const q = store.queues.get(queue);
      if (!q) return [];
      return [...q.schedules.values()].map(
        ({ spec, next }): ScheduleRecord => ({
          id: spec.id,
          name: spec.job.name,
          data: jsonCopy(spec.job.data),
          next,
          ...(spec.every === undefined ? {} : { every: spec.every }),
          ...(spec.cron === undefined ? {} : { cron: spec.cron }),
          ...(spec.tz === undefined ? {} : { tz: spec.tz }),
        }),
      );
    },
    disarm(q) {
      for (const s of q.schedules.values()) clearTimeout(s.timer);
    },
  };
}
