import { runServiceMain } from '../service/run-service-main.js';

// ticket-service alone, as it is deployed: `node apps/platform/dist/ticket/main.js` (variables in docs/platform.md).
runServiceMain('ticket');
