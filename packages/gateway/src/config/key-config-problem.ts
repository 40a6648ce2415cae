import { isAuthError } from '@interlink/auth';

/**
 * A problem with a key variable, worded so it can be printed: it names key ids and positions,
 * never key material.
 */
export class KeyConfigProblem extends Error {
  override readonly name = 'KeyConfigProblem';
}

/**
 * The printable reason a key variable was refused. Only our own problems and auth's configuration
 * errors (which name key ids, not keys) are shown; anything else, such as a parser message that
 * quotes its input, is replaced by a generic one.
 */
export function keyProblemMessage(error: unknown): string {
  if (error instanceof KeyConfigProblem) return error.message;
  if (isAuthError(error) && error.code === 'ERR_AUTH_CONFIG') return error.message;
  return 'could not be read';
}

/** `JSON.parse` without its message, which quotes part of the input (here: secrets). */
export function parseJson(value: string, what: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw new KeyConfigProblem(`${what} is not valid JSON`);
  }
}

/**
 * PEM blocks in a variable. Env files and secret stores often carry newlines as a literal `\n`,
 * so those are turned back into newlines first.
 */
export function pemBlocks(value: string): Array<{ label: string; pem: string }> {
  const text = value.replace(/\\n/g, '\n');
  return [...text.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g)].map((match) => ({
    label: match[1]!,
    pem: `${match[0]}\n`,
  }));
}
