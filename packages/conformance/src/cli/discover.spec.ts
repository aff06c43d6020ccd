import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findWorkspaceRoot, pnpmWorkspaceGlobs, workspaceConnectors } from './discover.js';

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, JSON.stringify(value));
}

describe('workspace discovery', () => {
  it('reads the packages list of a pnpm-workspace.yaml', () => {
    expect(
      pnpmWorkspaceGlobs(
        `packages:\n  - packages/*\n  - 'examples/*'\n  - "tools/x" # one\n  - '!**/test/**'\n\nallowBuilds:\n  - nope\n`,
      ),
    ).toEqual(['packages/*', 'examples/*', 'tools/x', '!**/test/**']);
  });

  it('finds the published connector packages of a workspace, sorted, from a nested directory', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kit-workspace-'));
    await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages:\n  - packages/*\n  - examples/*\n');
    await writeJson(join(root, 'packages/zeta/package.json'), { name: '@x/zeta', aicConnector: {} });
    await writeJson(join(root, 'packages/alpha/package.json'), {
      name: '@x/alpha',
      aicConnector: { module: 'm' },
    });
    await writeJson(join(root, 'packages/core/package.json'), { name: '@x/core' });
    await writeJson(join(root, 'examples/demo/package.json'), {
      name: 'demo',
      private: true,
      aicConnector: {},
    });
    await mkdir(join(root, 'packages/alpha/src'), { recursive: true });

    expect(await findWorkspaceRoot(join(root, 'packages/alpha/src'))).toBe(root);
    expect(await workspaceConnectors(root)).toEqual([
      { name: '@x/alpha', directory: join(root, 'packages/alpha') },
      { name: '@x/zeta', directory: join(root, 'packages/zeta') },
    ]);
  });

  it('understands npm/yarn workspaces and reports no root outside any workspace', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kit-npm-workspace-'));
    await writeJson(join(root, 'package.json'), { name: 'root', workspaces: ['connectors/*'] });
    await writeJson(join(root, 'connectors/one/package.json'), { name: 'one', aicConnector: {} });
    expect(await findWorkspaceRoot(join(root, 'connectors/one'))).toBe(root);
    expect(await workspaceConnectors(root)).toEqual([
      { name: 'one', directory: join(root, 'connectors/one') },
    ]);
    expect(await findWorkspaceRoot(await mkdtemp(join(tmpdir(), 'kit-nothing-')))).toBeUndefined();
  });
});
