import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type LogArgs = Parameters<Logger['info']>;

/**
 * A request's logger that becomes a real pino child only when it writes a line. Fastify gives every
 * request a child logger (`request.log`); pino builds one with its own bound method per level and
 * its serialized bindings, which cost CPU on every request and memory for as long as the request
 * lives (for an SSE stream, the whole connection).
 * Most requests never log at an enabled level, so this asks the parent's level first and builds
 * the child on the first line that will be written, with the same bindings and options: the lines
 * are exactly what `parent.child(bindings, options)` would write.
 */
export class LazyChildLogger {
  readonly #parent: Logger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: Logger | undefined;

  constructor(parent: Logger, bindings: Bindings, options: ChildLoggerOptions = {}) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  /** The pino child, built on first use. */
  get real(): Logger {
    this.#child ??= this.#parent.child(this.#bindings, this.#options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.#options.level ?? this.#parent.level;
  }

  set level(level: string) {
    this.real.level = level;
  }

  isLevelEnabled(level: string): boolean {
    if (this.#child) return this.#child.isLevelEnabled(level);
    const own = this.#options.level;
    if (own === undefined) return this.#parent.isLevelEnabled(level);
    const values = this.#parent.levels.values;
    const wanted = values[level];
    const threshold = own === 'silent' ? Number.POSITIVE_INFINITY : values[own];
    return wanted !== undefined && threshold !== undefined && wanted >= threshold;
  }

  #write(level: Level, args: LogArgs): void {
    if (!this.isLevelEnabled(level)) return;
    const real = this.real;
    (real[level] as (...a: LogArgs) => void).apply(real, args);
  }

  fatal(...args: LogArgs): void {
    this.#write('fatal', args);
  }
  error(...args: LogArgs): void {
    this.#write('error', args);
  }
  warn(...args: LogArgs): void {
    this.#write('warn', args);
  }
  info(...args: LogArgs): void {
    this.#write('info', args);
  }
  debug(...args: LogArgs): void {
    this.#write('debug', args);
  }
  trace(...args: LogArgs): void {
    this.#write('trace', args);
  }
  silent(): void {}

  child(bindings: Bindings, options?: ChildLoggerOptions): Logger {
    return this.real.child(bindings, options);
  }

  bindings(): Bindings {
    return this.#child ? this.#child.bindings() : { ...this.#parent.bindings(), ...this.#bindings };
  }
}

/** Fastify's `childLoggerFactory` with {@link LazyChildLogger}. */
export function lazyChildLoggerFactory(
  logger: Logger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): LazyChildLogger {
  return new LazyChildLogger(logger, bindings, options);
}
