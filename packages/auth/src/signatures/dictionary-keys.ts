/**
 * The top-level member keys of a structured-field dictionary, in order, duplicates included.
 * `structured-headers` (like RFC 8941 itself) keeps only the last of two equal keys; a signature
 * verifier must see both, since a duplicate label is how a second signature hides behind a first.
 * Written by hand because no parser exposes duplicates; it only has to find commas at depth 0
 * outside strings, the parser proper still validates the whole value.
 */
export function dictionaryKeys(input: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  let inString = false;
  let memberStart = 0;
  const take = (end: number) => {
    const member = input.slice(memberStart, end);
    const match = /^\s*([a-z*][a-z0-9_\-.*]*)/.exec(member);
    if (match) keys.push(match[1]!);
  };
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      take(i);
      memberStart = i + 1;
    }
  }
  take(input.length);
  return keys;
}
