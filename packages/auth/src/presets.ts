/**
 * `@interlink/auth/presets`: the seed platform's own configuration (seed presets), apart from the
 * package's general code, ready to move to `packages/contracts`.
 */
export { SEED_001_SERVICE_PERMISSIONS } from './presets/seed-service-permissions.js';
