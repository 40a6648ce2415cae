/**
 * A stream token for `jwt` from the gateway's `POST /events/token`, as a browser gets one before
 * it opens an `EventSource` (which cannot send an Authorization header). Throws with the answer
 * when the gateway refuses.
 */
export async function issueStreamToken(gatewayUrl: string, jwt: string): Promise<string> {
  const issued = await fetch(`${gatewayUrl}/events/token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${jwt}` },
  });
  if (issued.status !== 200) {
    throw new Error(`POST /events/token answered ${issued.status}: ${await issued.text()}`);
  }
  return ((await issued.json()) as { token: string }).token;
}
