// Test support for auth's verifier tests, named *.test.helper.ts: vitest does not collect it, and the
// package's `files` (`!dist/**/*.test.*`) leaves it out of what is published.

/** What a refused verification reports: its stable code, or the error itself when it has none. */
function codeOfError(error: unknown): string {
  return (error as { code?: string }).code ?? String(error);
}

/**
 * `'accepted'` when `promise` resolves, else the code it rejects with: one string per case, so a
 * table of cases can expect acceptance and each refusal alike. `accepted` names a resolved value
 * where the verifier's answer tells cases apart (a legacy verifier resolves `undefined` when the
 * request carries none of its credentials).
 */
export async function codeOf(
  promise: Promise<unknown>,
  accepted: (value: unknown) => string = () => 'accepted',
): Promise<string> {
  let value: unknown;
  try {
    value = await promise;
  } catch (error) {
    return codeOfError(error);
  }
  return accepted(value);
}

/** {@link codeOf} for a check that throws rather than rejects (key configuration, webhooks). */
export function thrownCode(check: () => unknown): string {
  try {
    check();
  } catch (error) {
    return codeOfError(error);
  }
  return 'accepted';
}

/** An AuthError without a message reads as nothing in a log or a problem's detail: a plain error here. */
function requireMessage(error: unknown): unknown {
  const { code, message } = error as { code?: string; message?: string };
  return code !== undefined && !message ? new Error(`${code} refused without a message`) : error;
}

/** {@link codeOf}, where a refusal must also say why (a non-empty message). */
export function explainedCodeOf(
  promise: Promise<unknown>,
  accepted?: (value: unknown) => string,
): Promise<string> {
  return codeOf(
    promise.catch((error: unknown) => {
      throw requireMessage(error);
    }),
    accepted,
  );
}

/** {@link thrownCode}, where a refusal must also say why (a non-empty message). */
export function explainedThrownCode(check: () => unknown): string {
  return thrownCode(() => {
    try {
      return check();
    } catch (error) {
      throw requireMessage(error);
    }
  });
}
