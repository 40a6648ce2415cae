import { AuthError } from '../errors/auth-error.js';
import { secretList } from './compare-signature.js';

/**
 * What one provider issues as a webhook secret: `problem` says what is wrong with a configured
 * value, or nothing when it has the shape and length the provider gives out.
 */
export interface WebhookSecretRule {
  /** The option as the caller writes it, e.g. `Stripe webhook option \`secret\``. */
  option: string;
  problem(secret: string): string | undefined;
}

/** A rule for a provider whose secrets are opaque strings of at least `minLength` characters. */
export function minLengthRule(option: string, minLength: number, issued: string): WebhookSecretRule {
  return {
    option,
    problem: (secret) =>
      secret.length < minLength ? `must be at least ${minLength} characters (${issued})` : undefined,
  };
}

/**
 * The configured secret(s), each checked when the verifier is created: an empty or short secret
 * makes an HMAC anyone can compute, so the verifier refuses to exist rather than to accept them.
 * @throws AuthError `ERR_WEBHOOK_SECRET_WEAK` naming the option
 */
export function checkedSecrets(
  rule: WebhookSecretRule,
  value: string | readonly string[],
): readonly string[] {
  const secrets = secretList(value);
  if (secrets.length === 0) throw new AuthError('ERR_WEBHOOK_SECRET_WEAK', `${rule.option}: no secret given`);
  for (const secret of secrets) {
    const problem = typeof secret === 'string' ? rule.problem(secret) : 'must be a string';
    if (problem !== undefined) throw new AuthError('ERR_WEBHOOK_SECRET_WEAK', `${rule.option}: ${problem}`);
  }
  return secrets;
}

/**
 * The tolerance of a provider that signs a timestamp: a positive number of seconds.
 * @throws AuthError `ERR_AUTH_CONFIG` naming the option
 */
export function checkedTolerance(option: string, value: number | undefined): number {
  const seconds = value ?? 300;
  if (!(Number.isFinite(seconds) && seconds > 0))
    throw new AuthError('ERR_AUTH_CONFIG', `${option}: must be a positive number of seconds`);
  return seconds;
}
