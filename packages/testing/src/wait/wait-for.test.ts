import { describe, expect, it } from 'vitest';
import { waitFor, waitForCount } from './wait-for.js';

describe('waitFor', () => {
  it('resolves once the check holds, async checks included', async () => {
    let calls = 0;
    await waitFor(async () => ++calls === 3, 'the third call');
    expect(calls).toBe(3);
  });

  it('rejects naming what it waited for when the check never holds', async () => {
    await expect(waitFor(() => false, 'the moon', 0)).rejects.toThrow('Timed out waiting for the moon');
  });
});

describe('waitForCount', () => {
  it('rejects with how far the count got once it stops moving', async () => {
    await expect(waitForCount(() => 1, 3, 'deliveries', 0)).rejects.toThrow(
      'Stalled waiting for deliveries: 1 of 3',
    );
  });
});
