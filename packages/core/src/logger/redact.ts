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

// Query parameters whose value is a credential, compared after decoding (see isSecretName).
const SECRET_PARAMS = new Set([
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'stream_token',
  'api_key',
  'apikey',
  'sig',
  'signature',
  'password',
  'client_secret',
]);

// A parameter after `?`, `&` or `;`: its raw name, and its raw value when it has an `=`. A value runs
// to the next `&`, `#`, whitespace or quote; `;` stays in it, since most query parsers (Fastify's
// among them) keep it there, so a value with `;` in it is redacted whole.
const PARAM = /([?&;])([^?&;#=\s"']*)(?:=([^&#\s"']*))?/g;
const ESCAPE = /%([0-9A-Fa-f]{2})/g;
const MAX_DECODES = 3;

/**
 * True when a raw parameter name means a secret to some reader: its name as written or as decoded
 * (`%74oken`, `t%6Fken`, double-encoded `%2574oken`, `+` as a space) in any case, with surrounding
 * whitespace and a trailing `[]` dropped; a name whose decoding holds an `=` (`token%3Dabc`) counts by
 * what comes before it. Names are ASCII, so a bytewise decoding that never throws is enough.
 */
function isSecretName(raw: string): boolean {
  let name = raw;
  for (let depth = 0; ; depth++) {
    const plain = name.split('=', 1)[0]!.trim().toLowerCase().replace(/\[\]$/, '');
    if (SECRET_PARAMS.has(plain)) return true;
    if (depth === MAX_DECODES || (!name.includes('%') && !name.includes('+'))) return false;
    const decoded = name
      .replace(/\+/g, ' ')
      .replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (decoded === name) return false;
    name = decoded;
  }
}

function redactParam(match: string, separator: string, name: string, value: string | undefined): string {
  if (isSecretName(name))
    return value === undefined ? `${separator}${REDACTED}` : `${separator}${name}=${REDACTED}`;
  // Another parameter's value may hold one: after a `;` for a reader that splits on it, or after a
  // `?` in a URL carried as a value (`?next=/x?token=...`).
  if (value !== undefined && (value.includes(';') || value.includes('?')))
    return `${separator}${name}=${value.replace(PARAM, redactParam)}`;
  return match;
}

/**
 * Replaces the value of every credential parameter in a URL or a text: `token=` and its kin
 * (`access_token=`, `api_key=`, `signature=`, ...), however the name is written (case,
 * percent-encoding of any character, `+`), each time it is repeated, after `?`, `&` or `;`.
 */
export function redactUrl(text: string): string {
  return text.includes('=') || text.includes('%') ? text.replace(PARAM, redactParam) : text;
}
