import { createLogger } from '@reverie/telemetry';
import { decodeTensor, type PushAck__Output, type Tensor, type TrajectoryChunk, type TrajectorySink, type WireTensor } from '@reverie/transport';
import { describe, expect, it } from 'vitest';
import { defaultConfig, startActor } from '../src/index.js';

/** The received form of an in-process (never serialised) tensor message. */
function wire(t: Tensor | null | undefined): WireTensor {
  if (!t || !(t.data instanceof Uint8Array)) throw new Error('expected a tensor with bytes');
  return { dtype: t.dtype ?? 0, shape: t.shape ?? [], data: t.data };
}

/** A learner-side sink in the same process: stores each chunk's rewards after `delayMs`. */
class SlowSink implements TrajectorySink {
  readonly sequences: number[] = [];
  readonly rewardSums: number[] = [];
  concurrent = 0;
  maxConcurrent = 0;

  async push(chunk: TrajectoryChunk): Promise<PushAck__Output> {
    this.concurrent++;
    this.maxConcurrent = Math.max(this.maxConcurrent, this.concurrent);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Read the tensors before acknowledging: the buffers go back to the actor's pool after the ack.
    const rewards = decodeTensor(wire(chunk.rewards), { name: 'rewards', dtype: 'float32', shape: [8, 4] }).array;
    this.rewardSums.push(rewards.reduce((a, b) => a + b, 0));
    this.sequences.push(Number(chunk.sequence));
    this.concurrent--;
    return { actorId: chunk.actorId ?? '', sequence: Number(chunk.sequence), duplicate: false, replaySize: this.sequences.length * 32 };
  }
}

describe('actor in one process with the learner (TrajectorySink)', () => {
  it('pushes chunks in order within the window and flushes on close', async () => {
    const sink = new SlowSink();
    const config = { ...defaultConfig(), numEnvs: 4, workers: 1, chunkSteps: 8, window: 2, metricsPort: 0 };
    const actor = await startActor(config, { trajectorySink: sink, logger: createLogger({ service: 'actor', level: 'silent' }) });
    const deadline = Date.now() + 20_000;
    while (sink.sequences.length < 10 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await actor.close();
    await actor.done;
    expect(sink.sequences).toEqual(sink.sequences.map((_, i) => i));
    expect(sink.sequences.length).toBeGreaterThanOrEqual(10);
    expect(sink.maxConcurrent).toBe(2);
    // CartPole pays 1 per step: 8 steps × 4 envs.
    expect(new Set(sink.rewardSums)).toEqual(new Set([32]));
  });
});
