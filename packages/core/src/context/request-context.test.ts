import { describe, expect, it } from 'vitest';
import {
  currentContext,
  remainingTime,
  requireContext,
  runWithContext,
  updateContext,
} from './request-context.js';

const base = () => ({
  requestId: 'r1',
  trace: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), flags: 1 },
});

describe('request context', () => {
  it('is seen across awaits and timers inside runWithContext, and not outside', async () => {
    expect(currentContext()).toBeUndefined();
    await runWithContext(base(), async () => {
      await new Promise((r) => setTimeout(r, 1));
      expect(currentContext()?.requestId).toBe('r1');
      await new Promise<void>((resolve) =>
        setImmediate(() => {
          expect(requireContext().trace.traceId).toBe('a'.repeat(32));
          resolve();
        }),
      );
    });
    expect(currentContext()).toBeUndefined();
    expect(() => requireContext()).toThrow(/No request context/);
  });

  it('keeps concurrent contexts apart', async () => {
    const seen = await Promise.all(
      ['x', 'y', 'z'].map((id) =>
        runWithContext({ ...base(), requestId: id }, async () => {
          await new Promise((r) => setTimeout(r, Math.random() * 5));
          return currentContext()?.requestId;
        }),
      ),
    );
    expect(seen).toEqual(['x', 'y', 'z']);
  });

  it('lets later code see fields set by earlier code in the same request', () => {
    runWithContext(base(), () => {
      updateContext({ tenantId: 't1', userId: 'u1' });
      expect(currentContext()).toMatchObject({ tenantId: 't1', userId: 'u1' });
    });
    expect(updateContext({ tenantId: 'x' })).toBe(false);
  });

  it('tells the time left before the deadline', () => {
    expect(remainingTime()).toBe(Number.POSITIVE_INFINITY);
    runWithContext({ ...base(), deadline: 10_500 }, () => {
      expect(remainingTime(10_000)).toBe(500);
      expect(remainingTime(11_000)).toBe(0);
    });
  });
});
