import { createPolicy, decodePolicy, type Policy } from '@reverie/policy';
import type { WeightsUpdate } from '@reverie/transport';
import type { VersionedPolicy } from '../rollout/actorLoop.js';

/**
 * The policy the actor acts with. Before any weights arrive it is version 0, a zero Q-network the
 * actor pairs with uniform exploration; `apply` decodes and checks a new version completely before
 * swapping it in with one assignment, and the loop reads `current` once per step, so a step never
 * sees half of an update.
 */
export class PolicyHolder {
  private versioned: VersionedPolicy;

  constructor(private readonly observationSize: number, private readonly numActions: number) {
    const spec = { kind: 'mlp-q', obsShape: [observationSize], numActions, hidden: [], activation: 'relu' } as const;
    const zeros = createPolicy(spec, { 'l0.weight': new Float32Array(observationSize * numActions), 'l0.bias': new Float32Array(numActions) });
    this.versioned = { version: 0, policy: zeros };
  }

  get current(): VersionedPolicy {
    return this.versioned;
  }

  get version(): number {
    return this.versioned.version;
  }

  /** Decodes and swaps in `update`; false (nothing changes) for a version not newer than the current one. */
  apply(update: WeightsUpdate): boolean {
    const version = update.metadata.version;
    if (version <= this.versioned.version) return false;
    const policy = decodePolicy(update.bytes);
    checkFits(policy, this.observationSize, this.numActions, version);
    this.versioned = { version, policy };
    return true;
  }
}

function checkFits(policy: Policy, observationSize: number, numActions: number, version: number): void {
  if (policy.obsSize !== observationSize || policy.numActions !== numActions) {
    throw new Error(
      `weights version ${version} read ${policy.obsSize} observation values and pick among ${policy.numActions} actions; this actor's env has ${observationSize} and ${numActions}`,
    );
  }
}
