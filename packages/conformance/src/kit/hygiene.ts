import type { ScenarioContext } from './context.js';
import { exposedTexts, type ExposedText } from './exposed-texts.js';
import type { Operation } from './operations.js';
import type { SecretKind } from './secrets.js';

/** One place a secret showed up, named by the operation that produced it. */
interface Exposure {
  /** `the error thrown by getAccessToken(conformance-3), after the token endpoint answered 400 invalid_grant` */
  readonly source: string;
  readonly texts: readonly ExposedText[];
}

/** `getAccessToken(conformance-3), after the token endpoint answered 400 invalid_grant`. */
function describeOperation(ctx: ScenarioContext, operation: Operation | undefined): string {
  if (operation === undefined) return 'a call the kit did not see start';
  const answer = ctx.provider.lastAnswerBetween(
    operation.startSeq,
    operation.endSeq ?? Number.MAX_SAFE_INTEGER,
  );
  return `${operation.label}, ${answer === undefined ? 'before any provider call' : `after ${answer}`}`;
}

/** What the moment of a write was: the calls in flight and the last provider answer before it. */
export function describeMoment(
  ctx: ScenarioContext,
  moment: { during: string | undefined; seq: number },
): string {
  const answer = ctx.provider.lastAnswerBetween(0, moment.seq);
  const during = moment.during === undefined ? 'outside any connector call' : `during ${moment.during}`;
  return answer === undefined ? during : `${during}, after ${answer}`;
}

function exposures(ctx: ScenarioContext): Exposure[] {
  const out: Exposure[] = [];
  const lines = ctx.logger.lines();
  lines.forEach((line, i) => {
    const moment = ctx.logger.moments[i] ?? { during: undefined, seq: 0 };
    out.push({
      source: `log line #${i + 1} (${ctx.logger.entries[i]?.level ?? 'log'}), written ${describeMoment(ctx, moment)}`,
      texts: [{ view: '', text: line }],
    });
  });
  for (const error of ctx.observed.errors) {
    out.push({
      source: `the error thrown by ${describeOperation(ctx, ctx.operations.originOf(error))}`,
      texts: exposedTexts(error),
    });
  }
  for (const output of ctx.observed.outputs) {
    out.push({
      source: `the value returned by ${describeOperation(ctx, ctx.operations.originOf(output))}`,
      texts: exposedTexts(output),
    });
  }
  return out;
}

const verb = (kind: SecretKind): string => (kind.endsWith('credentials') ? 'appear' : 'appears');

/** One finding per secret kind and place, listing every view that shows it. */
function findingsIn(ctx: ScenarioContext, exposure: Exposure): string[] {
  const views = new Map<SecretKind, string[]>();
  for (const { view, text } of exposure.texts) {
    for (const kind of ctx.secrets.find(text)) {
      const list = views.get(kind) ?? [];
      if (!list.includes(view)) list.push(view);
      views.set(kind, list);
    }
  }
  return [...views].map(([kind, shown]) => {
    const where = shown.filter((view) => view !== '');
    return `the ${kind} ${verb(kind)} in ${exposure.source}${where.length === 0 ? '' : ` (${where.join(', ')})`}`;
  });
}

/**
 * Where a secret of the scenario shows up: log lines, thrown errors (message, stack,
 * `JSON.stringify`, `util.inspect`, and every own property and `cause` down the chain) and what
 * the connector returned to the host (authorization results, verdicts, statuses). Each finding
 * names the kind of secret, the operation that produced it and the provider's answer just
 * before, never the value.
 */
export function findLeaks(ctx: ScenarioContext): string[] {
  return exposures(ctx).flatMap((exposure) => findingsIn(ctx, exposure));
}

/**
 * Secrets the connector wrote to `console.*`, `process.stdout` or `process.stderr` while the
 * scenario ran (the runner captures them in every scenario).
 */
export function findOutputLeaks(ctx: ScenarioContext): string[] {
  const findings: string[] = [];
  for (const entry of ctx.output.entries) {
    for (const kind of ctx.secrets.find(entry.text)) {
      findings.push(`the ${kind} was written to ${entry.channel} ${describeMoment(ctx, entry)}`);
    }
  }
  return [...new Set(findings)];
}
