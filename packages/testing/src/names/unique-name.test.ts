import { describe, expect, it } from 'vitest';
import { uniqueId, uniqueName } from './unique-name.js';

describe('uniqueName', () => {
  it('gives each call its own name, valid for a NATS stream, a queue, a Redis key and a schema', () => {
    const names = new Set(Array.from({ length: 100 }, () => uniqueName('bus_outbox_')));
    expect(names.size).toBe(100);
    for (const name of names) expect(name).toMatch(/^bus_outbox_[0-9a-f]{8}$/);
    expect(uniqueId()).toMatch(/^[0-9a-f]{8}$/);
  });
});
