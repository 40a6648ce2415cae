import { expect } from 'vitest';
import { ClientError } from '../errors/client-error.js';

/**
 * The ClientError a call rejects with. Fails the test when the call resolves or rejects with
 * anything else; the failure is raised outside any `catch`, so nothing can swallow it.
 */
export async function rejection(call: Promise<unknown>): Promise<ClientError> {
  let error: unknown;
  let rejected = false;
  try {
    await call;
  } catch (e) {
    rejected = true;
    error = e;
  }
  if (!rejected) expect.fail('the call should have failed');
  expect(error).toBeInstanceOf(ClientError);
  return error as ClientError;
}
