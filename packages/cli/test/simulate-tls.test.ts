import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultModelServerConfig, startModelServer } from '@reverie/model-server';
import { encodePolicyWeights, expectedTensors, type MlpQSpec } from '@reverie/policy';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulateReport } from '../src/commands/simulate-report.js';
import { bufferIO } from '../src/io.js';
import { runCli } from '../src/program.js';
import { tempDirs } from './stack-helpers.js';

const dirs = tempDirs('reverie-simulate-tls-');
afterAll(dirs.removeAll);

/** A throwaway CA with a server certificate for 127.0.0.1 and a client certificate (openssl, EC P-256, 1 day). */
async function certificates(dir: string): Promise<Record<'ca' | 'serverCert' | 'serverKey' | 'clientCert' | 'clientKey', string>> {
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const key = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...key, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=simulate-test-ca');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const who of ['server', 'client']) {
    openssl('req', ...key, '-keyout', `${who}.key`, '-out', `${who}.csr`, '-subj', `/CN=${who}`);
    openssl('x509', '-req', '-in', `${who}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${who}.pem`, '-days', '1', '-extfile', 'san.ext');
  }
  const at = (f: string): string => join(dir, f);
  return { ca: at('ca.pem'), serverCert: at('server.pem'), serverKey: at('server.key'), clientCert: at('client.pem'), clientKey: at('client.key') };
}

function policyBytes(): Uint8Array {
  const spec: MlpQSpec = { kind: 'mlp-q', obsShape: [4], numActions: 2, hidden: [], activation: 'relu' };
  const tensors = Object.fromEntries(expectedTensors(spec).map(([name, shape]) => [name, new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(0.1)]));
  return encodePolicyWeights(spec, tensors);
}

describe('reverie simulate over mutual TLS', () => {
  it('acts with a client certificate; without one it cannot connect and says so', async () => {
    const certs = await certificates(await dirs.make());
    const server = await startModelServer(
      defaultModelServerConfig({
        grpcPort: 0,
        metricsPort: 0,
        storeDir: await dirs.make(),
        logLevel: 'warn',
        tls: { certFile: certs.serverCert, keyFile: certs.serverKey, caFile: certs.ca, requireClientCert: true },
      }),
    );
    try {
      await server.registry.publish({ policy: 'cartpole', algo: 'dqn' }, policyBytes());
      const out = await dirs.make();
      const io = bufferIO();
      const tlsArgs = ['--tls-ca', certs.ca, '--tls-cert', certs.clientCert, '--tls-key', certs.clientKey];
      expect(await runCli(['simulate', '--target', server.address, '--episodes', '1', '--out', out, ...tlsArgs], io), io.err.join('')).toBe(0);
      const report = JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as SimulateReport;
      expect(report.versions.seen).toEqual([1]);

      const stranger = bufferIO();
      expect(await runCli(['simulate', '--target', server.address, '--episodes', '1', '--out', out, '--tls-ca', certs.ca, '--connect-timeout-ms', '1500'], stranger)).toBe(1);
      expect(stranger.err.join('')).toMatch(/cannot reach PolicyService at 127\.0\.0\.1:\d+.*With TLS, also check --tls-ca/s);
    } finally {
      await server.close();
    }
  });
});
