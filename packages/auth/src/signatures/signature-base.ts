import { lowerCaseHeaders } from '@interlink/core';
import { type Item, type Parameters, serializeInnerList, serializeItem } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import type { ComponentId } from './component-id.js';
import {
  fieldValue,
  isResponse,
  type ResolvedTarget,
  resolveTarget,
  type SignableMessage,
  type SignableRequest,
} from './http-message.js';

export { type ComponentId, component } from './component-id.js';

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

// RFC 9421 §2.2.8: names and values re-encoded with the form-urlencoded percent-encode set, but
// with %20 for a space (never `+`).
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The value of a component without parameters (RFC 9421 §2.1, §2.2). */
function plainComponentValue(request: SignableRequest, target: ResolvedTarget, name: string): string {
  switch (name) {
    case '@method':
      return request.method;
    case '@authority':
      return target.authority;
    case '@path':
      return target.path;
    case '@query':
      return target.query;
    case '@scheme':
      if (!target.scheme) break;
      return target.scheme;
    case '@target-uri':
      if (!target.scheme) break;
      return `${target.scheme}://${target.authority}${target.path}${target.query === '?' ? '' : target.query}`;
    case '@request-target':
      return `${target.path}${target.query === '?' ? '' : target.query}`;
    case '@query-param':
      throw new AuthError('ERR_SIGNATURE_MALFORMED', '@query-param needs a ;name parameter');
    default: {
      if (name.startsWith('@') || !FIELD_NAME.test(name)) {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${JSON.stringify(name)} is not supported`);
      }
      const value = fieldValue(request.headers, name);
      if (value !== undefined) return value;
    }
  }
  throw missingComponent(name);
}

function missingComponent(name: string): AuthError {
  return new AuthError(
    'ERR_SIGNATURE_COMPONENT_MISSING',
    `covered component ${name} is absent from the request`,
  );
}

/** Where a component's value comes from: the message, or with `;req` the request it answers. */
interface ComponentSource {
  message: SignableMessage;
  /** The request's target, resolved on first use. */
  target: ResolvedTarget | undefined;
}

function decodeQueryName(wanted: string): string {
  try {
    return decodeURIComponent(wanted);
  } catch {
    // A malformed escape (`%zz`, a lone `%`) names no parameter: a signature error, never a URIError.
    throw new AuthError(
      'ERR_SIGNATURE_MALFORMED',
      `@query-param name ${JSON.stringify(wanted)} is not valid percent-encoding`,
    );
  }
}

function componentValues(self: ComponentSource, related: () => ComponentSource, id: ComponentId): string[] {
  const [name, params] = id;
  if (typeof name !== 'string') {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'a component identifier is not a string');
  }
  let fromRequest = false;
  for (const [key, value] of params) {
    if (key === 'req' && value === true) fromRequest = true;
    else if (!(key === 'name' && name === '@query-param')) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component parameter ;${key} is not supported`);
    }
  }
  if (fromRequest && !isResponse(self.message)) {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', ';req is only meaningful in a response signature');
  }
  const source = fromRequest ? related() : self;
  const message = source.message;
  if (isResponse(message)) {
    if (name === '@status') return [String(message.status)];
    // Derived components other than @status describe a request: in a response they need ;req.
    if (name.startsWith('@')) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `${name} in a response needs the ;req parameter`);
    }
    const value = FIELD_NAME.test(name) ? fieldValue(message.headers, name) : undefined;
    if (value !== undefined) return [value];
    throw FIELD_NAME.test(name)
      ? missingComponent(name)
      : new AuthError('ERR_SIGNATURE_MALFORMED', `component ${JSON.stringify(name)} is not supported`);
  }
  if (name === '@status') {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', '@status is a response component');
  }
  source.target ??= resolveTarget(message);
  if (name !== '@query-param') return [plainComponentValue(message, source.target, name)];
  const wanted = params.get('name');
  if (typeof wanted !== 'string') {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', '@query-param needs a ;name parameter');
  }
  const decodedName = decodeQueryName(wanted);
  const search = new URLSearchParams(source.target.query.slice(1));
  const values = search.getAll(decodedName).map(encodeQueryPart);
  if (values.length > 0) return values;
  throw missingComponent(name);
}

// A plain sf-string: printable ASCII without `"` or `\`, serialized as itself in quotes.
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** True when `value` serializes as an RFC 8941 string by being put in quotes, as it is. */
export function isPlainString(value: string): boolean {
  return PLAIN_STRING.test(value);
}

