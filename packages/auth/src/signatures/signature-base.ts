import { type Item, type Parameters, serializeInnerList, serializeItem } from 'structured-headers';
import { AuthError } from '../errors/auth-error.js';
import {
  fieldValue,
  lowerCaseHeaders,
  type ResolvedTarget,
  resolveTarget,
  type SignableRequest,
} from './http-message.js';

/** A covered component: its identifier and parameters, as in the `Signature-Input` inner list. */
export type ComponentId = Item;

/** A component without parameters, e.g. `component('@method')`. */
export function component(name: string): ComponentId {
  return [name, new Map()];
}

const FIELD_NAME = /^[!#$%&'*+\-.^_`|~0-9a-z]+$/;

// RFC 9421 §2.2.8: names and values re-encoded with the form-urlencoded percent-encode set, but
// with %20 for a space (never `+`).
function encodeQueryPart(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*~]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function componentValues(request: SignableRequest, target: ResolvedTarget, id: ComponentId): string[] {
  const [name, params] = id;
  if (typeof name !== 'string') {
    throw new AuthError('ERR_SIGNATURE_MALFORMED', 'a component identifier is not a string');
  }
  for (const key of params.keys()) {
    if (!(key === 'name' && name === '@query-param')) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component parameter ;${key} is not supported`);
    }
  }
  switch (name) {
    case '@method':
      return [request.method];
    case '@authority':
      return [target.authority];
    case '@path':
      return [target.path];
    case '@query':
      return [target.query];
    case '@scheme':
      if (!target.scheme) break;
      return [target.scheme];
    case '@target-uri':
      if (!target.scheme) break;
      return [
        `${target.scheme}://${target.authority}${target.path}${target.query === '?' ? '' : target.query}`,
      ];
    case '@request-target':
      return [`${target.path}${target.query === '?' ? '' : target.query}`];
    case '@query-param': {
      const wanted = params.get('name');
      if (typeof wanted !== 'string') {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', '@query-param needs a ;name parameter');
      }
      const search = new URLSearchParams(target.query.slice(1));
      const decodedName = decodeURIComponent(wanted);
      const values = search.getAll(decodedName).map(encodeQueryPart);
      if (values.length > 0) return values;
      break;
    }
    default: {
      if (name.startsWith('@') || !FIELD_NAME.test(name)) {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${JSON.stringify(name)} is not supported`);
      }
      const value = fieldValue(request.headers, name);
      if (value !== undefined) return [value];
    }
  }
  throw new AuthError(
    'ERR_SIGNATURE_COMPONENT_MISSING',
    `covered component ${name} is absent from the request`,
  );
}

// A plain sf-string: printable ASCII without `"` or `\`, serialized as itself in quotes.
const PLAIN_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

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

/**
 * Builds the signature base of `request` for the covered `components` and signature `params`.
 * @throws AuthError when a component is unsupported, absent or contains a line break
 */
export function buildSignatureBase(
  request: SignableRequest,
  components: readonly ComponentId[],
  params: Parameters,
  target: ResolvedTarget = resolveTarget(request),
): SignatureBase {
  request = { ...request, headers: lowerCaseHeaders(request.headers) };
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const id of components) {
    const serialized = serializeComponentId(id);
    if (seen.has(serialized)) {
      throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${serialized} is covered twice`);
    }
    seen.add(serialized);
    for (const value of componentValues(request, target, id)) {
      // A line break in a value would let one component forge another line of the base.
      if (/[\r\n]/.test(value)) {
        throw new AuthError('ERR_SIGNATURE_MALFORMED', `component ${serialized} contains a line break`);
      }
      lines.push(`${serialized}: ${value}`);
    }
  }
  const signatureParams = serializeSignatureParams(components, params);
  lines.push(`"@signature-params": ${signatureParams}`);
  return { base: lines.join('\n'), signatureParams };
}
