import { coreErrorCodes } from './error-codes.js';

/** RFC 9457 problem details, with Interlink's `code` and `requestId` members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  requestId?: string;
  [extension: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** The `type` URI of a code: a stable identifier that `docs/errors.md` explains. */
export function problemType(code: string): string {
  return `urn:interlink:error:${code}`;
}

export interface ProblemInput {
  code: string;
  status?: number;
  title?: string;
  detail?: string;
  instance?: string;
  requestId?: string;
  extensions?: Record<string, unknown>;
}

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'requestId']);

/** Builds a problem document; extension members never overwrite the standard ones. */
export function createProblem(input: ProblemInput): ProblemDetails {
  const known = (coreErrorCodes as Record<string, { status: number; title: string }>)[input.code];
  const status = input.status ?? known?.status ?? 500;
  const problem: ProblemDetails = {
    type: problemType(input.code),
    title: input.title ?? known?.title ?? 'Error',
    status,
    code: input.code,
  };
  if (input.detail !== undefined) problem.detail = input.detail;
  if (input.instance !== undefined) problem.instance = input.instance;
  if (input.requestId !== undefined) problem.requestId = input.requestId;
  if (input.extensions) {
    for (const [key, value] of Object.entries(input.extensions)) {
      if (!RESERVED.has(key)) problem[key] = value;
    }
  }
  return problem;
}
