/**
 * The services deploy/ ships: their Dockerfiles, image names and default ports. The ports are the
 * defaults of each service's config (services/<name>/src); the Dockerfiles EXPOSE them and the
 * manifests declare them.
 */
export interface ServiceImage {
  service: string;
  /** Package built into the image. */
  packageName: string;
  dockerfile: string;
  image: string;
  ports: { grpc?: number; metrics: number };
}

export const SERVICE_IMAGES: readonly ServiceImage[] = [
  { service: 'model-server', packageName: '@reverie/model-server', dockerfile: 'model-server.Dockerfile', image: 'reverie/model-server', ports: { grpc: 50551, metrics: 9551 } },
  { service: 'learner', packageName: '@reverie/learner', dockerfile: 'learner.Dockerfile', image: 'reverie/learner', ports: { grpc: 50552, metrics: 9552 } },
  { service: 'learner', packageName: '@reverie/learner', dockerfile: 'learner-gpu.Dockerfile', image: 'reverie/learner-gpu', ports: { grpc: 50552, metrics: 9552 } },
  { service: 'actor', packageName: '@reverie/actor', dockerfile: 'actor.Dockerfile', image: 'reverie/actor', ports: { metrics: 9553 } },
];
