import {
  connectionKey,
  secretValues,
  type ConnectionInput,
  type Connector,
  type ConnectorManifest,
} from '@aic/connector-core';
import type { LoadedTarget } from '../target.js';
import { OperationLog } from './operations.js';
import { OutputCapture } from './output-capture.js';
import type { EndpointPlan } from './plan.js';
import { createKitPorts, type KitPorts } from './ports.js';
import { ProviderScript } from './provider-script.js';
import { SecretRegistry } from './secrets.js';
import { Sequence } from './sequence.js';
import { KIT_CLIENT_ID, KitValues } from './values.js';

/** What a scenario may change in a connection's credentials. */
export interface ConnectionOptions {
  readonly id?: string;
  readonly clientId?: string;
  /** Default: a fresh kit secret. */
  readonly clientSecret?: string;
  readonly redirectUri?: string;
  /** Merged over the plan's endpoint overrides. */
  readonly endpoints?: Readonly<Record<string, string>>;
  /** Merged last, over everything. */
  readonly credentials?: Readonly<Record<string, unknown>>;
}

/** Things a scenario saw that hygiene checks scan: thrown errors and connector outputs. */
export interface Observations {
  readonly errors: unknown[];
  readonly outputs: unknown[];
}

/**
 * Optional sample fields the kit leaves out: secret dates (so expiry warnings depend on nothing
 * outside the scenario) and optional secrets such as an imported refresh token.
 */
const VOLATILE_FIELDS = ['clientSecretCreatedAt', 'clientSecretExpiresAt'];

/**
 * Everything one scenario works with: a connector resolved from a fresh container, the ports
 * the kit bound there, the scripted provider, and the secrets in play.
 */
export class ScenarioContext {
  readonly scenarioId: string;
  readonly target: LoadedTarget;
  readonly manifest: ConnectorManifest;
  /**
   * The connector under test, as scenarios call it: every call is recorded in
   * {@link operations}, so findings name the operation that produced them.
   */
  readonly connector: Connector;
  /** The connector itself, unwrapped (for identity checks). */
  readonly unwrapped: Connector;
  readonly ports: KitPorts;
  readonly plan: EndpointPlan;
  readonly sequence = new Sequence();
  readonly secrets = new SecretRegistry();
  readonly values: KitValues;
  readonly provider: ProviderScript;
  readonly observed: Observations = { errors: [], outputs: [] };
  readonly operations: OperationLog;
  /** `console.*`, stdout and stderr while the scenario runs (the runner starts and stops it). */
  readonly output: OutputCapture;
  readonly notes: string[] = [];
  #connections = 0;

  constructor(input: {
    scenarioId: string;
    target: LoadedTarget;
    connectorId: string;
    plan: EndpointPlan;
    /** Pass on (redacted) what the connector writes to the console (default), or hold it back. */
    forwardOutput?: boolean | undefined;
  }) {
    this.scenarioId = input.scenarioId;
    this.target = input.target;
    this.plan = input.plan;
    this.values = new KitValues(`${input.connectorId}\u001f${input.scenarioId}`, this.secrets);
    this.ports = createKitPorts(this.sequence);
    const connector = input.target.build(this.ports).find((c) => c.manifest.id === input.connectorId);
    if (connector === undefined) throw new Error(`connector "${input.connectorId}" is no longer bound`);
    this.operations = new OperationLog(this.sequence);
    this.unwrapped = connector;
    this.connector = this.operations.wrap(connector);
    this.manifest = connector.manifest;
    this.provider = new ProviderScript(input.plan, this.sequence, this.secrets);
    const moment = () => ({ during: this.operations.activeLabel(), seq: this.sequence.current });
    this.ports.logger.moment = moment;
    this.output = new OutputCapture({
      during: () => this.operations.activeLabel(),
      seq: () => this.sequence.current,
      redact: (text) => this.secrets.redact(text),
      forward: input.forwardOutput,
    });
  }

  get clock(): KitPorts['clock'] {
    return this.ports.clock;
  }

  get logger(): KitPorts['logger'] {
    return this.ports.logger;
  }

  get store(): KitPorts['tokenStore'] {
    return this.ports.tokenStore;
  }

  /** True for authorization code connectors (the flow starts with a person). */
  get isAuthorizationCode(): boolean {
    return this.manifest.capabilities.authorizationCode;
  }

  /** A fact worth reporting even when the scenario passes. */
  note(text: string): void {
    this.notes.push(text);
  }

  /**
   * A connection whose credentials are the manifest's samples with the kit's client, redirect
   * URI and endpoints written in. Every secret field value is tracked.
   */
  connection(options: ConnectionOptions = {}): ConnectionInput {
    this.#connections += 1;
    const manifest = this.manifest;
    const schema = manifest.credentialSchema;
    const dropped = (name: string): boolean => {
      if (schema.required.includes(name) || name === manifest.clientFields.secret) return false;
      return VOLATILE_FIELDS.includes(name) || schema.properties[name]?.['x-secret'] === true;
    };
    const credentials: Record<string, unknown> = Object.fromEntries(
      Object.entries(manifest.sampleCredentials).filter(([name]) => !dropped(name)),
    );
    credentials[manifest.clientFields.id] = options.clientId ?? KIT_CLIENT_ID;
    credentials[manifest.clientFields.secret] = options.clientSecret ?? this.values.clientSecret();
    const redirectUri = options.redirectUri ?? this.plan.redirectUri;
    if (redirectUri !== undefined) credentials['redirectUri'] = redirectUri;
    const endpoints = { ...this.plan.overrides, ...options.endpoints };
    if (Object.keys(endpoints).length > 0) {
      const sample = credentials['endpoints'];
      credentials['endpoints'] = { ...(typeof sample === 'object' ? sample : {}), ...endpoints };
    }
    Object.assign(credentials, options.credentials);
    this.secrets.add('client secret', String(credentials[manifest.clientFields.secret]));
    for (const value of secretValues(schema, credentials)) this.secrets.add('credential', value);
    return { id: options.id ?? `conformance-${this.#connections}`, credentials };
  }

  /** The token store key of a connection. */
  storeKey(connection: ConnectionInput): string {
    return connectionKey(this.manifest.id, connection.id);
  }

  /** Releases the scenario's sockets (in-flight requests of a hung connector are aborted). */
  async dispose(): Promise<void> {
    await this.ports.dispatcher.destroy();
  }
}
