import { sampleReport } from '../__fixtures__/sample-report.js';
import { toJUnitXml, xmlEscape } from './junit.js';

describe('toJUnitXml', () => {
  it('writes one suite per connector, one case per scenario, failures with rule and details', () => {
    expect(toJUnitXml(sampleReport)).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="aic-conformance" tests="4" failures="2" errors="0" skipped="1" time="1.234" timestamp="2026-06-01T12:00:00.000Z">',
        '  <testsuite name="acme" package="@acme/connector" tests="3" failures="1" errors="0" skipped="1" time="0.030">',
        '    <properties><property name="version" value="1.0.0"/></properties>',
        '    <testcase classname="acme.callback" name="callback.state-mismatch: A callback with an unknown state is rejected" time="0.010"/>',
        '    <testcase classname="acme.token-request" name="token-request.basic-encoding: Basic &lt;bytes&gt; &amp; &quot;encoding&quot;" time="0.015">',
        '      <failure message="expected the rfc6749 encoding; the header holds &lt;Latin-1&gt;" type="AssertionFailure">Rule: RFC 6749 §2.3.1',
        'unscripted call: POST https://token.conformance.test/x</failure>',
        '    </testcase>',
        '    <testcase classname="acme.refresh" name="refresh.absolute-deadline: Deadline" time="0.000">',
        '      <skipped message="no deadline declared"/>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="./broken" package="./broken" tests="1" failures="1" errors="0" skipped="0" time="0.000">',
        '    <testcase classname="./broken.load" name="load the connector package" time="0.000">',
        '      <failure message="ERR_CONFIGURATION: Could not load connector “./broken”: its module could not be imported. Cause: SyntaxError: Unexpected token &apos;;&apos; at /work/broken/index.js:2:19" type="LoadError">Caused by: SyntaxError: Unexpected token &apos;;&apos;',
        'At: /work/broken/index.js:2:19',
        'To fix: fix the syntax error</failure>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('escapes markup and replaces characters XML 1.0 cannot hold', () => {
    expect(xmlEscape(`a<b>&"c"'\u0001\u0007ok`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;\uFFFD\uFFFDok');
  });
});
