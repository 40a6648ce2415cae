import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CoreError } from '../errors/interlink-error.js';
import {
  CONFIG_OPTIONAL_IN_PRODUCTION,
  CONFIG_ROLE,
  type ConfigRole,
  KNOWN_DEFAULT_SECRETS,
  MIN_SECRET_LENGTH,
} from './config-types.js';

/** One problem with one variable. Never carries the variable's value when it is a secret. */
export interface ConfigIssue {
  variable: string;
  message: string;
}

/** Thrown once at start-up with every bad or missing variable listed. */
export class ConfigError extends CoreError {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    const lines = issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n');
    super(
      'ERR_CONFIG_INVALID',
      `Invalid configuration (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines}`,
    );
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  /** The environment to read; `process.env` by default. */
  env?: Record<string, string | undefined>;
  /** Force production checks on or off; by default `NODE_ENV === 'production'`. */
  production?: boolean;
}

function roleOf(schema: TSchema): ConfigRole | undefined {
  return (schema as Record<string, unknown>)[CONFIG_ROLE] as ConfigRole | undefined;
}

function productionIssue(role: ConfigRole, value: unknown, property: TSchema): string | undefined {
  if (role === 'secret') {
    if (typeof value !== 'string' || value === '') {
      const optional = (property as Record<string, unknown>)[CONFIG_OPTIONAL_IN_PRODUCTION] === true;
      return optional ? undefined : 'is required in production';
    }
    if (KNOWN_DEFAULT_SECRETS.has(value.toLowerCase()))
      return 'is a well-known default value; set a random secret';
    if (value.length < MIN_SECRET_LENGTH)
      return `must be at least ${MIN_SECRET_LENGTH} characters in production`;
    return undefined;
  }
  if (role === 'cors-origins' && typeof value === 'string') {
    const origins = value.split(',').map((o) => o.trim());
    if (origins.includes('*')) return 'must list explicit origins in production, not "*"';
    const plain = origins.find((o) => o.startsWith('http://'));
    if (plain) return `must use https origins in production (got ${plain})`;
    return undefined;
  }
  if (role === 'upstream-url' && typeof value === 'string' && value !== '') {
    if (!value.startsWith('https://'))
      return `must be an https:// URL in production (got ${value.split('?')[0]})`;
  }
  return undefined;
}

/**
 * Reads configuration from environment variables into the shape of a TypeBox object schema:
 * applies defaults, converts strings to numbers and booleans, and collects every problem into one
 * {@link ConfigError}. In production, secrets must be set, long and not a known default; CORS origins
 * must be explicit; upstreams must use https.
 */
export function loadConfig<T extends TObject>(schema: T, options: LoadConfigOptions = {}): Static<T> {
  const env = options.env ?? process.env;
  const production = options.production ?? env.NODE_ENV === 'production';
  const input: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const raw = env[key];
    // An empty variable is an unset one: `FOO=` in a .env file must not bypass a default or a guard.
    if (raw !== undefined && raw !== '') input[key] = raw;
  }
  const withDefaults = Value.Default(schema, Value.Convert(schema, input)) as Record<string, unknown>;
  const issues: ConfigIssue[] = [];
  for (const error of Value.Errors(schema, withDefaults)) {
    const variable = error.path.replace(/^\//, '') || '(root)';
    if (issues.some((i) => i.variable === variable)) continue;
    const property = schema.properties[variable];
    const shown = property && roleOf(property) === 'secret' ? '' : ` (got ${JSON.stringify(error.value)})`;
    const message = error.value === undefined ? 'is required' : `${error.message.toLowerCase()}${shown}`;
    issues.push({ variable, message });
  }
  if (production) {
    for (const [name, property] of Object.entries(schema.properties)) {
      const role = roleOf(property);
      if (!role || issues.some((i) => i.variable === name)) continue;
      const message = productionIssue(role, withDefaults[name], property);
      if (message) issues.push({ variable: name, message });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return withDefaults as Static<T>;
}
