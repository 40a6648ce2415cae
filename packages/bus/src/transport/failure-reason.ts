/** The reason recorded with a dead letter: the error's code and message, bounded. */
export function failureReason(error: unknown): { reason: string; code?: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code =
    typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : undefined;
  const reason = (code ? `${code}: ${message}` : message).slice(0, 1000);
  return code ? { reason, code } : { reason };
}
