import { cpuMicrosSince } from './cpu.mjs';

/** Calls `task(i)` for every i < n with at most `window` calls in flight. */
export async function inFlight(n, window, task) {
  let next = 0;
  await Promise.all(
    Array.from({ length: window }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

/**
 * Runs `task(i)` for i < n, `window` in flight; returns calls per second and this process's CPU
 * per call (steadier than the rate on a shared machine: a broker's share is not in it).
 */
export async function measureThroughput(n, window, task) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await inFlight(n, window, task);
  const cpuMicros = cpuMicrosSince(cpu) / n;
  return { rate: n / ((performance.now() - started) / 1000), cpuMicros };
}
