import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.js';

function capture() {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line));
  });
  return { stream, lines };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level label, time and fields', () => {
    const { stream, lines } = capture();
    const log = createLogger({ service: 'actor', destination: stream });
    log.info({ envs: 64 }, 'started');
    log.child({ component: 'pool' }).warn('slow worker');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ service: 'actor', level: 'info', msg: 'started', envs: 64, pid: process.pid });
    expect(Number.isNaN(Date.parse(String(lines[0].time)))).toBe(false);
    expect(lines[1]).toMatchObject({ service: 'actor', level: 'warn', component: 'pool' });
  });

  it('drops lines below the level and serialises errors', () => {
    const { stream, lines } = capture();
    const log = createLogger({ service: 'learner', level: 'warn', destination: stream });
    log.info('hidden');
    log.error({ err: new Error('disk full') }, 'checkpoint failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'error', msg: 'checkpoint failed', err: { message: 'disk full' } });
  });

  it('rejects an empty service name', () => {
    expect(() => createLogger({ service: '' })).toThrow(/service/);
  });
});
