import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClient, encodeTensor, GrpcStatus, type ClientTls } from '@reverie/transport';
import { defaultModelServerConfig, GrpcWeightsPublisher, startModelServer } from '../src/index.js';
import { act, rejection } from './grpcClient.js';
import { signPolicy, tempDir } from './helpers.js';

/** A throwaway CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl. */
function makeCertificates(dir: string): Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string> {
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=reverie-test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl('req', ...ec, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', 'san.ext');
  }
  const p = (f: string): string => join(dir, f);
  return { ca: p('ca.pem'), serverCert: p('server.pem'), serverKey: p('server.key'), clientCert: p('client.pem'), clientKey: p('client.key') };
}

describe('mutual TLS', () => {
  it('serves publishers and simulators that present a client certificate, and nobody else', async () => {
    const certs = makeCertificates(tempDir('reverie-ms-tls-'));
    const server = await startModelServer(
      defaultModelServerConfig({
        grpcPort: 0,
        metricsPort: 0,
        storeDir: tempDir(),
        logLevel: 'warn',
        token: 'tls-token',
        tls: { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.ca, requireClientCert: true },
      }),
    );
    const tls: ClientTls = { caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey };
    const publisher = new GrpcWeightsPublisher(server.address, { tls, token: 'tls-token' });
    const simulator = createClient('PolicyService', server.address, { tls });
    const stranger = createClient('PolicyService', server.address, { tls: { caFile: certs.ca } });
    const observation = encodeTensor(new Float32Array([1, 0, 0, 0]), [4]);
    try {
      // the token travels as call credentials over TLS
      expect((await publisher.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(0))).version).toBe(1);
      const tokenless = new GrpcWeightsPublisher(server.address, { tls });
      expect((await rejection(tokenless.publish({ policy: 'cartpole', algo: 'mlp-q' }, signPolicy(1)))).code).toBe(GrpcStatus.UNAUTHENTICATED);
      tokenless.close();
      expect((await act(simulator, { observation })).version).toBe(1);
      expect((await rejection(act(stranger, { observation }))).code).toBe(GrpcStatus.UNAVAILABLE);
    } finally {
      publisher.close();
      simulator.close();
      stranger.close();
      await server.close();
    }
  });
});
