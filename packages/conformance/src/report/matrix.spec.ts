import { sampleReport } from '../__fixtures__/sample-report.js';
import { renderMatrix } from './matrix.js';

describe('renderMatrix', () => {
  it('prints the connector × scenario matrix, failures, notes, skips, totals and runtime', () => {
    expect(renderMatrix(sampleReport)).toBe(
      [
        'AIC connector conformance — 3 scenarios × 2 connector(s)',
        '',
        'scenario                        acme   ./broken',
        '[callback]',
        '  callback.state-mismatch       PASS   —',
        '[token-request]',
        '  token-request.basic-encoding  FAIL   —',
        '[refresh]',
        '  refresh.absolute-deadline     SKIP   —',
        '',
        'pass / fail / skip              1/1/1  0/1/0',
        '',
        'FAIL',
        '  acme × token-request.basic-encoding [RFC 6749 §2.3.1]',
        '      expected the rfc6749 encoding; the header holds <Latin-1>',
        '        · unscripted call: POST https://token.conformance.test/x',
        "  ./broken: could not load: ERR_CONFIGURATION: Could not load connector “./broken”: its module could not be imported. Cause: SyntaxError: Unexpected token ';' at /work/broken/index.js:2:19",
        "        · caused by SyntaxError: Unexpected token ';'",
        '        · at /work/broken/index.js:2:19',
        '        · to fix: fix the syntax error',
        '',
        'ENDPOINTS SCRIPTED',
        "  acme: kit hosts (the connection's endpoint overrides)",
        '',
        'NOTES',
        '  acme × callback.state-mismatch: a note',
        '',
        'SKIP (not applicable)',
        '  acme: no deadline declared — refresh.absolute-deadline',
        '',
        'FAILED: 1 passed, 2 failed, 1 skipped.',
        'Runtime: 1.23 s for 3 scenario runs (3 scenarios × 2 connector(s)).',
        '',
      ].join('\n'),
    );
  });

  it('keeps the matrix intact when the only connector did not load: every row, a padded footer', () => {
    const broken = sampleReport.connectors[1]!;
    const text = renderMatrix({
      ...sampleReport,
      connectors: [broken],
      totals: { pass: 0, fail: 1, skip: 0 },
    });
    expect(text.split('\n').slice(0, 11)).toEqual([
      'AIC connector conformance — 3 scenarios × 1 connector(s)',
      '',
      'scenario                        ./broken',
      '[callback]',
      '  callback.state-mismatch       —',
      '[token-request]',
      '  token-request.basic-encoding  —',
      '[refresh]',
      '  refresh.absolute-deadline     —',
      '',
      'pass / fail / skip              0/1/0',
    ]);
  });
});
