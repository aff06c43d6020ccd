import { baseFields, defineCredentialSchema, field, text, type CredentialSchema } from '@aic/connector-core';
import { credentialSchema as hpSchema } from '@aic/provider-hp-techpulse';
import { credentialFields, fieldId, pointersOf } from './credential-form.js';
import { credentialsFromForm } from './form-values.js';
import { formFields, valueAt } from './schema-fields.js';

/** A schema with what HP's lacks: enum labels (oneOf), an integer, a boolean. */
const richSchema = {
  ...defineCredentialSchema({
    $id: 'https://example.com/rich.json',
    title: text('Rica', 'Rich'),
    description: text('d', 'd'),
    properties: {
      clientId: baseFields.clientId(),
      clientSecret: baseFields.clientSecret(),
      region: {
        ...baseFields.region(['us', 'eu'], 'us'),
        oneOf: [
          { const: 'us', title: 'Estados Unidos', 'x-title': text('Estados Unidos', 'United States') },
          { const: 'eu', title: 'Unión Europea', 'x-title': text('Unión Europea', 'European Union') },
        ],
      },
      pageSize: {
        type: 'integer',
        minimum: 1,
        maximum: 500,
        ...field(text('Tamaño', 'Page size'), text('h', 'h')),
      },
      sandbox: { type: 'boolean', ...field(text('Pruebas', 'Sandbox'), text('h', 'h')) },
    },
    required: ['clientId', 'clientSecret'],
  }),
} as unknown as CredentialSchema;

describe('formFields', () => {
  it("reads HP's schema in order, with kinds, labels and the endpoints group", () => {
    const fields = formFields(hpSchema, new Set(['/refreshToken']));
    expect(fields.map((f) => [f.pointer, f.kind, f.required])).toEqual([
      ['/clientId', 'text', true],
      ['/clientSecret', 'secret', true],
      ['/clientSecretCreatedAt', 'date', true],
      ['/redirectUri', 'url', true],
      ['/region', 'select', true],
      ['/endpoints', 'group', false],
    ]);
    expect(fields[0]!.title).toEqual({ es: 'API Key (ID de cliente)', en: 'API Key (client ID)' });
    expect(fields[4]!.options).toEqual([
      {
        value: 'us',
        label: { es: 'Estados Unidos (daas.api.hp.com)', en: 'United States (daas.api.hp.com)' },
      },
      {
        value: 'eu',
        label: { es: 'Unión Europea (eu.daas.api.hp.com)', en: 'European Union (eu.daas.api.hp.com)' },
      },
    ]);
    expect(fields[5]!.children.map((c) => [c.pointer, c.kind, c.required])).toEqual([
      ['/endpoints/authorization', 'url', false],
      ['/endpoints/token', 'url', false],
      ['/endpoints/apiBase', 'url', false],
    ]);
  });

  it('labels enum values from oneOf x-title', () => {
    const region = formFields(richSchema).find((f) => f.key === 'region')!;
    expect(region.options).toEqual([
      { value: 'us', label: { es: 'Estados Unidos', en: 'United States' } },
      { value: 'eu', label: { es: 'Unión Europea', en: 'European Union' } },
    ]);
  });
});

describe('credentialsFromForm', () => {
  const fields = formFields(hpSchema, new Set(['/refreshToken']));
  const form = (entries: Record<string, string>) => new URLSearchParams(entries);

  it('builds credentials from the submitted fields, trimming text and leaving blanks out', () => {
    expect(
      credentialsFromForm(
        fields,
        form({
          '/clientId': ' key ',
          '/clientSecret': ' s3cret ',
          '/clientSecretCreatedAt': '2026-11-01',
          '/redirectUri': 'https://aic.example.com/oauth/callback',
          '/region': 'eu',
          '/endpoints/authorization': '',
          '/endpoints/token': '',
          '/unknown': 'ignored',
        }),
        undefined,
      ),
    ).toEqual({
      clientId: 'key',
      clientSecret: ' s3cret ',
      clientSecretCreatedAt: '2026-11-01',
      redirectUri: 'https://aic.example.com/oauth/callback',
      region: 'eu',
    });
  });

  it('keeps a stored secret when its field is blank, and the hidden imported refresh token', () => {
    const previous = {
      clientId: 'old',
      clientSecret: 'stored-secret',
      refreshToken: 'stored-rt',
      region: 'us',
    };
    const out = credentialsFromForm(
      fields,
      form({ '/clientId': 'new', '/clientSecret': '', '/endpoints/token': 'https://proxy.example.com/t' }),
      previous,
      ['/refreshToken'],
    );
    expect(out).toEqual({
      clientId: 'new',
      clientSecret: 'stored-secret',
      endpoints: { token: 'https://proxy.example.com/t' },
      refreshToken: 'stored-rt',
    });
  });

  it('replaces a stored secret when a new one is typed', () => {
    const out = credentialsFromForm(fields, form({ '/clientSecret': 'new-secret' }), { clientSecret: 'old' });
    expect(out['clientSecret']).toBe('new-secret');
  });

  it('converts numbers and booleans, keeping a non-number for the schema check to name', () => {
    const rich = formFields(richSchema);
    expect(credentialsFromForm(rich, form({ '/pageSize': '50', '/sandbox': 'true' }), undefined)).toEqual({
      pageSize: 50,
      sandbox: true,
    });
    expect(credentialsFromForm(rich, form({ '/pageSize': 'fifty' }), undefined)).toEqual({
      pageSize: 'fifty',
      sandbox: false,
    });
  });
});

