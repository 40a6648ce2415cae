/** The smallest logger the manager needs; a pino logger fits. */
export interface JobsLogger {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
