import type { ProblemDetails } from '@interlink/core';
import { type Static, Type } from '@sinclair/typebox';

/**
 * RFC 9457 problem details as `@interlink/core` sends them (`createProblem`): the standard members
 * plus `code` and `requestId`; extension members such as `errors` are allowed.
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: '`urn:interlink:error:<code>`, explained in docs/errors.md' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({ description: 'The stable error code callers switch on' }),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'The invalid fields of an `ERR_VALIDATION` problem',
      }),
    ),
  },
  { additionalProperties: true, title: 'Problem' },
);
export type Problem = Static<typeof ProblemSchema>;

// Kept in step with core's type: a problem core builds must be a Problem, and the reverse.
type Assignable<A, B> = A extends B ? true : false;
const _coreIsProblem: Assignable<ProblemDetails, Omit<Problem, 'errors'>> = true;
const _problemIsCore: Assignable<Problem, ProblemDetails> = true;
void _coreIsProblem;
void _problemIsCore;

/** The 4xx statuses a contract route may answer with a problem. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;
