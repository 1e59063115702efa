/**
 * The reverie.v1 contract, loaded at run time from the .proto files (they are the source of truth)
 * and typed by the interfaces that proto-loader generated from them (src/generated; regenerate with
 * `pnpm --filter @reverie/transport gen:protos`, a test fails when they are stale).
 */
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as EnvProto } from './generated/env.js';
import type { ProtoGrpcType as LearnerProto } from './generated/learner.js';
import type { ProtoGrpcType as ModelProto } from './generated/model.js';
import type { ProtoGrpcType as PolicyProto } from './generated/policy.js';

/** Folder holding `reverie/v1/*.proto` (the repository's protos/). */
export const PROTO_ROOT = fileURLToPath(new URL('../../../protos', import.meta.url));

export const PROTO_FILES = [
  'reverie/v1/tensor.proto',
  'reverie/v1/learner.proto',
  'reverie/v1/model.proto',
  'reverie/v1/policy.proto',
  'reverie/v1/env.proto',
] as const;

/** The options the generated types assume: 64-bit ints as numbers, enums as names, defaults filled in. */
export const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_ROOT],
};

export interface ReverieV1 {
  LearnerService: LearnerProto['reverie']['v1']['LearnerService'];
  ModelService: ModelProto['reverie']['v1']['ModelService'];
  PolicyService: PolicyProto['reverie']['v1']['PolicyService'];
  EnvService: EnvProto['reverie']['v1']['EnvService'];
}

let cached: { definition: protoLoader.PackageDefinition; v1: ReverieV1 } | undefined;

function load(): { definition: protoLoader.PackageDefinition; v1: ReverieV1 } {
  if (!cached) {
    const definition = protoLoader.loadSync([...PROTO_FILES], LOADER_OPTIONS);
    const root = grpc.loadPackageDefinition(definition) as unknown as
      LearnerProto & ModelProto & PolicyProto & EnvProto;
    const v1 = root.reverie.v1;
    cached = {
      definition,
      v1: {
        LearnerService: v1.LearnerService,
        ModelService: v1.ModelService,
        PolicyService: v1.PolicyService,
        EnvService: v1.EnvService,
      },
    };
  }
  return cached;
}

/** Client constructors and service definitions of reverie.v1. */
export function reverieV1(): ReverieV1 {
  return load().v1;
}

/** The package definition (for server reflection). */
export function reverieDefinition(): protoLoader.PackageDefinition {
  return load().definition;
}
