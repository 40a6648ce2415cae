// Benchmark sizes come from the command line (`--rounds 3`) or, for the bus benches, from BENCH_*
// environment variables, so a small smoke run needs no edit.

/** The number after `--name` on the command line, or `fallback` when the flag is absent. */
export function numberArg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** The number in environment variable `name`, or `fallback` when it is unset. */
export function envNumber(name, fallback) {
  return Number(process.env[name] ?? fallback);
}
