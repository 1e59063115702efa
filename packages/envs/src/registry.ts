import type { Env } from './env.js';
import { EnvError } from './errors.js';

export type EnvKwargs = Record<string, unknown>;

export interface EnvRegistration {
  id: string;
  create: (kwargs: EnvKwargs) => Env;
  /** Gymnasium's `max_episode_steps` for this id; null for none. */
  maxEpisodeSteps: number | null;
  rewardThreshold?: number;
}

export interface MakeOptions extends EnvKwargs {
  /** Overrides the registered time limit; null removes it. */
  maxEpisodeSteps?: number | null;
}

const registry = new Map<string, EnvRegistration>();

export function register(registration: EnvRegistration): void {
  if (registry.has(registration.id)) throw new EnvError(`Environment id '${registration.id}' is already registered`);
  registry.set(registration.id, registration);
}

export function registeredIds(): string[] {
  return [...registry.keys()].sort();
}

/** Creates a registered environment, with its time limit, as `gymnasium.make(id, **kwargs)`. */
export function make(id: string, options: MakeOptions = {}): Env {
  const registration = registry.get(id);
  if (registration === undefined) {
    throw new EnvError(`Unknown environment id '${id}'. Registered ids: ${registeredIds().join(', ')}`);
  }
  const { maxEpisodeSteps, ...kwargs } = options;
  const limit = maxEpisodeSteps === undefined ? registration.maxEpisodeSteps : maxEpisodeSteps;
  if (limit !== null && (!Number.isInteger(limit) || limit <= 0)) {
    throw new EnvError(`${id}: maxEpisodeSteps must be a positive integer or null, got ${String(limit)}`);
  }
  const env = registration.create(kwargs);
  env.spec = { id, maxEpisodeSteps: limit, rewardThreshold: registration.rewardThreshold };
  return env;
}
