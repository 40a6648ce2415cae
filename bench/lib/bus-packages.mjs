// What the bus benches load: the built @interlink/bus (run `npx tsc -b packages/bus` first) and
// the broker clients resolved the way the bus package resolves them, wherever npm placed them.
import { createRequire } from 'node:module';

export const bus = await import(new URL('../../packages/bus/dist/index.js', import.meta.url).href);
export const { createSeedRegistry } = await import(
  new URL('../../packages/bus/dist/presets.js', import.meta.url).href
);
const require = createRequire(new URL('../../packages/bus/package.json', import.meta.url));

/** Imports `name` (e.g. `amqplib`) as the bus package would resolve it. */
export function importFromBus(name) {
  return import(require.resolve(name));
}
