function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_') ? code : undefined;
}

/**
 * The failure reason stored on a job: `CODE: message` for coded errors, so the code survives the
 * trip through Redis (BullMQ stores only a message) and an operator can filter on it.
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return code && !message.startsWith(`${code}:`) ? `${code}: ${message}` : message;
}

/** The `ERR_*` code at the start of a stored failure reason. */
export function failureCode(reason: string | undefined): string | undefined {
  return reason ? /^(ERR_[A-Z0-9_]+):/.exec(reason)?.[1] : undefined;
}
