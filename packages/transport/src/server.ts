/**
 * One way to start a gRPC server for every service: health (grpc.health.v1), server reflection,
 * TLS by config, message size limits, and a clean shutdown that lets calls in flight finish.
 */
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, protoPath as healthProtoPath } from 'grpc-health-check';
import { reverieDefinition } from './protos.js';
import { serverCredentials, type TlsFiles } from './security.js';

/** 16 MiB: weights stream in 1 MiB chunks, so only a malformed call comes near it. */
export const DEFAULT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export interface ServiceBinding {
  /** Full service name for health checks, e.g. "reverie.v1.PolicyService". */
  name: string;
  definition: grpc.ServiceDefinition;
  implementation: grpc.UntypedServiceImplementation;
}

export interface StartServerOptions {
  services: ServiceBinding[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tls?: TlsFiles;
  maxMessageBytes?: number;
}

export interface RunningServer {
  server: grpc.Server;
  host: string;
  port: number;
  /** host:port, for clients. */
  address: string;
  health: HealthImplementation;
  /** Marks every service (and the server as a whole) SERVING or NOT_SERVING. */
  setServing(serving: boolean): void;
  /** Stops accepting calls, waits up to graceMs for calls in flight, then forces. */
  close(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const maxBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const server = new grpc.Server({
    'grpc.max_receive_message_length': maxBytes,
    'grpc.max_send_message_length': maxBytes,
  });
  for (const s of opts.services) server.addService(s.definition, s.implementation);
  const health = new HealthImplementation({ '': 'NOT_SERVING' });
  health.addToServer(server);
  const healthDefinition = protoLoader.loadSync(healthProtoPath, { keepCase: true });
  new ReflectionService({ ...reverieDefinition(), ...healthDefinition }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${opts.port ?? 0}`, serverCredentials(opts.tls), (err, p) =>
      err ? reject(new Error(`gRPC server could not bind ${host}:${opts.port ?? 0}: ${err.message}`)) : resolve(p),
    );
  });
  const setServing = (serving: boolean): void => {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    health.setStatus('', status);
    for (const s of opts.services) health.setStatus(s.name, status);
  };
  setServing(true);
  return {
    server,
    host,
    port,
    address: `${host.includes(':') ? `[${host}]` : host}:${port}`,
    health,
    setServing,
    close: (graceMs = 5000) => closeServer(server, setServing, graceMs),
  };
}

function closeServer(server: grpc.Server, setServing: (s: boolean) => void, graceMs: number): Promise<void> {
  setServing(false);
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
