/**
 * deploy/docker: every Dockerfile parses, pins its bases, runs as a non-root user, holds no secret,
 * EXPOSEs the service's default ports (the ones the manifests use), checks its health, and ships
 * only its service (pnpm deploy) with the protos where @reverie/transport loads them.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_DIR, REPO_ROOT } from './support/repo.js';
import { SERVICE_IMAGES } from './support/services.js';
import {
  baseImageProblems, exposedPorts, finalInstruction, parseDockerfile, secretProblems, userProblems,
} from './support/dockerfileRules.js';
import { render } from './support/overlays.js';

function dockerfileOf(name: string) {
  return parseDockerfile(readFileSync(join(DOCKER_DIR, name), 'utf8'));
}

describe('deploy/docker', () => {
  it('has one Dockerfile per service image, and no other', () => {
    const files = readdirSync(DOCKER_DIR).filter((f) => f.endsWith('.Dockerfile')).sort();
    expect(files).toEqual(SERVICE_IMAGES.map((s) => s.dockerfile).sort());
  });

  describe.each(SERVICE_IMAGES)('$dockerfile', (svc) => {
    const dockerfile = dockerfileOf(svc.dockerfile);

    it('pins every base image by tag, runs as non-root and bakes in no secret', () => {
      expect(dockerfile.getFROMs().length).toBeGreaterThanOrEqual(2); // multi-stage
      expect(baseImageProblems(dockerfile)).toEqual([]);
      expect(userProblems(dockerfile)).toEqual([]);
      expect(secretProblems(dockerfile)).toEqual([]);
    });

    it("EXPOSEs the service's default ports, and HEALTHCHECKs its metrics port", () => {
      expect(exposedPorts(dockerfile)).toEqual(Object.values(svc.ports).sort((a, b) => a - b));
      const health = finalInstruction(dockerfile, 'HEALTHCHECK')?.getArgumentsContent() ?? '';
      expect(health).toContain(`127.0.0.1:${svc.ports.metrics}/healthz`);
    });

    it('builds only its service with pnpm deploy, places the protos, and starts dist/main.js', () => {
      const text = readFileSync(join(DOCKER_DIR, svc.dockerfile), 'utf8');
      expect(text).toContain(`pnpm --filter ${svc.packageName} deploy --prod /out`);
      expect(text).toContain('node deploy/docker/place-protos.mjs /out protos');
      expect(finalInstruction(dockerfile, 'ENTRYPOINT')?.getArgumentsContent()).toMatch(/"node".*"dist\/main\.js"/);
    });

    it('matches the ports its Kubernetes containers declare', () => {
      const { pods } = render(svc.image.endsWith('-gpu') ? 'overlays/gpu' : 'base');
      const containers = pods.flatMap((p) => p.spec.containers).filter((c) => c.image?.split(':')[0] === svc.image);
      expect(containers.length).toBeGreaterThan(0);
      for (const container of containers) {
        const declared = Object.fromEntries((container.ports ?? []).map((p) => [p.name, p.containerPort]));
        expect(declared).toEqual(svc.ports);
      }
    });
  });

  it('gpu: the learner runs on the CUDA 11.2 + cuDNN 8 runtime that tfjs-node-gpu 4.22 binds to, and installs it', () => {
    const text = readFileSync(join(DOCKER_DIR, 'learner-gpu.Dockerfile'), 'utf8');
    const bases = dockerfileOf('learner-gpu.Dockerfile').getFROMs().map((f) => `${f.getImageName()}:${f.getImageTag()}`);
    expect(bases.at(-1)).toBe('nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04');
    expect(text).toContain('@tensorflow/tfjs-node-gpu@4.22.0');
  });

  it('keeps dependencies, builds, git data and keys out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim());
    for (const pattern of ['.git', '**/node_modules', '**/dist', '**/.env', '**/*.key']) expect(ignored).toContain(pattern);
  });
});

describe('Dockerfile rules', () => {
  it('catch an unpinned base, a root user, a baked-in token and a missing USER', () => {
    const bad = parseDockerfile([
      'FROM node AS build', 'FROM build AS again', 'FROM debian:latest', 'FROM ${BASE}',
      'ARG NPM_TOKEN', 'ENV API_KEY=abc OTHER=1', 'USER root', 'EXPOSE 1234',
    ].join('\n'));
    expect(baseImageProblems(bad)).toEqual([
      'line 1: base image node has no tag (it would pull latest)',
      'line 3: base image debian:latest is not pinned',
      'line 4: base image ${BASE} is a variable; pin it in the file',
    ]);
    expect(userProblems(bad)).toEqual(['the final stage runs as root']);
    expect(secretProblems(bad)).toEqual([
      'line 5: ARG NPM_TOKEN would bake a secret into the image',
      'line 6: ENV API_KEY would bake a secret into the image',
    ]);
    expect(exposedPorts(bad)).toEqual([1234]);
    expect(userProblems(parseDockerfile('FROM node:20 AS a\nUSER 1000\nFROM node:20\nRUN true'))).toEqual([
      'the final stage sets no USER, so the image runs as root',
    ]);
    expect(baseImageProblems(parseDockerfile('FROM node@sha256:0123456789abcdef'))).toEqual([]);
  });
});
