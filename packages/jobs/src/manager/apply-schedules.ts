import type { JobBackend } from '../backend/job-backend.js';
import type { CompiledType } from './compile-job-types.js';
import type { PriorityClass, ScheduleDefinition } from './job-definitions.js';
import { jobOptions } from './job-options.js';

export interface ApplySchedulesOptions {
  backend: JobBackend;
  classes: Record<string, PriorityClass>;
  /** The compiled type of a name; throws `ERR_JOB_TYPE_UNKNOWN`. */
  typeOf: (name: string) => CompiledType;
  /** Throws `ERR_JOB_PAYLOAD_INVALID` when the payload does not match the type's schema. */
  checkPayload: (type: CompiledType, payload: unknown) => void;
  /** Remove the class queues' schedules not in `schedules`. */
  prune?: boolean | undefined;
}

/** Creates or updates in place each schedule on its type's class queue, then prunes when asked. */
export async function applySchedules(
  schedules: readonly ScheduleDefinition[],
  options: ApplySchedulesOptions,
): Promise<void> {
  const { backend } = options;
  const wanted = new Map<string, Set<string>>();
  for (const schedule of schedules) {
    const type = options.typeOf(schedule.type);
    const payload = schedule.payload ?? {};
    options.checkPayload(type, payload);
    await backend.upsertSchedule(type.cls.queue, {
      id: schedule.id,
      ...(schedule.every === undefined ? {} : { every: schedule.every }),
      ...(schedule.cron === undefined ? {} : { cron: schedule.cron }),
      ...(schedule.tz === undefined ? {} : { tz: schedule.tz }),
      job: { name: type.name, data: { payload, meta: {} }, options: jobOptions(type.cls) },
    });
    const ids = wanted.get(type.cls.queue) ?? new Set<string>();
    wanted.set(type.cls.queue, ids);
    ids.add(schedule.id);
  }
  if (!options.prune) return;
  for (const queue of new Set(Object.values(options.classes).map((c) => c.queue))) {
    for (const existing of await backend.listSchedules(queue)) {
      if (!wanted.get(queue)?.has(existing.id)) await backend.removeSchedule(queue, existing.id);
    }
  }
}
