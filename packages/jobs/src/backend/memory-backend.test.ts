import { runJobBackendConformance } from '../testing/job-backend-conformance.js';
import { createMemoryBackend } from './memory-backend.js';

runJobBackendConformance('memory', {
  create: () => createMemoryBackend(),
  // One process: a second worker shares the same in-process store.
  replica: (of) => of,
});
