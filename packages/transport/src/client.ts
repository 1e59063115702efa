import * as grpc from '@grpc/grpc-js';
import { reverieV1, type ReverieV1 } from './protos.js';
import { clientCredentials, type ClientTls } from './security.js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './server.js';

export interface ClientOptions {
  tls?: ClientTls;
  /** Bearer token: sent on every call (over TLS as call credentials; without TLS add bearerMetadata yourself). */
  token?: string;
  maxMessageBytes?: number;
  /** Extra channel options (keepalive, reconnect backoff, ...). */
  channelOptions?: grpc.ChannelOptions;
}

type ServiceName = keyof ReverieV1;
type ClientOf<S extends ServiceName> = InstanceType<ReverieV1[S]>;

/** A typed client for one reverie.v1 service at `target` (host:port). */
export function createClient<S extends ServiceName>(service: S, target: string, opts: ClientOptions = {}): ClientOf<S> {
  const Ctor = reverieV1()[service];
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const options: grpc.ChannelOptions = {
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
    ...(opts.tls?.serverName ? { 'grpc.ssl_target_name_override': opts.tls.serverName } : {}),
    ...opts.channelOptions,
  };
  return new Ctor(target, clientCredentials(opts.tls, opts.token), options) as ClientOf<S>;
}

/** Resolves when the client's channel is ready, or rejects after timeoutMs. */
export function waitForReady(client: grpc.Client, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    client.waitForReady(Date.now() + timeoutMs, (err) => (err ? reject(err) : resolve()));
  });
}
