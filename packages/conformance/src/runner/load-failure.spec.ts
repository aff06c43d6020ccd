import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toJUnitXml } from '../report/junit.js';
import { renderMatrix } from '../report/matrix.js';
import { manifestCoherent } from '../scenarios/contract/manifest.js';
import { runConformance } from './run-suite.js';

/** Writes a plain-JavaScript connector package whose files are `files`. */
async function connectorPackage(root: string, name: string, files: Record<string, string>): Promise<string> {
  const directory = join(root, name);
  await mkdir(directory, { recursive: true });
  await writeFile(
    join(directory, 'package.json'),
    JSON.stringify({ name, type: 'module', main: './index.js', aicConnector: { module: 'connectorModule' } }),
  );
  for (const [file, content] of Object.entries(files)) await writeFile(join(directory, file), content);
  return directory;
}

describe('a connector that cannot be loaded', () => {
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'aic-kit-load-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const load = async (directory: string) => {
    const report = await runConformance([{ target: directory, label: 'broken' }], {
      scenarios: [manifestCoherent],
    });
    return { report, connector: report.connectors[0]! };
  };

  it('names a syntax error with its file, line and column, in the matrix and the JUnit XML too', async () => {
    const directory = await connectorPackage(root, 'syntax', {
      'index.js': "import { helper } from './helper.js';\nexport const connectorModule = helper;\n",
      'helper.js': 'export const helper = 1;\n\n  const broken = {a: 1,,};\n',
    });
    const { report, connector } = await load(directory);
    expect(connector.loadFailure).toMatchObject({
      location: `${join(directory, 'helper.js')}:3:24`,
      hint: expect.stringMatching(/^fix the syntax error/),
    });
    expect(connector.loadFailure?.causes).toEqual([
      expect.stringMatching(
        /^ERR_CONFIGURATION: Could not load connector “.*”: its module could not be imported\.$/,
      ),
      "SyntaxError: Unexpected token ','",
    ]);
    expect(connector.loadError).toMatch(/ Cause: SyntaxError: .* at .*helper\.js:3:24$/);
    const matrix = renderMatrix(report);
    expect(matrix).toContain(`        · at ${join(directory, 'helper.js')}:3:24\n`);
    expect(matrix).toMatch(/\n {2}contract\.manifest +—\n/);
    expect(matrix).toMatch(/\npass \/ fail \/ skip +0\/1\/0\n/);
    expect(toJUnitXml(report)).toContain(`At: ${join(directory, 'helper.js')}:3:24`);
  });

  it('names a missing dependency and says to install it', async () => {
    const directory = await connectorPackage(root, 'missing-dependency', {
      'index.js': "import leftPad from 'kit-no-such-package';\nexport const connectorModule = leftPad;\n",
    });
    const { connector } = await load(directory);
    // Node says ERR_MODULE_NOT_FOUND "Cannot find package"; jest's resolver MODULE_NOT_FOUND "Cannot find module".
    expect(connector.loadFailure?.causes[1]).toMatch(
      /^(ERR_)?MODULE_NOT_FOUND: Cannot find (package|module) 'kit-no-such-package'/,
    );
    expect(connector.loadFailure?.hint).toBe(
      `install "kit-no-such-package": add it to the connector's dependencies (or peerDependencies) and run the package manager's install`,
    );
    expect(connector.loadError).toMatch(/Cause: (ERR_)?MODULE_NOT_FOUND: Cannot find/);
  });

  it('names a missing export with the importing line', async () => {
    const directory = await connectorPackage(root, 'missing-export', {
      'index.js': "import { nope } from './other.js';\nexport const connectorModule = nope;\n",
      'other.js': 'export const yes = 1;\n',
    });
    const { connector } = await load(directory);
    expect(connector.loadFailure?.causes[1]).toMatch(/does not provide an export named 'nope'/);
    expect(connector.loadFailure?.location).toMatch(/index\.js:1(:\d+)?$/);
  });

  it('names the line that threw while the module was evaluated', async () => {
    const directory = await connectorPackage(root, 'throws', {
      'index.js': "export const connectorModule = 1;\nthrow new TypeError('configuration missing');\n",
    });
    const { connector } = await load(directory);
    expect(connector.loadFailure?.causes[1]).toBe('TypeError: configuration missing');
    expect(connector.loadFailure?.location).toBe(`${join(directory, 'index.js')}:2:7`);
  });
});
