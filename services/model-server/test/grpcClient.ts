/** Small promise wrappers over the generated gRPC clients, for the tests. */
import {
  bearerMetadata,
  createClient,
  type ModelServiceClient,
  type PolicyServiceClient,
  type WeightsChunk,
  type WeightsMetadata__Output,
  type ActRequest,
  type ActResponse__Output,
} from '@reverie/transport';

export type RpcFailure = Error & { code: number; details: string };

export function modelClient(address: string): ModelServiceClient {
  return createClient('ModelService', address);
}

export function policyClient(address: string): PolicyServiceClient {
  return createClient('PolicyService', address);
}

/** Sends raw chunks to PublishWeights (for malformed uploads the publisher helper never makes). */
export function uploadChunks(client: ModelServiceClient, chunks: WeightsChunk[], token?: string): Promise<WeightsMetadata__Output> {
  return new Promise((resolve, reject) => {
    const call = client.PublishWeights(token ? bearerMetadata(token) : bearerMetadata('none-given'), (err, res) =>
      err ? reject(err) : resolve(res!.metadata!),
    );
    call.on('error', () => undefined);
    for (const c of chunks) call.write(c);
    call.end();
  });
}

export function listVersions(client: ModelServiceClient, policy = ''): Promise<number[]> {
  return new Promise((resolve, reject) => {
    client.ListVersions({ policy }, (err, res) => (err ? reject(err) : resolve(res!.versions.map((v) => v.version))));
  });
}

export function act(client: PolicyServiceClient, req: ActRequest): Promise<ActResponse__Output> {
  return new Promise((resolve, reject) => client.Act(req, (err, res) => (err ? reject(err) : resolve(res!))));
}

/** Resolves with the rejection of `p` (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<RpcFailure> {
  try {
    await p;
  } catch (err) {
    return err as RpcFailure;
  }
  throw new Error('expected the call to fail');
}