/**
 * RFC 8941 serialization of a component identifier, with a fast path for the common case (a
 * string without parameters); anything else goes to `structured-headers`. Hand-written because
 * serialization was the verifier's largest cost; `signature-base.test.ts` holds both paths equal.
 */
export function serializeComponentId(id: ComponentId): string {
  const [name, params] = id;
  if (params.size === 0 && typeof name === 'string' && PLAIN_STRING.test(name)) return `"${name}"`;
  return serializeItem(id);
}

/** RFC 8941 serialization of the signature parameters' inner list, fast path as above. */
export function serializeSignatureParams(components: readonly ComponentId[], params: Parameters): string {
  let out = `(${components.map(serializeComponentId).join(' ')})`;
  for (const [key, value] of params) {
    if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < 1e15)
      out += `;${key}=${value}`;
    else if (typeof value === 'string' && PLAIN_STRING.test(value)) out += `;${key}="${value}"`;
    else if (value === true) out += `;${key}`;
    else return serializeInnerList([components as Item[], params]);
  }
  return out;
}

/** The signature base (RFC 9421 §2.5) and the serialized `@signature-params` value. */
export interface SignatureBase {
  base: string;
  /** The inner list as it goes into `Signature-Input`. */
  signatureParams: string;
}

const LINE_BREAK = /[\r\n]/;

/**
 * Builds the signature base of a request or response for the covered `components` and signature
 * `params`; a response's `;req` components (RFC 9421 §2.4) are read from its `request`.
 * @throws AuthError when a component is unsupported, absent or contains a line break
 */
export function buildSignatureBase(
  message: SignableMessage,
  components: readonly ComponentId[],
  params: Parameters,
  target?: ResolvedTarget,
): SignatureBase {
  message = withLowerCaseHeaders(message);
  const signatureParams = serializeSignatureParams(components, params);
  const names = isResponse(message) ? undefined : plainNames(components);
  if (names && !isResponse(message)) {
    target ??= resolveTarget(message);
    return { base: buildPlainSignatureBase(message, target, names, signatureParams), signatureParams };
  }
  const self: ComponentSource = { message, target };
  let related: ComponentSource | undefined;
  const relatedSource = (): ComponentSource => {
    if (related) return related;
    const request = isResponse(message) ? message.request : undefined;
    if (!request) throw missingComponent('the request a ;req component refers to');
    related = { message: withLowerCaseHeaders(request), target: undefined };
    return related;
  };
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const id of components) {
    const serialized = serializeComponentId(id);
    if (seen.has(serialized)) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${serialized} is covered twice`);
    }
    seen.add(serialized);
    for (const value of componentValues(self, relatedSource, id)) {
      // A line break in a value would let one component forge another line of the base.
      if (LINE_BREAK.test(value)) {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${serialized} contains a line break`);
      }
      lines.push(`${serialized}: ${value}`);
    }
  }
  lines.push(`"@signature-params": ${signatureParams}`);
  return { base: lines.join('\n'), signatureParams };
}

function withLowerCaseHeaders<M extends SignableMessage>(message: M): M {
  const headers = lowerCaseHeaders(message.headers);
  return headers === message.headers ? message : { ...message, headers };
}

/** The names of `components` when every one is a plain string without parameters, else undefined. */
function plainNames(components: readonly ComponentId[]): string[] | undefined {
  const names: string[] = [];
  for (const [name, params] of components) {
    if (params.size !== 0 || typeof name !== 'string' || !PLAIN_STRING.test(name)) return undefined;
    names.push(name);
  }
  return names;
}

/**
 * {@link buildSignatureBase} for the common case, without building component items: `names` are
 * plain strings (no `"` or backslash) without parameters, `signatureParams` is the serialized
 * `@signature-params` value, and `request`'s header names are already lower-case. The signer and
 * the verifier's fast path call it directly; the signer passes the `content-digest` it computed
 * rather than copying the headers to add it.
 * @throws AuthError as {@link buildSignatureBase} does, in the same order
 */
export function buildPlainSignatureBase(
  request: SignableRequest,
  target: ResolvedTarget,
  names: readonly string[],
  signatureParams: string,
  contentDigest?: string,
): string {
  let base = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (names.indexOf(name) !== i) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component "${name}" is covered twice`);
    }
    const value =
      contentDigest !== undefined && name === 'content-digest'
        ? contentDigest
        : plainComponentValue(request, target, name);
    // A line break in a value would let one component forge another line of the base.
    if (LINE_BREAK.test(value)) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component "${name}" contains a line break`);
    }
    base += `"${name}": ${value}\n`;
  }
  return `${base}"@signature-params": ${signatureParams}`;
}
