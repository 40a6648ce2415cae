import { runServiceMain } from '../service/run-service-main.js';

// order-service alone, as it is deployed: `node apps/platform/dist/order/main.js` (variables in docs/platform.md).
runServiceMain('order');
