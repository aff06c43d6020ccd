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
        '  ./broken: could not load: ERR_CONFIGURATION: no "aicConnector"',
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
});
