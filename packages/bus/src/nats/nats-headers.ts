import type { MsgHdrs } from '@nats-io/transport-node';

/** NATS headers as a record with lower-case keys, first value of each. */
export function headersToRecord(h: MsgHdrs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  for (const [key, values] of h) out[key.toLowerCase()] = values[0] ?? '';
  return out;
}
