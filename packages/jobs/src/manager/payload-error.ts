import type { TSchema } from '@sinclair/typebox';
import type { TypeCheck } from '@sinclair/typebox/compiler';
import { JobsError } from '../errors/jobs-error.js';

/** A failed or problematic payload's field and what is wrong with it. */
export interface PayloadIssue {
  path: string;
  message: string;
}

/** The first ten issues of a payload that fails `check`. */
export function issuesOf(check: TypeCheck<TSchema>, value: unknown): PayloadIssue[] {
  const issues: PayloadIssue[] = [];
  for (const error of check.Errors(value)) {
    issues.push({ path: error.path || '/', message: error.message });
    if (issues.length >= 10) break;
  }
  return issues;
}

/** `ERR_JOB_PAYLOAD_INVALID` for a payload refused at add or at run time, its issues in `extensions`. */
export function payloadError(type: string, issues: PayloadIssue[], when: 'add' | 'run'): JobsError {
  const first = issues[0];
  return new JobsError(
    'ERR_JOB_PAYLOAD_INVALID',
    `payload of "${type}" is invalid${when === 'run' ? ' when run' : ''}: ${first ? `${first.path} ${first.message}` : 'does not match its schema'}`,
    { extensions: { type, errors: issues } },
  );
}
