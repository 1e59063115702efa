import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TestLearner } from './testLearner.js';

const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));

describe('actor process (dist/main.js)', () => {
  const learner = new TestLearner();
  afterAll(() => learner.server?.close(0));

  it('prints READY, streams to the learner, and exits 0 on SIGTERM', async () => {
    const address = await learner.start();
    const child = spawn(process.execPath, [entry, '--numEnvs', '4', '--workers', '1', '--chunkSteps', '8'], {
      env: { ...process.env, REVERIE_ACTOR_ID: 'actor-main', REVERIE_LEARNER__ADDRESS: address, REVERIE_METRICS_PORT: '0', REVERIE_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = once(child, 'exit');
    const deadline = Date.now() + 20_000;
    while (!(stdout.includes('READY ') && learner.stored.size >= 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ready = JSON.parse(stdout.slice(stdout.indexOf('READY ') + 6).split('\n')[0]) as { service: string; actorId: string; metrics: string };
    expect([ready.service, ready.actorId]).toEqual(['actor', 'actor-main']);
    expect(learner.stored.get(0)?.actorId).toMatch(/^actor-main#[0-9a-f]{8}$/);
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses a bad config with exit code 2 and the field in the message', async () => {
    const child = spawn(process.execPath, [entry, '--numEnvs', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(stderr).toContain('config numEnvs (flag --numEnvs): must be at least 1, got "0"');
  });
});
