export { PROTO_ROOT, PROTO_FILES, LOADER_OPTIONS, reverieV1, reverieDefinition, type ReverieV1 } from './protos.js';
export {
  encodeTensor,
  decodeTensor,
  requireFinite,
  TensorError,
  type DTypeName,
  type TensorArray,
  type TensorArrayOf,
  type TensorExpectation,
  type DecodedTensor,
  type WireTensor,
} from './tensor.js';
export {
  startGrpcServer,
  DEFAULT_MAX_MESSAGE_BYTES,
  type ServiceBinding,
  type StartServerOptions,
  type RunningServer,
} from './server.js';
export { createClient, waitForReady, type ClientOptions } from './client.js';
export {
  serverCredentials,
  clientCredentials,
  bearerMetadata,
  hasBearerToken,
  type TlsFiles,
  type ClientTls,
} from './security.js';
export { rpcError, statusName, GrpcStatus } from './errors.js';
export * from './messages.js';
export { startNatsServer, freePort, type NatsServerOptions, type RunningNatsServer } from './natsServer.js';
export {
  WEIGHTS_BUCKET,
  checkPolicyName,
  weightsSubject,
  weightsObjectName,
  sha256Hex,
  connectNats,
  openWeightsStore,
  publishWeights,
  announceStored,
  fitsInline,
  deleteWeightsObject,
  fetchAnnouncedWeights,
  subscribeWeights,
  WeightsIntegrityError,
  type NatsConnectOptions,
} from './weightsBus.js';
export { encodeAnnouncement, decodeAnnouncement } from './announcement.js';
export type { NatsConnection, ObjectStore, Subscription } from 'nats';
export type { TrajectorySink, WeightsPublisher, WeightsUpdate, WeightsFeed } from './contracts.js';
export { createNatsWeightsFeed, fetchWeightsOverGrpc, type NatsWeightsFeedOptions } from './natsWeightsFeed.js';
