/**
 * The simulator's side of PolicyService: one request in flight at a time, over unary Act or one
 * long-lived ActStream, with a per-request deadline and the bearer token when one is configured.
 */
import {
  bearerMetadata,
  createClient,
  GrpcStatus,
  rpcError,
  waitForReady,
  type ActRequest,
  type ActResponse__Output,
  type ClientTls,
  type PolicyServiceClient,
} from '@reverie/transport';

// grpc-js types, named through transport's API (the cli does not depend on grpc-js directly).
type ServiceError = ReturnType<typeof rpcError>;
type Metadata = ReturnType<typeof bearerMetadata>;
type ActCall = ReturnType<PolicyServiceClient['ActStream']>;

export interface PolicyCallerOptions {
  target: string;
  stream: boolean;
  deadlineMs: number;
  token?: string;
  tls?: ClientTls;
}

/** Asks the server for actions. `act` rejects with a grpc ServiceError (its `code` says why). */
export interface PolicyCaller {
  act(request: ActRequest): Promise<ActResponse__Output>;
  close(): void;
}

/** The target did not accept a connection in time. */
export class TargetUnreachableError extends Error {
  override name = 'TargetUnreachableError';
}

/** The gRPC status code of a failed call (UNKNOWN for errors that carry none). */
export function grpcCodeOf(e: unknown): number {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : GrpcStatus.UNKNOWN;
}

/**
 * Connects to `target` (waiting up to `connectTimeoutMs`) and returns a caller for Act or ActStream.
 * Throws TargetUnreachableError naming the address when nothing answers.
 */
export async function connectPolicy(opts: PolicyCallerOptions, connectTimeoutMs: number): Promise<PolicyCaller> {
  const client = createClient('PolicyService', opts.target, { tls: opts.tls, token: opts.token });
  try {
    await waitForReady(client, connectTimeoutMs);
  } catch (e) {
    client.close();
    const tlsHint = opts.tls ? ' With TLS, also check --tls-ca, --tls-cert/--tls-key and the certificate\'s host name.' : '';
    throw new TargetUnreachableError(
      `cannot reach PolicyService at ${opts.target}: no connection within ${connectTimeoutMs} ms (${(e as Error).message}). ` +
        `Is the model-server running there? Start one with \`reverie stack up\` and pass its modelServer gRPC address as --target.${tlsHint}`,
    );
  }
  // Over TLS the token travels as call credentials; on a plaintext channel it goes in each call's metadata.
  const metadata = (): Metadata | undefined => (opts.token && !opts.tls ? bearerMetadata(opts.token) : undefined);
  return opts.stream ? new StreamCaller(client, metadata(), opts.deadlineMs) : new UnaryCaller(client, metadata(), opts.deadlineMs);
}

class UnaryCaller implements PolicyCaller {
  constructor(
    private readonly client: PolicyServiceClient,
    private readonly metadata: Metadata | undefined,
    private readonly deadlineMs: number,
  ) {}

  act(request: ActRequest): Promise<ActResponse__Output> {
    return new Promise((resolve, reject) => {
      const done = (err: ServiceError | null, res?: ActResponse__Output): void => {
        if (err) reject(err);
        else if (res) resolve(res);
        else reject(rpcError(GrpcStatus.INTERNAL, 'Act returned neither a response nor an error'));
      };
      const options = { deadline: Date.now() + this.deadlineMs };
      if (this.metadata) this.client.Act(request, this.metadata, options, done);
      else this.client.Act(request, options, done);
    });
  }

  close(): void {
    this.client.close();
  }
}

interface Pending {
  resolve(res: ActResponse__Output): void;
  reject(err: ServiceError): void;
  timer: NodeJS.Timeout;
}

/**
 * One bidirectional stream for the whole run, reopened after it fails. Responses are matched by
 * request_id; a request without an answer within the deadline fails with DEADLINE_EXCEEDED.
 */
class StreamCaller implements PolicyCaller {
  private call: ActCall | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly client: PolicyServiceClient,
    private readonly metadata: Metadata | undefined,
    private readonly deadlineMs: number,
  ) {}

  act(request: ActRequest): Promise<ActResponse__Output> {
    const call = (this.call ??= this.open());
    const id = this.nextId++;
    request.requestId = id;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(rpcError(GrpcStatus.DEADLINE_EXCEEDED, `no ActStream response to request ${id} within ${this.deadlineMs} ms`));
      }, this.deadlineMs);
      this.pending.set(id, { resolve, reject, timer });
      call.write(request);
    });
  }

  close(): void {
    this.call?.end();
    this.call = null;
    this.failAll(rpcError(GrpcStatus.CANCELLED, 'simulator closed the stream'));
    this.client.close();
  }

  private open(): ActCall {
    const call = this.metadata ? this.client.ActStream(this.metadata) : this.client.ActStream();
    call.on('data', (res: ActResponse__Output) => {
      const p = this.pending.get(res.requestId);
      if (!p) return; // answered after its deadline: already counted as an error
      this.pending.delete(res.requestId);
      clearTimeout(p.timer);
      p.resolve(res);
    });
    const broken = (err: ServiceError): void => {
      if (this.call === call) this.call = null;
      this.failAll(err);
    };
    call.on('error', broken);
    call.on('end', () => broken(rpcError(GrpcStatus.UNAVAILABLE, 'the server ended the ActStream')));
    return call;
  }

  private failAll(err: ServiceError): void {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }
}
