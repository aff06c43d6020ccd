import type { ConformanceReport } from '../report/report.js';

/** A small report with one pass, one failure, one skip and a connector that did not load. */
export const sampleReport: ConformanceReport = {
  tool: { name: '@aic/conformance', version: '0.1.0' },
  startedAt: '2026-06-01T12:00:00.000Z',
  durationMs: 1234.5,
  scenarioCount: 3,
  scenarios: [
    {
      id: 'callback.state-mismatch',
      family: 'callback',
      title: 'A callback with an unknown state is rejected',
      rule: { source: 'RFC 6749 §10.12' },
    },
    {
      id: 'token-request.basic-encoding',
      family: 'token-request',
      title: 'Basic',
      rule: { source: 'RFC 6749 §2.3.1' },
    },
    {
      id: 'refresh.absolute-deadline',
      family: 'refresh',
      title: 'Deadline',
      rule: { source: 'PROVIDERS.md' },
    },
  ],
  totals: { pass: 1, fail: 2, skip: 1 },
  ok: false,
  connectors: [
    {
      target: '@acme/connector',
      connectorId: 'acme',
      version: '1.0.0',
      displayName: { es: 'Acme', en: 'Acme' },
      endpoints: {
        overridden: true,
        region: 'main',
        token: 'https://token.conformance.test/oauth2/token',
        apiBase: 'https://api.conformance.test/v1',
      },
      totals: { pass: 1, fail: 1, skip: 1 },
      durationMs: 30,
      results: [
        {
          scenarioId: 'callback.state-mismatch',
          title: 'A callback with an unknown state is rejected',
          family: 'callback',
          rule: { source: 'RFC 6749 §10.12', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-10.12' },
          status: 'pass',
          details: [],
          notes: ['a note'],
          durationMs: 10,
        },
        {
          scenarioId: 'token-request.basic-encoding',
          title: 'Basic <bytes> & "encoding"',
          family: 'token-request',
          rule: { source: 'RFC 6749 §2.3.1' },
          status: 'fail',
          reason: 'expected the rfc6749 encoding; the header holds <Latin-1>',
          details: ['unscripted call: POST https://token.conformance.test/x'],
          notes: [],
          durationMs: 15,
        },
        {
          scenarioId: 'refresh.absolute-deadline',
          title: 'Deadline',
          family: 'refresh',
          rule: { source: 'PROVIDERS.md' },
          status: 'skip',
          reason: 'no deadline declared',
          details: [],
          notes: [],
          durationMs: 0.1,
        },
      ],
    },
    {
      target: './broken',
      connectorId: './broken',
      loadError:
        "ERR_CONFIGURATION: Could not load connector “./broken”: its module could not be imported. Cause: SyntaxError: Unexpected token ';' at /work/broken/index.js:2:19",
      loadFailure: {
        message:
          "ERR_CONFIGURATION: Could not load connector “./broken”: its module could not be imported. Cause: SyntaxError: Unexpected token ';' at /work/broken/index.js:2:19",
        causes: [
          'ERR_CONFIGURATION: Could not load connector “./broken”: its module could not be imported.',
          "SyntaxError: Unexpected token ';'",
        ],
        location: '/work/broken/index.js:2:19',
        hint: 'fix the syntax error',
      },
      totals: { pass: 0, fail: 1, skip: 0 },
      durationMs: 0,
      results: [],
    },
  ],
};
