// Writes docs/openapi/<service>.json, the OpenAPI 3.1 document of each service contract.
// Run from the repository root: `npm run openapi -w @interlink/contracts` (which then formats the
// files with Biome). `openapi.test.ts` fails when a committed document differs from the contracts.
import { mkdir, writeFile } from 'node:fs/promises';
import { openApiDocument, serviceContracts } from '@interlink/contracts';

const target = new URL('../../../docs/openapi/', import.meta.url);
await mkdir(target, { recursive: true });
for (const contract of serviceContracts) {
  const file = new URL(`${contract.service}.json`, target);
  await writeFile(file, `${JSON.stringify(await openApiDocument(contract), null, 2)}\n`);
  console.log(`wrote ${file.pathname}`);
}
