import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { coreErrorCodes } from '../errors/error-codes.js';
import { isInterlinkError } from '../errors/interlink-error.js';
import { createProblem, PROBLEM_CONTENT_TYPE, type ProblemDetails } from '../errors/problem-details.js';

/** One invalid field of a request that failed schema validation. */
export interface FieldError {
  field: string;
  message: string;
}

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

// Fastify's own 4xx errors have safe, fixed messages; everything else that is not an Interlink
// error is reported by its code's title only, so driver or SQL text never reaches a client.
const FASTIFY_CODES: Record<string, keyof typeof coreErrorCodes> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_JSON_BODY: 'ERR_MALFORMED_BODY',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'ERR_MALFORMED_BODY',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'ERR_MALFORMED_BODY',
  FST_ERR_BAD_URL: 'ERR_BAD_REQUEST',
};

/** The path of a request without its query string: the query may carry a token. */
export function requestPath(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function fieldErrors(error: FastifyError): FieldError[] {
  const context = (error as { validationContext?: string }).validationContext ?? 'body';
  return ((error.validation ?? []) as ValidationIssue[]).map((issue) => {
    const path = (issue.instancePath ?? '').split('/').filter(Boolean);
    const missing = issue.params?.missingProperty;
    if (typeof missing === 'string') path.push(missing);
    const extra = issue.params?.additionalProperty;
    if (typeof extra === 'string') path.push(extra);
    return { field: [context, ...path].join('.'), message: issue.message ?? 'is invalid' };
  });
}

/** Maps any error to an RFC 9457 problem document that is safe to send to a client. */
export function problemFromError(error: unknown, request: FastifyRequest): ProblemDetails {
  const base = { requestId: request.id, instance: requestPath(request.url) };
  if (isInterlinkError(error)) {
    return createProblem({
      ...base,
      code: error.code,
      status: error.status,
      title: error.title,
      detail: error.message,
      ...(error.extensions ? { extensions: error.extensions } : {}),
    });
  }
  const fastifyError = error as FastifyError;
  if (fastifyError?.validation) {
    const errors = fieldErrors(fastifyError);
    return createProblem({
      ...base,
      code: 'ERR_VALIDATION',
      detail: `Invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      extensions: { errors },
    });
  }
  const mapped = fastifyError?.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (mapped) return createProblem({ ...base, code: mapped, detail: fastifyError.message });
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code =
      status === 429 ? 'ERR_RATE_LIMITED' : status === 405 ? 'ERR_METHOD_NOT_ALLOWED' : 'ERR_BAD_REQUEST';
    return createProblem({ ...base, code, status });
  }
  return createProblem({ ...base, code: 'ERR_INTERNAL', detail: 'An unexpected error occurred.' });
}

/** Fastify error handler: logs server errors with their stack, sends problem details to clients. */
export function problemErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  const problem = problemFromError(error, request);
  // A caller's deadline that passed is the caller's matter, whoever the caller is: no error line.
  if (problem.status >= 500 && problem.code !== 'ERR_DEADLINE_EXCEEDED') {
    request.log.error({ err: error }, 'request failed');
  } else request.log.info({ code: problem.code, status: problem.status }, 'request rejected');
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** Fastify not-found handler: a 404 problem naming the method and path (never the query). */
export function problemNotFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = requestPath(request.url);
  const problem = createProblem({
    code: 'ERR_NOT_FOUND',
    detail: `No route for ${request.method} ${path}`,
    instance: path,
    requestId: request.id,
  });
  return reply.code(404).type(PROBLEM_CONTENT_TYPE).send(problem);
}
