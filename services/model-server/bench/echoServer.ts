/**
 * The baseline: a bare grpc-js PolicyService (same server setup as the model-server, from
 * @reverie/transport) that answers every Act with a fixed response, no batching, no policy.
 */
import { encodeTensor, reverieV1, startGrpcServer, type ActResponse, type PolicyServiceHandlers } from '@reverie/transport';

const fixed = (requestId: number): ActResponse => ({ action: encodeTensor(new Int32Array([1]), []), version: 1, requestId });

const handlers: PolicyServiceHandlers = {
  Act: (call, callback) => callback(null, fixed(call.request.requestId)),
  ActStream: (call) => {
    call.on('data', (req: { requestId: number }) => call.write(fixed(req.requestId)));
    call.on('end', () => call.end());
  },
};

const server = await startGrpcServer({
  services: [{ name: 'reverie.v1.PolicyService', definition: reverieV1().PolicyService.service, implementation: handlers }],
});
process.on('SIGTERM', () => void server.close(1000).then(() => process.exit(0)));
process.stdout.write(`READY ${JSON.stringify({ service: 'echo', grpc: server.address })}\n`);
