import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { typeScriptNodeArgs } from '@interlink/testing';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('./fixtures/slow-service.ts', import.meta.url));

describe('service kit signal handling', () => {
  it('on SIGTERM finishes the request in flight, then exits 0', async () => {
    const child = fork(fixture, {
      execArgv: [...typeScriptNodeArgs],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const address = await new Promise<string>((resolve) => {
      child.on('message', (m: { event: string; address?: string }) => {
        if (m.event === 'listening' && m.address) resolve(m.address);
      });
    });
    const slowStarted = new Promise<void>((resolve) =>
      child.on('message', (m: { event: string }) => m.event === 'slow-started' && resolve()),
    );
    const response = fetch(`${address}/slow?ms=400`).then(async (r) => ({
      status: r.status,
      body: await r.json(),
    }));
    await slowStarted;
    child.kill('SIGTERM');
    expect(await response).toEqual({ status: 200, body: { done: true, ms: 400 } });
    expect(await exited).toBe(0);
  });
});
