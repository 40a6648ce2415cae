import { isInterlinkError } from '@interlink/core';

/** A predicate for `expect(...).toSatisfy()`: an Interlink error with this code. */
export function isInterlinkErrorWithCode(code: string): (value: unknown) => boolean {
  return (value) => isInterlinkError(value) && value.code === code;
}
