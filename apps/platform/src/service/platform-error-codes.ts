import { defineErrorCodes, errorClassFor } from '@interlink/core';

/** The codes the platform's services answer beyond core's and auth's. Each is listed in `docs/errors.md`. */
export const platformErrorCodes = defineErrorCodes(`
  ERR_TENANT_REQUIRED         400 A signed tenant is required
  ERR_TRANSFER_REFUSED        409 The ticket cannot be transferred
  ERR_IDEMPOTENCY_KEY_REUSED  422 Idempotency-Key reused for another request
  ERR_RESPONSE_CONTRACT       500 The answer does not match the contract
  ERR_PLATFORM_CONFIG         500 Invalid platform configuration
`);

export type PlatformErrorCode = keyof typeof platformErrorCodes;

/** The error class of the platform's services; status and title come from {@link platformErrorCodes}. */
export class PlatformError extends errorClassFor('PlatformError', platformErrorCodes) {}
