import { runJobBackendConformance } from '@interlink/testing/jobs';
import { createMemoryBackend } from './memory-backend.js';

runJobBackendConformance('memory', {
  create: () => createMemoryBackend(),
  // One process: a second worker shares the same in-process store.
  replica: (of) => of,
});
