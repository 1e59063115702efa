/** The protobuf codec for WeightsAnnouncement (NATS carries bytes, not gRPC calls). */
import protobuf from 'protobufjs';
import { join } from 'node:path';
import { PROTO_ROOT } from './protos.js';
import type { WeightsAnnouncement, WeightsAnnouncement__Output } from './generated/reverie/v1/WeightsAnnouncement.js';

let type: protobuf.Type | undefined;

function announcementType(): protobuf.Type {
  if (!type) {
    const root = protobuf.loadSync(join(PROTO_ROOT, 'reverie/v1/model.proto'));
    type = root.lookupType('reverie.v1.WeightsAnnouncement');
  }
  return type;
}

export function encodeAnnouncement(a: WeightsAnnouncement): Uint8Array {
  const t = announcementType();
  return t.encode(t.fromObject(a)).finish();
}

/** Throws on bytes that are not an announcement with a policy and a version. */
export function decodeAnnouncement(bytes: Uint8Array): WeightsAnnouncement__Output {
  const t = announcementType();
  const out = t.toObject(t.decode(bytes), { longs: Number, defaults: true, bytes: Buffer }) as WeightsAnnouncement__Output;
  if (!out.metadata?.policy || !out.metadata.version) throw new Error('weights announcement without policy or version');
  return out;
}
