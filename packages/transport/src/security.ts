/**
 * TLS, mutual TLS and bearer tokens, by config. Without TLS everything is plaintext, which is only
 * safe on loopback (the default bind address everywhere).
 */
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  /** PEM certificate and key of this side. */
  certFile: string;
  keyFile: string;
  /** PEM CA bundle that signs the other side (server: clients' CA, required for mutual TLS). */
  caFile?: string;
  /** Server only: require and verify a client certificate. */
  requireClientCert?: boolean;
}

export interface ClientTls {
  /** PEM CA that signed the server; omit to use the system roots. */
  caFile?: string;
  /** Client certificate and key, for mutual TLS. */
  certFile?: string;
  keyFile?: string;
  /** Name to verify in the server certificate when it differs from the target host. */
  serverName?: string;
}

export function serverCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  const ca = tls.caFile ? readFileSync(tls.caFile) : null;
  if (tls.requireClientCert && !ca) throw new Error('TLS: requireClientCert needs caFile (the clients\' CA)');
  return grpc.ServerCredentials.createSsl(
    ca,
    [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }],
    tls.requireClientCert ?? false,
  );
}

/** Channel credentials, with the bearer token attached to every call when one is given. */
export function clientCredentials(tls: ClientTls | undefined, token?: string): grpc.ChannelCredentials {
  let creds: grpc.ChannelCredentials;
  // grpc-js refuses call credentials on an insecure channel: there the caller adds bearerMetadata().
  if (!tls) return grpc.credentials.createInsecure();
  creds = grpc.credentials.createSsl(
    tls.caFile ? readFileSync(tls.caFile) : null,
    tls.keyFile ? readFileSync(tls.keyFile) : null,
    tls.certFile ? readFileSync(tls.certFile) : null,
  );
  if (token) {
    creds = grpc.credentials.combineChannelCredentials(
      creds,
      grpc.credentials.createFromMetadataGenerator((_params, cb) => cb(null, bearerMetadata(token))),
    );
  }
  return creds;
}

export function bearerMetadata(token: string, md = new grpc.Metadata()): grpc.Metadata {
  md.set('authorization', `Bearer ${token}`);
  return md;
}

/** True when the call's metadata carries `authorization: Bearer <token>` (constant-time compare). */
export function hasBearerToken(metadata: grpc.Metadata, token: string): boolean {
  const values = metadata.get('authorization');
  const expected = Buffer.from(`Bearer ${token}`);
  return values.some((v) => {
    const got = Buffer.from(String(v));
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}
