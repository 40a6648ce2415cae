import { describe, expect, it } from 'vitest';
import { isolatedNatsNames } from './isolated-nats-names.js';
import { uniqueId, uniqueName } from './unique-name.js';

describe('uniqueName', () => {
  it('gives each call its own name, valid for a NATS stream, a queue, a Redis key and a schema', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('bus_outbox_')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^bus_outbox_[0-9a-f]{8}$/);
    expect(uniqueId()).toMatch(/^[0-9a-f]{8}$/);
  });
});

describe('isolatedNatsNames', () => {
  it('names a stream, its subjects and their dead letters after the tag and one id', () => {
    expect(isolatedNatsNames('conf', '3f9a0c1d')).toEqual({
      stream: 'CONF_3f9a0c1d',
      subjectPrefix: 'conf_3f9a0c1d',
      deadLetterStream: 'CONF_3f9a0c1d_DLQ',
      deadLetterPrefix: 'conf_3f9a0c1d_dlq',
    });
    expect(isolatedNatsNames('conf').stream).not.toBe(isolatedNatsNames('conf').stream);
  });
});
