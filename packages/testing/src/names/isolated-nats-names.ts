import { uniqueId } from './unique-name.js';

/** The stream and subject names a NATS transport of one test file owns, dead letters included. */
export interface IsolatedNatsNames {
  stream: string;
  subjectPrefix: string;
  deadLetterStream: string;
  deadLetterPrefix: string;
}

/**
 * Names no other test file or earlier run shares, for `createNatsTransport({ servers, ...names })`:
 * `isolatedNatsNames('conf')` -> stream `CONF_3f9a0c1d`, subjects `conf_3f9a0c1d.*`, and their DLQs.
 */
export function isolatedNatsNames(tag: string, id = uniqueId()): IsolatedNatsNames {
  const stream = `${tag.toUpperCase()}_${id}`;
  const subjectPrefix = `${tag}_${id}`;
  return {
    stream,
    subjectPrefix,
    deadLetterStream: `${stream}_DLQ`,
    deadLetterPrefix: `${subjectPrefix}_dlq`,
  };
}
