import { runServiceMain } from '../service/run-service-main.js';

// auth-service alone, as it is deployed: `node apps/platform/dist/auth/main.js` (variables in docs/platform.md).
runServiceMain('auth');
