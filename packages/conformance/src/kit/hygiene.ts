import { inspect } from 'node:util';
import type { ScenarioContext } from './context.js';

/** Every text a person or a log could see, named by where it came from. */
function exposedTexts(ctx: ScenarioContext): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  ctx.logger.lines().forEach((line, i) => out.push({ where: `log line #${i + 1}`, text: line }));
  ctx.observed.errors.forEach((error, i) => {
    const where = `error #${i + 1}`;
    if (error instanceof Error) {
      out.push({ where: `${where} message`, text: error.message });
      out.push({ where: `${where} stack`, text: error.stack ?? '' });
    }
    out.push({ where: `${where} JSON.stringify`, text: safeJson(error) });
    out.push({ where: `${where} util.inspect`, text: inspect(error, { depth: 8 }) });
  });
  ctx.observed.outputs.forEach((output, i) => {
    out.push({ where: `connector output #${i + 1} (JSON)`, text: safeJson(output) });
    out.push({ where: `connector output #${i + 1} (util.inspect)`, text: inspect(output, { depth: 8 }) });
  });
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/**
 * Where a secret of the scenario shows up: log lines, thrown errors (message, stack,
 * `JSON.stringify`, `util.inspect`) and what the connector returned to the host (authorization
 * results, verdicts, statuses). Each finding names the kind of secret and the place, never the value.
 */
export function findLeaks(ctx: ScenarioContext): string[] {
  const findings: string[] = [];
  for (const { where, text } of exposedTexts(ctx)) {
    for (const kind of ctx.secrets.find(text)) findings.push(`the ${kind} appears in ${where}`);
  }
  return findings;
}
