// CPU time of the PostgreSQL backends serving one database, read from /proc: a bench that compares
// a path through a service with a direct query can then say where the CPU of each request went,
// PostgreSQL included. Works only when the server runs on this machine (otherwise `null`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;
function microsPerTick() {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return 1e6 / ticksPerSecond;
}

/** utime + stime of process `pid` in µs, or `undefined` when /proc does not show it. */
function processCpuMicros(pid) {
  try {
    // Fields after the command name (which may hold spaces, so split after its closing paren).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * microsPerTick();
  } catch {
    return undefined;
  }
}

/**
 * Reads, through `client` (connected to the database), the backends of that database; `start()`
 * then `stop()` returns their CPU in µs between the two calls, or `null` when the server's
 * processes are not visible here. A backend that started between the calls counts from zero.
 */
export function pgBackendCpu(client) {
  const snapshot = async () => {
    const { rows } = await client.query(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    const cpu = new Map();
    for (const { pid } of rows) {
      const micros = processCpuMicros(pid);
      if (micros === undefined) return null;
      cpu.set(pid, micros);
    }
    return cpu;
  };
  let since;
  return {
    async start() {
      since = await snapshot();
    },
    async stop() {
      const now = await snapshot();
      if (now === null || since === null) return null;
      let total = 0;
      for (const [pid, micros] of now) total += micros - (since.get(pid) ?? 0);
      return total;
    },
  };
}
