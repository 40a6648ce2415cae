import { type SchemaOptions, type TString, Type } from '@sinclair/typebox';

/**
 * The security role of a configuration variable, read by the production guard. Stored on the
 * schema under this key, so a config schema stays a plain TypeBox object.
 */
export const CONFIG_ROLE = 'x-interlink-role';

export type ConfigRole = 'secret' | 'cors-origins' | 'upstream-url';

/** Secrets must be at least this long in production (256 bits of a random hex or base64 string). */
export const MIN_SECRET_LENGTH = 32;

/**
 * Values that appear in the seeds, in tutorials and in `.env.example` files: a deployment that still
 * carries one of them runs with a secret the whole internet knows.
 */
export const KNOWN_DEFAULT_SECRETS: ReadonlySet<string> = new Set([
  'secret',
  'changeme',
  'change-me',
  'changeit',
  'password',
  'your-secret-key',
  'your-256-bit-secret',
  'dev-secret',
  'development-secret',
  'test-secret',
  'default-secret',
  'supersecret',
  'super-secret',
  'jwt-secret',
  'default-secret-change-in-production',
  'your-secret-key-change-in-production',
  'development-secret-change-in-production',
  'temp-signature',
  'dev-secret-change-in-production',
]);

/** Stored on a secret's schema when production does not require it (see {@link Secret}). */
export const CONFIG_OPTIONAL_IN_PRODUCTION = 'x-interlink-optional-in-production';

/**
 * A secret (signing key, shared HMAC secret, API token): required and strong in production. A
 * secret needed only in some set-ups (`optionalInProduction: true`, for example a token that
 * another variable makes unnecessary) is checked for strength when set and left to the service's
 * own rule when not, so that rule can say when it is needed.
 */
export function Secret(options: SchemaOptions & { optionalInProduction?: boolean } = {}): TString {
  const { optionalInProduction, ...rest } = options;
  return Type.String({
    ...rest,
    [CONFIG_ROLE]: 'secret',
    ...(optionalInProduction ? { [CONFIG_OPTIONAL_IN_PRODUCTION]: true } : {}),
  });
}

/** A comma-separated list of allowed CORS origins; `*` is refused in production. */
export function CorsOrigins(options: SchemaOptions = {}): TString {
  return Type.String({ ...options, [CONFIG_ROLE]: 'cors-origins' });
}

/** The URL of an HTTP upstream; plain `http:` is refused in production. */
export function UpstreamUrl(options: SchemaOptions = {}): TString {
  return Type.String({ ...options, [CONFIG_ROLE]: 'upstream-url' });
}
