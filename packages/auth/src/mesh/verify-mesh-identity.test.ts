import { describe, expect, it } from 'vitest';
import { createMeshIdentityVerifier } from './verify-mesh-identity.js';

const xfcc =
  'By=spiffe://cluster.local/ns/platform/sa/integration-service;Hash=abc;URI=spiffe://cluster.local/ns/platform/sa/event-service';

describe('service-mesh mode', () => {
  const verify = createMeshIdentityVerifier({
    enabled: true,
    trustedProxies: ['127.0.0.1'],
    trustDomain: 'cluster.local',
  });

  it('takes the service from the SPIFFE URI set by a trusted proxy', () => {
    const principal = verify({
      remoteAddress: '::ffff:127.0.0.1',
      headers: { 'x-forwarded-client-cert': xfcc },
    });
    expect(principal).toMatchObject({ kind: 'service', service: 'event-service', scheme: 'mesh-spiffe' });
  });

  it('uses the element appended by the nearest proxy', () => {
    const chained = `URI=spiffe://cluster.local/ns/x/sa/forged-service,${xfcc}`;
    expect(
      verify({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-client-cert': chained } })?.service,
    ).toBe('event-service');
  });

  it('refuses the header from any other peer, and identities of another trust domain', () => {
    expect(() => verify({ remoteAddress: '10.0.0.9', headers: { 'x-forwarded-client-cert': xfcc } })).toThrow(
      expect.objectContaining({ code: 'ERR_SIGNATURE_INVALID' }),
    );
    const foreign = 'URI=spiffe://evil.example/ns/x/sa/event-service';
    expect(() =>
      verify({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-client-cert': foreign } }),
    ).toThrow(expect.objectContaining({ code: 'ERR_SIGNATURE_INVALID' }));
  });

  it('is off unless enabled, and never reads a bare service-name header', () => {
    const off = createMeshIdentityVerifier({
      enabled: false,
      trustedProxies: ['127.0.0.1'],
      trustDomain: 'cluster.local',
    });
    expect(off({ remoteAddress: '127.0.0.1', headers: { 'x-forwarded-client-cert': xfcc } })).toBeUndefined();
    expect(
      verify({ remoteAddress: '127.0.0.1', headers: { 'x-service-name': 'event-service' } }),
    ).toBeUndefined();
  });
});
