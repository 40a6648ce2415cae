import type { TSchema } from '@sinclair/typebox';
import { type TypeCheck, TypeCompiler } from '@sinclair/typebox/compiler';
import { validateJobOptions } from '../backend/validate-job-input.js';
import { JobsError } from '../errors/jobs-error.js';
import type { JobTypeMetrics } from '../metrics/job-metrics.js';
import { createCircuitBreaker, type JobCircuitBreaker } from './circuit-breaker.js';
import type { JobHandler, JobTypeDefinition, PriorityClass } from './job-definitions.js';
import { jobOptions } from './job-options.js';

/** A job type ready to use: its class, compiled schema, breaker, and (once registered) handler. */
export interface CompiledType {
  name: string;
  definition: JobTypeDefinition;
  cls: PriorityClass;
  className: string;
  check: TypeCheck<TSchema>;
  breaker?: JobCircuitBreaker;
  handler?: JobHandler;
  /** This type's metric series, when the manager has a registry. */
  metrics?: JobTypeMetrics;
}

export interface CompiledTypes {
  types: Map<string, CompiledType>;
  /** The types of each class queue, by name (a worker runs every type of its queue). */
  byQueue: Map<string, Map<string, CompiledType>>;
}

/**
 * Checks the classes and compiles the types. A bad class or a type of an unknown class is a
 * configuration error: refused at start-up, not on the first add.
 */
export function compileJobTypes(
  classes: Record<string, PriorityClass>,
  definitions: Record<string, JobTypeDefinition>,
  now: () => number,
): CompiledTypes {
  const types = new Map<string, CompiledType>();
  const byQueue = new Map<string, Map<string, CompiledType>>();
  for (const [className, cls] of Object.entries(classes)) {
    if (!Number.isInteger(cls.concurrency) || cls.concurrency < 1)
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', `class "${className}": concurrency must be >= 1`);
    try {
      validateJobOptions(jobOptions(cls));
    } catch (error) {
      throw new JobsError('ERR_JOB_OPTIONS_INVALID', `class "${className}": ${(error as Error).message}`);
    }
  }
  for (const [name, definition] of Object.entries(definitions)) {
    const cls = classes[definition.class];
    if (!cls)
      throw new JobsError(
        'ERR_JOB_TYPE_UNKNOWN',
        `job type "${name}" names unknown class "${definition.class}"`,
      );
    const compiled: CompiledType = {
      name,
      definition,
      cls,
      className: definition.class,
      check: TypeCompiler.Compile(definition.schema),
      ...(definition.breaker ? { breaker: createCircuitBreaker(definition.breaker, now) } : {}),
    };
    types.set(name, compiled);
    const queueTypes = byQueue.get(cls.queue) ?? new Map<string, CompiledType>();
    byQueue.set(cls.queue, queueTypes);
    queueTypes.set(name, compiled);
  }
  return { types, byQueue };
}
