import type { Principal } from '@interlink/core';
import { AuthError } from '../errors/auth-error.js';

export interface MeshIdentityOptions {
  /** Seed 000's `SERVICE_MESH_ENABLED`; off by default. */
  enabled: boolean;
  /** Addresses of the mesh proxies allowed to assert identity (the sidecar, usually 127.0.0.1). */
  trustedProxies: readonly string[];
  /** SPIFFE trust domain whose identities are accepted, e.g. `cluster.local`. */
  trustDomain: string;
}

export interface MeshRequest {
  /** The peer address of the connection (`request.socket.remoteAddress`), never a header. */
  remoteAddress: string | undefined;
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export type MeshIdentityVerifier = (request: MeshRequest) => Principal | undefined;

function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** Splits on `sep` outside double quotes (XFCC values may be quoted). */
function splitOutsideQuotes(value: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/**
 * Service-mesh mode: the caller's identity from the `x-forwarded-client-cert` SPIFFE URI that the
 * mesh proxy sets after mTLS — only when enabled and only when the connection comes from a
 * configured proxy address (anyone else could write the header). The service name is the last
 * segment of `spiffe://<trust domain>/.../<name>`. A bare service-name header is never identity.
 * Returns `undefined` when the mode is off or the request carries no client certificate.
 * @throws AuthError `ERR_SIGNATURE_INVALID` for a certificate header from an untrusted peer or domain
 */
export function createMeshIdentityVerifier(options: MeshIdentityOptions): MeshIdentityVerifier {
  const trusted = new Set(options.trustedProxies.map(normalizeAddress));
  const prefix = `spiffe://${options.trustDomain}/`;
  return (request) => {
    if (!options.enabled) return undefined;
    const raw = request.headers['x-forwarded-client-cert'];
    if (raw === undefined) return undefined;
    if (!request.remoteAddress || !trusted.has(normalizeAddress(request.remoteAddress))) {
      throw new AuthError('ERR_SIGNATURE_INVALID', 'client certificate header from an untrusted peer');
    }
    const value = (typeof raw === 'string' ? raw : raw.join(',')).slice(0, 8192);
    // The proxy nearest to us appends the last element: that is the one it vouches for.
    const elements = splitOutsideQuotes(value, ',');
    const last = elements[elements.length - 1] ?? '';
    let uri: string | undefined;
    for (const pair of splitOutsideQuotes(last, ';')) {
      const eq = pair.indexOf('=');
      if (pair.slice(0, eq).trim().toLowerCase() === 'uri')
        uri = pair
          .slice(eq + 1)
          .trim()
          .replace(/^"|"$/g, '');
    }
    if (!uri?.startsWith(prefix))
      throw new AuthError('ERR_SIGNATURE_INVALID', 'no SPIFFE identity of the trust domain');
    const service = uri.slice(prefix.length).split('/').pop();
    if (!service || !/^[A-Za-z0-9._-]{1,128}$/.test(service)) {
      throw new AuthError('ERR_SIGNATURE_INVALID', 'SPIFFE identity names no service');
    }
    return { kind: 'service', service, roles: [], permissions: [], tokenId: uri, scheme: 'mesh-spiffe' };
  };
}
