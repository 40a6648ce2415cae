import { runServiceMain } from '../service/run-service-main.js';

// event-service alone, as it is deployed: `node apps/platform/dist/event/main.js` (variables in docs/platform.md).
runServiceMain('event');
