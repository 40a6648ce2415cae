import { runServiceMain } from '../service/run-service-main.js';

// venue-service alone, as it is deployed: `node apps/platform/dist/venue/main.js` (variables in docs/platform.md).
runServiceMain('venue');
