import { type ErrorCodeTable, errorClassFor } from '@interlink/core';

/** The codes the platform's services answer beyond core's and auth's. Each is listed in `docs/errors.md`. */
export const platformErrorCodes = {
  ERR_TENANT_REQUIRED: { status: 400, title: 'A signed tenant is required' },
  ERR_TRANSFER_REFUSED: { status: 409, title: 'The ticket cannot be transferred' },
  ERR_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused for another request' },
  ERR_RESPONSE_CONTRACT: { status: 500, title: 'The answer does not match the contract' },
  ERR_PLATFORM_CONFIG: { status: 500, title: 'Invalid platform configuration' },
} as const satisfies ErrorCodeTable;

export type PlatformErrorCode = keyof typeof platformErrorCodes;

/** The error class of the platform's services; status and title come from {@link platformErrorCodes}. */
export const PlatformError = errorClassFor('PlatformError', platformErrorCodes);
export type PlatformError = InstanceType<typeof PlatformError>;
