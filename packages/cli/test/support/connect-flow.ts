import type nock from 'nock';
import type { MemoryIo } from '../../src/__fixtures__/memory-io.js';
import type { Workspace } from '../helpers.js';

/** The identity fields of every document about the fixture connection `acme`. */
export const ACME = { connection: 'acme', connector: 'fixture-code' } as const;

/** `aic connect <connector> --connection <connection> --credentials <file> [...extra]`. */
export const connectArgv = (
  connector: string,
  connection: string,
  credentialsFile: string,
  ...extra: string[]
): string[] => ['connect', connector, '--connection', connection, '--credentials', credentialsFile, ...extra];

/**
 * Starts `aic connect` (`argv`) and waits until it printed the fixture provider's authorization
 * URL. `done` settles when the command ends.
 */
export async function startConnect(
  ws: Workspace,
  argv: string[],
  io: MemoryIo = ws.io(),
): Promise<{ io: MemoryIo; done: Promise<{ code: number; io: MemoryIo }>; url: URL; state: string }> {
  const done = ws.run(argv, io);
  const [printed] = await io.waitFor(/https:\/\/auth\.cli\.test\/authorize\?\S+/);
  const url = new URL(printed);
  return { io, done, url, state: url.searchParams.get('state')! };
}

/** Runs `aic` with `argv`, then asserts that every call `scope` scripted was made. */
export async function runScripted(
  ws: Workspace,
  scope: nock.Scope,
  argv: string[],
): Promise<{ code: number; io: MemoryIo }> {
  const result = await ws.run(argv);
  scope.done();
  return result;
}