describe('credentialFields (rendering)', () => {
  const fields = formFields(hpSchema, new Set(['/refreshToken']));

  it('renders labels, help, inputs by kind, and never a secret value', () => {
    const out = credentialFields(fields, {
      lang: 'es',
      values: {
        clientId: 'key-1',
        clientSecret: 'NEVER-SHOWN',
        region: 'eu',
        endpoints: { token: 'https://p.example/t' },
      },
      storedSecrets: new Set(['/clientSecret']),
      issues: new Map(),
    }).toString();
    expect(out).not.toContain('NEVER-SHOWN');
    expect(out).toContain('<label for="f-clientId">API Key (ID de cliente)</label>');
    expect(out).toContain('name="/clientId" aria-describedby="f-clientId-help" type="text" value="key-1"');
    expect(out).toContain(
      '<input id="f-clientSecret" name="/clientSecret" aria-describedby="f-clientSecret-help" type="password" value="" autocomplete="new-password"',
    );
    expect(out).toContain('Guardado. Déjelo en blanco para conservarlo');
    expect(out).not.toMatch(/name="\/clientSecret"[^>]*required/); // stored: may stay blank
    expect(out).toContain('type="date"');
    expect(out).toContain('name="/redirectUri" aria-describedby="f-redirectUri-help" type="url"');
    expect(out).toContain('<option value="eu" selected>Unión Europea (eu.daas.api.hp.com)</option>');
    expect(out).toContain(
      '<legend>Endpoints personalizados <span class="optional">(opcional)</span></legend>',
    );
    expect(out).toContain(
      'name="/endpoints/token" aria-describedby="f-endpoints-token-help" type="url" value="https://p.example/t"',
    );
  });

  it('marks a new secret required and shows issues by pointer, in the page language', () => {
    const out = credentialFields(fields, {
      lang: 'en',
      values: undefined,
      storedSecrets: new Set(),
      issues: new Map([['/redirectUri', [text('x', '“Redirect URI” must use https')]]]),
    }).toString();
    expect(out).toMatch(/name="\/clientSecret"[^>]*required/);
    expect(out).toContain('<div class="field invalid">');
    expect(out).toContain('aria-describedby="f-redirectUri-error f-redirectUri-help" aria-invalid="true"');
    expect(out).toContain('<p class="error" id="f-redirectUri-error">“Redirect URI” must use https</p>');
    expect(out).toContain('<option value="us" selected>United States (daas.api.hp.com)</option>'); // the schema default
  });

  it('labels oneOf choices in the page language and escapes values', () => {
    const out = credentialFields(formFields(richSchema), {
      lang: 'en',
      values: { clientId: '"><script>x</script>' },
      storedSecrets: new Set(),
      issues: new Map(),
    }).toString();
    expect(out).toContain('<option value="eu">European Union</option>');
    expect(out).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(out).toContain('type="number" step="1" min="1" max="500"');
    expect(out).toContain('type="checkbox" value="true"');
  });
});

describe('helpers', () => {
  it('fieldId makes ids from pointers', () => {
    expect(fieldId('/endpoints/apiBase')).toBe('f-endpoints-apiBase');
    expect(fieldId('/a b~1')).toBe('f-a_20b_7e1');
  });

  it('pointersOf lists every field, nested ones too; valueAt reads pointers', () => {
    expect([...pointersOf(formFields(hpSchema))]).toContain('/endpoints/apiBase');
    expect(valueAt({ a: { 'b/c': 1 } }, '/a/b~1c')).toBe(1);
    expect(valueAt({ a: 1 }, '/a/b')).toBeUndefined();
  });
});
