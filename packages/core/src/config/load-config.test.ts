import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { CorsOrigins, Secret, UpstreamUrl } from './config-types.js';
import { ConfigError, loadConfig } from './load-config.js';

const schema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  JWT_SECRET: Type.Optional(Secret()),
  CORS_ORIGINS: CorsOrigins({ default: 'http://localhost:3000' }),
  API_UPSTREAM_URL: UpstreamUrl({ default: 'http://127.0.0.1:4000' }),
  ENABLE_X: Type.Boolean({ default: false }),
});

const strongSecret = `${'f'.repeat(20)}a1b2c3d4e5f6a7b8c9d0`;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('applies defaults and converts strings', () => {
    const config = loadConfig(schema, { env: { PORT: '8080', ENABLE_X: 'true' } });
    expect(config).toEqual({
      PORT: 8080,
      CORS_ORIGINS: 'http://localhost:3000',
      API_UPSTREAM_URL: 'http://127.0.0.1:4000',
      ENABLE_X: true,
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(schema, { env: { PORT: '' } }).PORT).toBe(3000);
  });

  it('lists every bad variable in one error', () => {
    const error = configError(() => loadConfig(schema, { env: { PORT: 'eighty', ENABLE_X: 'maybe' } }));
    expect(error.code).toBe('ERR_CONFIG_INVALID');
    expect(error.issues.map((i) => i.variable).sort()).toEqual(['ENABLE_X', 'PORT']);
    expect(error.message).toContain('PORT');
    expect(error.message).toContain('"eighty"');
  });

  it('reports a missing required variable', () => {
    const required = Type.Object({ DATABASE_URL: Type.String() });
    const error = configError(() => loadConfig(required, { env: {} }));
    expect(error.issues).toEqual([{ variable: 'DATABASE_URL', message: 'is required' }]);
  });

  it('never prints a secret value', () => {
    const bad = Type.Object({ API_KEY: Secret({ minLength: 40 }) });
    const error = configError(() => loadConfig(bad, { env: { API_KEY: 'hunter2-but-longer' } }));
    expect(error.message).toContain('API_KEY');
    expect(error.message).not.toContain('hunter2');
  });
});

describe('loadConfig in production', () => {
  const production = {
    NODE_ENV: 'production',
    API_UPSTREAM_URL: 'https://api.internal',
    CORS_ORIGINS: 'https://app.example',
  };

  it('starts with strong secrets, explicit origins and https upstreams', () => {
    const config = loadConfig(schema, { env: { ...production, JWT_SECRET: strongSecret } });
    expect(config.JWT_SECRET).toBe(strongSecret);
  });

  it('refuses a missing secret, naming the variable', () => {
    const error = configError(() => loadConfig(schema, { env: production }));
    expect(error.issues).toEqual([{ variable: 'JWT_SECRET', message: 'is required in production' }]);
    expect(error.message).toContain('JWT_SECRET');
  });

  it('leaves an optionalInProduction secret unset when it is, and refuses it weak when set', () => {
    const withToken = Type.Object({
      ...schema.properties,
      METRICS_TOKEN: Type.Optional(Secret({ optionalInProduction: true })),
    });
    const env = { ...production, JWT_SECRET: strongSecret };
    expect(loadConfig(withToken, { env }).METRICS_TOKEN).toBeUndefined();
    const error = configError(() => loadConfig(withToken, { env: { ...env, METRICS_TOKEN: 'changeme' } }));
    expect(error.issues).toEqual([
      { variable: 'METRICS_TOKEN', message: 'is a well-known default value; set a random secret' },
    ]);
  });

  it('refuses a wildcard CORS origin, naming the variable', () => {
    const error = configError(() =>
      loadConfig(schema, {
        env: { ...production, JWT_SECRET: strongSecret, CORS_ORIGINS: 'https://a.example, *' },
      }),
    );
    expect(error.issues.map((i) => i.variable)).toEqual(['CORS_ORIGINS']);
    expect(error.message).toMatch(/CORS_ORIGINS: .*"\*"/);
  });

  it('refuses a well-known default secret and a short one', () => {
    const known = configError(() =>
      loadConfig(schema, { env: { ...production, JWT_SECRET: 'your-secret-key-change-in-production' } }),
    );
    expect(known.issues[0]?.message).toMatch(/well-known default/);
    const short = configError(() => loadConfig(schema, { env: { ...production, JWT_SECRET: 'abc123' } }));
    expect(short.issues[0]?.message).toMatch(/at least 32/);
  });

  it('refuses a plain-http upstream', () => {
    const error = configError(() =>
      loadConfig(schema, {
        env: { ...production, JWT_SECRET: strongSecret, API_UPSTREAM_URL: 'http://orders.internal:3000' },
      }),
    );
    expect(error.issues).toEqual([
      {
        variable: 'API_UPSTREAM_URL',
        message: 'must be an https:// URL in production (got http://orders.internal:3000)',
      },
    ]);
  });

  it('lets the same settings start outside production', () => {
    expect(() => loadConfig(schema, { env: { CORS_ORIGINS: '*' } })).not.toThrow();
  });
});
