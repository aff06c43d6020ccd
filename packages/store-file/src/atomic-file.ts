import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Platforms (or file systems) that cannot fsync a directory say so with one of these. */
const DIRECTORY_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/**
 * Replaces `path` with `data` so that a reader (or a crash) sees either the old or the new
 * content, never a mix: write a temp file in the same directory (mode 0600), fsync it, rename it
 * over `path` (atomic on POSIX), then fsync the directory so the rename itself is durable.
 * A crash leaves at most a `path.<random>.tmp` file behind, which readers ignore.
 */
export async function writeFileAtomic(path: string, data: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    await rename(temp, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
}

async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!DIRECTORY_SYNC_UNSUPPORTED.has((error as { code?: string }).code ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}
