import { PROBLEM_CONTENT_TYPE, type ProblemDetails } from '@interlink/core';
import type { Dispatcher } from 'undici';
import { readBodyLimited } from '../client/read-body.js';
import { parseRetryAfter } from '../retry/retry-rules.js';
import { ClientError, type UpstreamAnswer } from './client-error.js';

function parseProblem(
  body: Buffer | undefined,
  contentType: string | string[] | undefined,
): ProblemDetails | undefined {
  if (!body || body.length === 0) return undefined;
  const type = Array.isArray(contentType) ? contentType[0] : contentType;
  if (!type || !(type.startsWith(PROBLEM_CONTENT_TYPE) || type.startsWith('application/json')))
    return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as ProblemDetails;
  } catch {
    // Not JSON after all: the status alone describes the failure.
  }
  return undefined;
}

/** The upstream's own error code, when it is a safe-looking Interlink code. */
function safeCode(problem: ProblemDetails | undefined): string | undefined {
  const code = problem?.code;
  return typeof code === 'string' && /^ERR_[A-Z0-9_]{1,60}$/.test(code) ? code : undefined;
}

/** The most of a non-2xx answer's body read for its problem document. */
export const ERROR_BODY_LIMIT = 64 * 1024;

/** Reads a streamed non-2xx answer (its problem document, `Retry-After`) into `ERR_UPSTREAM_STATUS`. */
export async function statusError(
  service: string,
  response: Dispatcher.ResponseData,
  now: number,
): Promise<ClientError> {
  const raw = await readBodyLimited(response.body, ERROR_BODY_LIMIT).catch(() => undefined);
  return statusErrorOf(service, response.statusCode, response.headers, raw, now);
}

/**
 * A non-2xx answer as `ERR_UPSTREAM_STATUS`, from its status, headers and the body read within
 * {@link ERROR_BODY_LIMIT} (`undefined` when longer or cut off: the status alone describes it).
 */
export function statusErrorOf(
  service: string,
  status: number,
  headers: Dispatcher.ResponseData['headers'],
  raw: Buffer | undefined,
  now: number,
): ClientError {
  const problem = parseProblem(raw, headers['content-type']);
  const upstreamCode = safeCode(problem);
  const upstream: UpstreamAnswer = { service, status };
  if (problem) upstream.problem = problem;
  const retryAfterMs = parseRetryAfter(headers['retry-after'], now);
  if (retryAfterMs !== undefined) upstream.retryAfterMs = retryAfterMs;
  return new ClientError(
    'ERR_UPSTREAM_STATUS',
    `${service} answered ${status}${upstreamCode ? ` ${upstreamCode}` : ''}`,
    {
      upstream,
      // 408, 429 and 5xx may succeed later; another 4xx will not. See retriesWithinCall for this call.
      retryable: status === 408 || status === 429 || status >= 500,
      // Only the name, status and code travel on: the upstream's detail may hold its internals.
      extensions: { upstream: { service, status, ...(upstreamCode ? { code: upstreamCode } : {}) } },
    },
  );
}
