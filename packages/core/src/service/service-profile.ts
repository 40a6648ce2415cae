import type { HelmetOptions } from 'helmet';
import { CoreError } from '../errors/interlink-error.js';
import { API_HELMET_OPTIONS, helmetHeaders } from './security-headers.js';

/**
 * Who calls a service, and so which response headers it writes on top of the request id.
 * - `internal`: other services. Browser security headers protect nothing there and each costs time
 *   on every response, so it writes only `x-request-id`.
 * - `public`: what browsers reach. The full browser set from helmet, computed once.
 * Both have the same request id, trace context, request context, metrics, problems and logging.
 */
export type ServiceProfile = 'internal' | 'public';

export const SERVICE_PROFILES: readonly ServiceProfile[] = ['internal', 'public'];

/**
 * The fixed headers a profile adds to every response (the request id is written separately): none
 * for `internal`; helmet's headers for `public`, from `helmet` options ({@link API_HELMET_OPTIONS} by
 * default) or none when `helmet` is `false` (a proxy in front writes them).
 */
export function profileHeaders(
  profile: ServiceProfile,
  helmet: Readonly<HelmetOptions> | false | undefined,
): Readonly<Record<string, string>> | undefined {
  if (!SERVICE_PROFILES.includes(profile)) {
    throw new CoreError(
      'ERR_CONFIG_INVALID',
      `Unknown service profile '${String(profile)}': set the option profile to 'internal' or 'public'`,
      { extensions: { option: 'profile' } },
    );
  }
  if (profile === 'internal') {
    if (helmet) {
      throw new CoreError(
        'ERR_CONFIG_INVALID',
        "the option helmet applies to the 'public' profile; the 'internal' one writes no browser headers: drop helmet or set profile: 'public'",
        { extensions: { option: 'helmet' } },
      );
    }
    return undefined;
  }
  if (helmet === false) return undefined;
  const headers = helmetHeaders(helmet ?? API_HELMET_OPTIONS);
  return Object.keys(headers).length > 0 ? headers : undefined;
}
