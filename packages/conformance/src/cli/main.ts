import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { catalogue, isInterop } from '../catalogue.js';
import { toJUnitXml } from '../report/junit.js';
import { renderMatrix } from '../report/matrix.js';
import { runConformance, type SuiteTarget } from '../runner/run-suite.js';
import type { Scenario } from '../scenario.js';
import { renderSelfTest } from '../self-test/render-self-test.js';
import { runSelfTest } from '../self-test/run-self-test.js';
import { KIT_VERSION } from '../version.js';
import { findWorkspaceRoot, workspaceConnectors } from './discover.js';

/** What the CLI touches outside itself: injected, so tests drive it in-process. */
export interface CliIo {
  readonly cwd: string;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Writes a file, creating its directory when needed. */
  writeFile(path: string, content: string): Promise<void>;
}

export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 });

const HELP = `aic-conformance ${KIT_VERSION} — conformance kit for AIC connectors

Usage: aic-conformance [--connector <package name or path>]... [options]

Without --connector, tests every connector package of the workspace it runs in (published
workspace packages whose package.json declares "aicConnector").

Options:
  -c, --connector <spec>   a connector package by name (resolved from the working directory) or path; repeatable
  -s, --scenario <filter>  only scenarios whose id or family matches (e.g. callback, refresh.margin, interop); repeatable
      --no-interop         leave out the interop family (a certified authorization server on loopback)
      --workspace          with --connector: also every connector package of the workspace
      --report <path>      JSON report (default: conformance-report.json)
      --junit <path>       JUnit XML report (default: conformance-junit.xml)
      --timeout <ms>       per-scenario time limit (default: 10000)
      --json               print the JSON report instead of the matrix
      --list               list the scenarios and exit
      --self-test          run the kit against its own broken connectors (each breaks one rule) and
                           print what each scenario caught; exit 1 unless every one is caught by
                           exactly its intended scenarios
  -h, --help               this help

Exit codes: 0 every applicable scenario passed; 1 a scenario failed or a connector did not load; 2 usage error.
`;

function usageError(io: CliIo, es: string, en: string): number {
  io.stderr(`aic-conformance: ${es}\naic-conformance: ${en}\n\n${HELP}`);
  return EXIT.usage;
}

function selectScenarios(filters: readonly string[]): Scenario[] {
  if (filters.length === 0) return [...catalogue];
  return catalogue.filter((s) =>
    filters.some((f) => s.id === f || s.family === f || s.id.startsWith(f.endsWith('.') ? f : `${f}.`)),
  );
}

function listScenarios(io: CliIo): number {
  for (const s of catalogue) io.stdout(`${s.id.padEnd(48)} ${s.rule.source}\n    ${s.title}\n`);
  io.stdout(`\n${catalogue.length} scenarios.\n`);
  return EXIT.ok;
}

async function defaultTargets(io: CliIo): Promise<SuiteTarget[] | string> {
  const root = await findWorkspaceRoot(io.cwd);
  if (root === undefined) return 'no workspace here';
  const found = await workspaceConnectors(root);
  if (found.length === 0) return `no connector package in the workspace at ${root}`;
  return found.map(({ name, directory }) => ({ target: directory, label: name, from: io.cwd }));
}

/**
 * The `aic-conformance` command: runs the catalogue against the connectors, prints the matrix,
 * writes the JSON and JUnit reports, and returns the exit code.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        connector: { type: 'string', short: 'c', multiple: true },
        scenario: { type: 'string', short: 's', multiple: true },
        'no-interop': { type: 'boolean', default: false },
        workspace: { type: 'boolean', default: false },
        report: { type: 'string', default: 'conformance-report.json' },
        junit: { type: 'string', default: 'conformance-junit.xml' },
        timeout: { type: 'string' },
        json: { type: 'boolean', default: false },
        list: { type: 'boolean', default: false },
        'self-test': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    return usageError(
      io,
      `argumentos inválidos: ${(error as Error).message}`,
      `invalid arguments: ${(error as Error).message}`,
    );
  }
  const { values } = parsed;
  if (values.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if (values.list) return listScenarios(io);
  const timeoutMs = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeoutMs !== undefined && !(Number.isInteger(timeoutMs) && timeoutMs > 0)) {
    return usageError(
      io,
      '--timeout debe ser un entero positivo (ms).',
      '--timeout must be a positive integer (ms).',
    );
  }
  if (values['self-test']) {
    if (values.connector !== undefined) {
      return usageError(
        io,
        '--self-test usa los conectores rotos del kit; no admite --connector.',
        "--self-test runs the kit's own broken connectors; it takes no --connector.",
      );
    }
    const selected = values.scenario === undefined ? undefined : selectScenarios(values.scenario);
    const report = await runSelfTest({ timeoutMs, scenarios: selected, interop: !values['no-interop'] });
    io.stdout(values.json ? `${JSON.stringify(selfTestJson(report), null, 2)}\n` : renderSelfTest(report));
    return report.ok ? EXIT.ok : EXIT.failed;
  }
  const scenarios = selectScenarios(values.scenario ?? []).filter(
    (s) => !(values['no-interop'] && isInterop(s)),
  );
  if (scenarios.length === 0) {
    return usageError(io, 'ningún escenario coincide con --scenario.', 'no scenario matches --scenario.');
  }
  let targets: SuiteTarget[];
  if (values.connector !== undefined && values.workspace) {
    const found = await defaultTargets(io);
    if (typeof found === 'string') {
      return usageError(io, `--workspace: ${found}.`, `--workspace: ${found}.`);
    }
    targets = [...found, ...values.connector.map((spec) => ({ target: spec, from: io.cwd }))];
  } else if (values.connector === undefined) {
    const found = await defaultTargets(io);
    if (typeof found === 'string') {
      return usageError(io, `indique --connector (${found}).`, `give --connector (${found}).`);
    }
    targets = found;
  } else {
    targets = values.connector.map((spec) => ({ target: spec, from: io.cwd }));
  }

  const report = await runConformance(targets, { scenarios, timeoutMs });
  io.stdout(values.json ? `${JSON.stringify(report, null, 2)}\n` : renderMatrix(report));
  const reportPath = resolve(io.cwd, values.report);
  const junitPath = resolve(io.cwd, values.junit);
  await io.writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`);
  await io.writeFile(junitPath, toJUnitXml(report));
  if (!values.json) io.stdout(`Reports: ${reportPath}, ${junitPath}\n`);
  return report.ok ? EXIT.ok : EXIT.failed;
}

/** The self-test as JSON: verdicts, what each scenario caught, the reference connectors' totals. */
function selfTestJson(report: Awaited<ReturnType<typeof runSelfTest>>) {
  return {
    ok: report.ok,
    caught: report.caughtCount,
    brokenConnectors: report.verdicts.length,
    verdicts: report.verdicts,
    scenarios: report.byScenario.map(({ scenario, caught }) => ({ id: scenario.id, caught })),
    references: report.references.map((r) => ({ connectorId: r.connectorId, totals: r.totals })),
  };
}
