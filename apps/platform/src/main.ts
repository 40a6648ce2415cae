import { ConfigError, createService, loadConfig } from '@interlink/core';
import { Type } from '@sinclair/typebox';

const ConfigSchema = Type.Object({
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535, description: 'Public HTTP port' }),
  HOST: Type.String({ default: '127.0.0.1', description: 'Interface to listen on' }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  METRICS_PORT: Type.Optional(Type.Integer({ minimum: 0, maximum: 65535 })),
  METRICS_TOKEN: Type.Optional(Type.String({ minLength: 16 })),
  SHUTDOWN_TIMEOUT_MS: Type.Integer({ default: 30_000, minimum: 0 }),
});

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig<typeof ConfigSchema>>;
  try {
    config = loadConfig(ConfigSchema);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const service = createService({
    name: 'platform',
    logLevel: config.LOG_LEVEL,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    metrics: {
      ...(config.METRICS_PORT !== undefined ? { port: config.METRICS_PORT } : {}),
      ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}),
    },
  });
  service.app.get('/', async () => ({
    name: 'interlink-platform',
    endpoints: ['/health', '/ready', '/metrics'],
  }));
  const address = await service.listen({ port: config.PORT, host: config.HOST });
  service.logger.info({ address }, 'platform listening');
}

main().catch((error) => {
  process.stderr.write(
    `platform failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
