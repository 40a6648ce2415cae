/** This process's CPU time (user + system) since `since` (a `process.cpuUsage()`), in µs. */
export function cpuMicrosSince(since) {
  const used = process.cpuUsage(since);
  return used.user + used.system;
}
