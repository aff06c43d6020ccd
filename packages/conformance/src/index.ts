/**
 * @aic/conformance: the conformance kit of Aranda Integration Center connectors. A catalogue of
 * scenarios — a scripted provider that misbehaves the way real ones do, a connector driven only
 * through its public contract, and assertions — with a runner, JSON/JUnit reports, a matrix
 * printer, a jest adapter and the `aic-conformance` CLI.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { catalogue, isInterop } from './catalogue.js';
export { interopScenarios, defineInteropScenario } from './scenarios/interop/index.js';
export type { InteropNeed, InteropScenarioDefinition } from './scenarios/interop/index.js';
export { closeInteropServers } from './interop/servers.js';
export type { InteropSession } from './interop/session.js';
export { AssertionFailure, FAMILIES, defineScenario } from './scenario.js';
export type { RuleReference, Scenario, ScenarioFamily, ScenarioSubject, TargetKind } from './scenario.js';

export { loadTarget } from './target.js';
export type { ConnectorFactory, ConnectorTarget, LoadedTarget, TargetOptions } from './target.js';

export { runScenario } from './runner/run-scenario.js';
export type { RunScenarioOptions } from './runner/run-scenario.js';
export { runConformance } from './runner/run-suite.js';
export type { SuiteOptions, SuiteTarget } from './runner/run-suite.js';
export type { ScenarioResult, ScenarioStatus, Totals } from './runner/result.js';
export { describeLoadFailure } from './runner/load-failure.js';
export type { LoadFailure } from './runner/load-failure.js';

export type { ConformanceReport, ConnectorReport, ScenarioSummary } from './report/report.js';
export { toJUnitXml } from './report/junit.js';
export { renderMatrix } from './report/matrix.js';

export { ConformanceFailure, describeConformance } from './jest/describe-conformance.js';
export type { DescribeConformanceOptions, TestFramework } from './jest/describe-conformance.js';

// The kit's building blocks, for authors of extra scenarios.
export { ScenarioContext } from './kit/context.js';
export type { ConnectionOptions, Observations } from './kit/context.js';
export { createKitPorts, KIT_EPOCH } from './kit/ports.js';
export type { KitPorts } from './kit/ports.js';
export { KitTokenStore } from './kit/token-store.js';
export type { StoreWrite } from './kit/token-store.js';
export { ProviderScript } from './kit/provider-script.js';
export type { EndpointRole, RecordedRequest } from './kit/provider-script.js';
export { KIT_ENDPOINTS, KIT_REDIRECT_URI, planEndpoints } from './kit/plan.js';
export type { EndpointPlan } from './kit/plan.js';
export { SecretRegistry } from './kit/secrets.js';
export type { SecretKind } from './kit/secrets.js';
export { BACKOFF_BOUNDS } from './kit/bounds.js';
export { diagnoseBasicHeader, expectedBasicHeader, rfc6749FormEncode } from './kit/basic.js';
export * from './kit/expect.js';
export * from './kit/flows.js';
export * from './kit/first-grant.js';
export * from './kit/callback.js';
export { findLeaks, findOutputLeaks } from './kit/hygiene.js';
export { exposedTexts } from './kit/exposed-texts.js';
export type { ExposedText } from './kit/exposed-texts.js';
export { OperationLog } from './kit/operations.js';
export type { Operation } from './kit/operations.js';
export { OutputCapture } from './kit/output-capture.js';
export type { CapturedOutput, OutputChannel } from './kit/output-capture.js';
export { classifyUnscripted, describeResponse } from './kit/unscripted.js';
export type { ScriptedResponse } from './kit/provider-script.js';

// The self-test: the broken connectors the kit ships and the run that proves it catches them.
export { brokenConnectors } from './self-test/broken/index.js';
export type { BrokenConnector } from './self-test/broken/index.js';
export { runSelfTest } from './self-test/run-self-test.js';
export type {
  BrokenVerdict,
  ScenarioCatches,
  SelfTestOptions,
  SelfTestReport,
} from './self-test/run-self-test.js';
export { renderSelfTest } from './self-test/render-self-test.js';
