/** What replaces a redacted value in logs. */
export const REDACTED = '[REDACTED]';

// authorization, proxy-authorization, cookie, set-cookie, signature, x-service-token, x-api-key,
// every x-*-signature (x-internal-signature, x-stripe-signature, ...) and every x-internal-* header.
const SENSITIVE_HEADER =
  /^(?:authorization|proxy-authorization|cookie|set-cookie|signature|x-service-token|x-api-key|stripe-signature|x-.+-signature|x-internal-.+)$/i;

/** True when a header's value must never reach a log line. */
export function isSensitiveHeader(name: string): boolean {
  return SENSITIVE_HEADER.test(name);
}

/** A copy of `headers` with every sensitive value replaced; other values are kept as they are. */
export function redactHeaders(headers: unknown): unknown {
  if (headers === null || typeof headers !== 'object') return headers;
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    out[name] = isSensitiveHeader(name) ? REDACTED : typeof value === 'string' ? redactUrl(value) : value;
  }
  return out;
}

const TOKEN_PARAM =
  /([?&;](?:token|access_token|id_token|refresh_token|stream_token|api_key|apikey|sig|signature)=)[^&#\s"']*/gi;

/** Replaces the value of `token=` (and its kin: `access_token=`, `api_key=`, ...) in a URL or text. */
export function redactUrl(text: string): string {
  return text.includes('=') ? text.replace(TOKEN_PARAM, `$1${REDACTED}`) : text;
}
