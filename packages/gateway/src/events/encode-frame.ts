/**
 * Encodes one SSE frame. Each event is encoded once and the same bytes are written to every
 * connection that receives it. Data is split on every line ending the SSE spec recognises (CRLF,
 * CR, LF), so a payload with newlines can neither end the frame early nor inject fields.
 */
export function encodeFrame(fields: { id?: string; event?: string; data: string }): Buffer {
  let text = '';
  if (fields.id !== undefined) text += `id: ${singleLine(fields.id)}\n`;
  if (fields.event !== undefined) text += `event: ${singleLine(fields.event)}\n`;
  for (const line of fields.data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return Buffer.from(`${text}\n`, 'utf8');
}

function singleLine(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses
  return value.replace(/[\r\n\u0000]/g, '');
}

/** A comment line: ignored by clients, keeps proxies from timing the connection out. */
export const PING_FRAME = Buffer.from(': ping\n\n', 'utf8');
