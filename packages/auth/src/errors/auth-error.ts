import { errorClassFor } from '@interlink/core';
import { authErrorCodes } from './auth-error-codes.js';

/** The error every `@interlink/auth` check throws; `code` is one of {@link authErrorCodes}. */
export const AuthError = errorClassFor('AuthError', authErrorCodes);
export type AuthError = InstanceType<typeof AuthError>;

/** True for an {@link AuthError} (checked by class). */
export function isAuthError(error: unknown): error is AuthError {
  return error instanceof AuthError;
}
