/** A readiness check: resolves when the dependency answers, throws (or resolves false) when not. */
export type ReadinessCheck = (signal: AbortSignal) => Promise<unknown> | unknown;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

/** Runs every check in parallel, each bounded by `timeoutMs`; a check that times out is down. */
export async function runReadinessChecks(
  checks: ReadonlyMap<string, ReadinessCheck>,
  timeoutMs: number,
  onFailure: (name: string, error: unknown) => void,
): Promise<ReadinessReport> {
  const entries = [...checks];
  const results = await Promise.all(
    entries.map(async ([name, check]) => {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        const result = await Promise.race([
          Promise.resolve().then(() => check(signal)),
          new Promise((_, reject) =>
            signal.addEventListener('abort', () => reject(new Error(`timed out after ${timeoutMs} ms`)), {
              once: true,
            }),
          ),
        ]);
        if (result === false) throw new Error('check returned false');
        return [name, 'up'] as const;
      } catch (error) {
        onFailure(name, error);
        return [name, 'down'] as const;
      }
    }),
  );
  return { ready: results.every(([, s]) => s === 'up'), checks: Object.fromEntries(results) };
}
