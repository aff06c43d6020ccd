import { SafeHtml, attributes, escapeHtml, html, safeUrl } from './html.js';

const PAYLOAD = `<script>alert("x")</script>&'`;

describe('html: text', () => {
  it('escapes the five special characters of text', () => {
    expect(html`<p>${PAYLOAD}</p>`.toString()).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</p>',
    );
  });

  it('inserts nested html results verbatim and flattens arrays', () => {
    const items = ['a<b', 'c&d'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>`.toString()).toBe('<ul><li>a&lt;b</li><li>c&amp;d</li></ul>');
    expect(html`${[html`<b>x</b>`, '<i>', [1, [2]]]}`.toString()).toBe('<b>x</b>&lt;i&gt;12');
  });

  it('renders nothing for null, undefined and false; numbers and true as text', () => {
    expect(html`[${null}${undefined}${false}${0}${true}]`.toString()).toBe('[0true]');
  });

  it('cannot be forged from a string', () => {
    const Forge = SafeHtml as unknown as new (token: symbol, value: string) => SafeHtml;
    expect(() => new Forge(Symbol('minting'), '<script>')).toThrow(TypeError);
  });

  it('returns SafeHtml, whose only view is its string', () => {
    const out = html`<p>${'x'}</p>`;
    expect(out).toBeInstanceOf(SafeHtml);
    expect(`${out}`).toBe('<p>x</p>');
  });

  it('escapes text inside <textarea> and <title> (RCDATA)', () => {
    expect(html`<title>${'</title><script>'}</title>`.toString()).toBe(
      '<title>&lt;/title&gt;&lt;script&gt;</title>',
    );
  });
});

describe('html: attribute values', () => {
  it('escapes quotes in double- and single-quoted values', () => {
    expect(html`<input value="${'" onfocus="x'}">`.toString()).toBe('<input value="&quot; onfocus=&quot;x">');
    expect(html`<input value='${"' onfocus='x"}'>`.toString()).toBe("<input value='&#39; onfocus=&#39;x'>");
  });

  it('refuses an html value in an attribute', () => {
    expect(() => html`<a title="${html`<b>`}">`).toThrow(TypeError);
  });

  it('refuses an unquoted interpolation inside a tag', () => {
    expect(() => html`<input value=${'x onfocus=alert(1)'}>`).toThrow(/quote the value/);
    expect(() => html`<input ${'autofocus onfocus=alert(1)'}>`).toThrow(TypeError);
  });

  it('accepts attributes() inside a tag, leaving out false and null', () => {
    const out = html`<input${attributes({ name: 'a"b', required: true, disabled: false, maxlength: 5, value: null })}>`;
    expect(out.toString()).toBe('<input name="a&quot;b" required maxlength="5">');
  });

  it('refuses event-handler, style and malformed attribute names', () => {
    expect(() => attributes({ onclick: 'x' })).toThrow(TypeError);
    expect(() => attributes({ style: 'x' })).toThrow(TypeError);
    expect(() => attributes({ 'a b': 'x' })).toThrow(TypeError);
  });
});

describe('html: URLs', () => {
  it.each([
    ['/connections/a', '/connections/a'],
    ['?lang=en', '?lang=en'],
    ['#field-clientId', '#field-clientId'],
    ['https://daas.api.hp.com/oauth/v1/authorize?x=1', 'https://daas.api.hp.com/oauth/v1/authorize?x=1'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080/'],
    ['javascript:alert(1)', 'about:invalid#blocked'],
    ['JaVa\tScRiPt:alert(1)', 'about:invalid#blocked'],
    ['data:text/html,<script>', 'about:invalid#blocked'],
    ['//evil.example/x', 'about:invalid#blocked'],
    ['/\\evil.example/x', 'about:invalid#blocked'],
    ['relative/path', 'about:invalid#blocked'],
    ['/ok\u0000', 'about:invalid#blocked'],
  ])('safeUrl(%j) is %j', (input, expected) => {
    expect(safeUrl(input)).toBe(expected);
  });

  it('checks a value that starts a URL attribute', () => {
    expect(html`<a href="${'javascript:alert(1)'}">x</a>`.toString()).toBe(
      '<a href="about:invalid#blocked">x</a>',
    );
    expect(html`<form action="${'/connections/a?x=1&y=2'}">`.toString()).toBe(
      '<form action="/connections/a?x=1&amp;y=2">',
    );
    expect(html`<a href='${'data:x'}'>`.toString()).toBe(`<a href='about:invalid#blocked'>`);
  });

  it('percent-encodes a value inside a URL attribute (a path segment or a query value)', () => {
    expect(html`<a href="/connections/${'../admin?x=1#"'}/status">`.toString()).toBe(
      '<a href="/connections/..%2Fadmin%3Fx%3D1%23%22/status">',
    );
    expect(html`<a href="?lang=${'en&next=//evil'}">`.toString()).toBe(
      '<a href="?lang=en%26next%3D%2F%2Fevil">',
    );
    // A second interpolation in the same value is a component too.
    expect(html`<a href="${'/a'}${'/b c'}">`.toString()).toBe('<a href="/a%2Fb%20c">');
  });

  it('checks URL attributes given through attributes()', () => {
    expect(attributes({ formaction: 'javascript:x' }).toString()).toBe(' formaction="about:invalid#blocked"');
  });
});

describe('html: forbidden places', () => {
  it('refuses interpolation into <script>, <style> and comments', () => {
    expect(() => html`<script>var a = ${'1'};</script>`).toThrow(/<script> element/);
    expect(() => html`<style>p { color: ${'red'} }</style>`).toThrow(/<style> element/);
    expect(() => html`<!-- ${'x'} -->`).toThrow(/comment/);
  });

  it('is back in text after a closed script, style or comment', () => {
    expect(html`<style>p{}</style><p>${'<'}</p><!-- c --><b>${'>'}</b>`.toString()).toBe(
      '<style>p{}</style><p>&lt;</p><!-- c --><b>&gt;</b>',
    );
  });

  it('refuses attributes() in text', () => {
    expect(() => html`<p>${attributes({ id: 'x' })}</p>`).toThrow(TypeError);
  });
});

describe('escapeHtml', () => {
  it('escapes & < > " and \'', () => {
    expect(escapeHtml(`&<>"'x`)).toBe('&amp;&lt;&gt;&quot;&#39;x');
  });
});
