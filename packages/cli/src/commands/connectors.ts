import { text } from '@aic/connector-core';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Command } from './command.js';

/** `aic connectors`: the loaded connectors and their capabilities. */
export const connectorsCommand: Command = {
  name: 'connectors',
  arguments: [],
  options: [],
  usesStore: false,
  summary: text(
    'Lista los conectores cargados y sus capacidades.',
    'Lists the loaded connectors and their capabilities.',
  ),
  async run({ out, host }) {
    const loaded = (await host()).connectors();
    const lines: string[] = [];
    for (const { connector, packageName, packageVersion } of loaded) {
      const m = connector.manifest;
      const capabilities = [
        m.grant,
        ...(m.capabilities.pkce ? [out.t(messages.capabilityPkce)] : []),
        ...(m.capabilities.refreshToken ? [out.t(messages.capabilityRefresh)] : []),
      ];
      lines.push(
        `${m.id} ${m.version} — ${out.t(m.displayName)}`,
        `  ${out.t(m.description)}`,
        `  ${out.t(messages.grant)}: ${capabilities.join(' · ')}`,
        `  ${out.t(messages.regions)}: ${m.capabilities.regions.join(', ') || out.t(messages.none)}`,
        ...(m.capabilities.refreshTokenDeadline ? [`  ${out.t(messages.capabilityDeadline)}`] : []),
        `  ${out.t(messages.package)}: ${packageName}@${packageVersion}`,
      );
    }
    out.result(
      {
        ok: true,
        connectors: loaded.map(({ connector: { manifest: m }, packageName, packageVersion }) => ({
          id: m.id,
          version: m.version,
          displayName: m.displayName,
          description: m.description,
          grant: m.grant,
          capabilities: m.capabilities,
          package: { name: packageName, version: packageVersion },
        })),
      },
      loaded.length === 0 ? [out.t(messages.noConnectors)] : lines,
    );
    return ExitCode.Ok;
  },
};
