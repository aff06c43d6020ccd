import { text, type CredentialSchema, type FieldSchema } from '@aic/connector-core';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Output } from '../output.js';
import type { Command } from './command.js';

function fieldLines(
  out: Output,
  properties: Readonly<Record<string, FieldSchema>>,
  required: readonly string[],
  prefix: string,
): string[] {
  const lines: string[] = [];
  for (const [name, field] of Object.entries(properties)) {
    const path = `${prefix}${name}`;
    const type =
      field.type === 'string' && field.enum !== undefined
        ? field.enum.join(' | ')
        : field.type === 'string' && field.format !== undefined
          ? `string (${field.format})`
          : field.type;
    const flags = [
      ...(required.includes(name) ? [out.t(messages.required)] : []),
      ...(field['x-secret'] === true ? [out.t(messages.secret)] : []),
      ...('default' in field && field.default !== undefined
        ? [`${out.t(messages.defaultValue)}: ${String(field.default)}`]
        : []),
    ];
    lines.push(
      `  ${path}: ${type}${flags.length > 0 ? ` [${flags.join(', ')}]` : ''}`,
      `      ${out.t(field['x-title'])} — ${out.t(field['x-description'])}`,
    );
    if (field.type === 'object') {
      lines.push(...fieldLines(out, field.properties, field.required ?? [], `${path}.`));
    }
  }
  return lines;
}

/** `aic schema <connector>`: the connector's credential JSON Schema. */
export const schemaCommand: Command = {
  name: 'schema',
  arguments: ['connector'],
  options: [],
  usesStore: false,
  summary: text(
    'Muestra el esquema de credenciales (JSON Schema) de un conector.',
    "Shows a connector's credential schema (JSON Schema).",
  ),
  async run({ out, host, args }) {
    const connector = (await host()).connector(args[0]!);
    const schema: CredentialSchema = connector.manifest.credentialSchema;
    out.result({ ok: true, connector: connector.manifest.id, schema }, [
      out.t(messages.schemaOf(out.t(connector.manifest.displayName), connector.manifest.id)),
      ...fieldLines(out, schema.properties, schema.required, ''),
      '',
      out.t(messages.schemaJsonHint),
    ]);
    return ExitCode.Ok;
  },
};
