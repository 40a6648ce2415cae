// An id that ends up inside a NATS subject must be one token: no separator, no wildcard, nothing a
// subject parser could split on. Anything else is refused, never escaped, so a subject always names
// exactly one user or tenant.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
const SUBJECT_TOKEN = /^[^\s.*>\u0000-\u001f\u007f]{1,128}$/u;

/** True when `id` can be used as one token of a subject. */
export function isSubjectToken(id: unknown): id is string {
  return typeof id === 'string' && SUBJECT_TOKEN.test(id);
}

/** Seed 003's per-user subject: `{prefix}.{tenantId}.{userId}`. */
export function userSubject(prefix: string, tenantId: string, userId: string): string {
  return `${prefix}.${tenantId}.${userId}`;
}

/** The tenant-wide subject every user of the tenant receives: `{prefix}.{tenantId}`. */
export function tenantSubject(prefix: string, tenantId: string): string {
  return `${prefix}.${tenantId}`;
}
