// `node --conditions=interlink:source --import ./ts-source-loader.mjs child.ts`: see ts-source-hooks.mjs.
import { register } from 'node:module';

register('./ts-source-hooks.mjs', import.meta.url);
