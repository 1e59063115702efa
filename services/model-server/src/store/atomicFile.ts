/**
 * Crash-safe file writes: a reader sees either the old state or the complete new file, never a
 * torn one. Write to a temporary name in the same folder, fsync it, rename it over the target,
 * then fsync the folder so the rename itself survives a power cut.
 */
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** Temporary files start with this; a scan of the store ignores (and cleans up) them. */
export const TEMP_PREFIX = '.tmp-';

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  const temp = join(dir, `${TEMP_PREFIX}${basename(path)}.${randomBytes(6).toString('hex')}`);
  const handle = await open(temp, 'w', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, path);
  await fsyncDir(dir);
}
