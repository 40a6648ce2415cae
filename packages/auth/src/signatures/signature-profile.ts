import { AuthError } from '../errors/auth-error.js';
import {
  IDENTITY_HEADERS,
  MAX_SIGNATURE_VALIDITY_SECONDS,
  SIGNATURE_TAG,
  TARGET_COMPONENTS,
} from './profile.js';

/**
 * What a verifier demands of a signature (RFC 9421 §1.4 "application requirements"). Interlink's
 * own profile ({@link INTERLINK_PROFILE}) is the default; other systems' signatures are checked
 * with a profile that says which tag (or label) marks them, what they must cover and which
 * parameters they must carry.
 */
export interface SignatureProfile {
  /** The `tag` a signature must carry to be selected; others are ignored. Without it, `label` selects. */
  tag?: string;
  /** The label to verify when no `tag` is set; without either the header must hold one signature. */
  label?: string;
  /**
   * Components every signature must cover: a name (`@method`, `content-type`) or a serialized
   * component identifier with parameters (`"content-digest";req`, `"@query-param";name="id"`).
   */
  required?: readonly string[];
  /** Header fields that must be covered whenever the message carries them (identity headers). */
  coveredWhenPresent?: readonly string[];
  /** With a body, `content-digest` must be covered, and `content-type` when present; true by default. */
  requireBodyCoverage?: boolean;
  /** A `nonce` parameter is required (and claimed in the nonce store); a nonce present is always claimed. */
  requireNonce?: boolean;
  /** An `expires` parameter is required. */
  requireExpires?: boolean;
  /** An `alg` parameter is required (it must name the key's algorithm whenever present). */
  requireAlg?: boolean;
  /** How old `created` may be, in seconds (plus the clock skew); at most 300, the default. */
  maxAgeSeconds?: number;
}

/** Interlink's request profile: the default of the verifier (see the README's design decisions). */
export const INTERLINK_PROFILE: SignatureProfile = Object.freeze({
  tag: SIGNATURE_TAG,
  required: TARGET_COMPONENTS,
  coveredWhenPresent: IDENTITY_HEADERS,
  requireBodyCoverage: true,
  requireNonce: true,
  requireExpires: true,
  requireAlg: true,
  maxAgeSeconds: MAX_SIGNATURE_VALIDITY_SECONDS,
});

/**
 * Interlink's response profile: the status and, with `;req` (RFC 9421 §2.4), the request it
 * answers, so a response cannot be replayed as the answer to another request.
 */
export const INTERLINK_RESPONSE_PROFILE: SignatureProfile = Object.freeze({
  tag: SIGNATURE_TAG,
  required: ['@status', '"@method";req', '"@authority";req', '"@path";req', '"@query";req'],
  coveredWhenPresent: [],
  requireBodyCoverage: true,
  requireNonce: false,
  requireExpires: true,
  requireAlg: true,
  maxAgeSeconds: MAX_SIGNATURE_VALIDITY_SECONDS,
});

/** A profile with the work of each verification done once, at configuration time. */
export interface CompiledProfile {
  tag: string | undefined;
  label: string | undefined;
  /** Required components without parameters, by name. */
  requiredNames: readonly string[];
  /** Required components with parameters, serialized (`"content-digest";req`). */
  requiredItems: readonly string[];
  coveredWhenPresent: readonly string[];
  requireBodyCoverage: boolean;
  requireNonce: boolean;
  requireExpires: boolean;
  requireAlg: boolean;
  maxAgeSeconds: number;
}

const PLAIN_SERIALIZED = /^"([^"\\]+)"$/;

/**
 * Checks and prepares a profile.
 * @throws AuthError `ERR_AUTH_CONFIG` for a profile that could never select or bound a signature
 */
export function compileProfile(profile: SignatureProfile): CompiledProfile {
  const maxAgeSeconds = profile.maxAgeSeconds ?? MAX_SIGNATURE_VALIDITY_SECONDS;
  if (!(maxAgeSeconds > 0 && maxAgeSeconds <= MAX_SIGNATURE_VALIDITY_SECONDS)) {
    throw new AuthError('ERR_AUTH_CONFIG', `maxAgeSeconds must be in (0, ${MAX_SIGNATURE_VALIDITY_SECONDS}]`);
  }
  const requiredNames: string[] = [];
  const requiredItems: string[] = [];
  for (const id of profile.required ?? []) {
    if (!id.startsWith('"')) requiredNames.push(id);
    else {
      const plain = PLAIN_SERIALIZED.exec(id);
      if (plain) requiredNames.push(plain[1]!);
      else requiredItems.push(id);
    }
  }
  return {
    tag: profile.tag,
    label: profile.tag === undefined ? profile.label : undefined,
    requiredNames,
    requiredItems,
    coveredWhenPresent: [...(profile.coveredWhenPresent ?? [])],
    requireBodyCoverage: profile.requireBodyCoverage ?? true,
    requireNonce: profile.requireNonce ?? false,
    requireExpires: profile.requireExpires ?? false,
    requireAlg: profile.requireAlg ?? false,
    maxAgeSeconds,
  };
}
