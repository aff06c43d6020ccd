import { fileURLToPath } from 'node:url';
import { OAuthConnector } from '@aic/connector-core';
import { referenceClient, referenceClientModule } from './self-test/reference.js';
import { createKitPorts } from './kit/ports.js';
import { Sequence } from './kit/sequence.js';
import { loadTarget } from './target.js';

const referencePackage = fileURLToPath(
  new URL('./__fixtures__/packages/reference-connector/', import.meta.url),
);

describe('loadTarget', () => {
  it('loads a package by path through core’s loader and rebuilds it on fresh ports', async () => {
    const target = await loadTarget(referencePackage);
    expect(target).toMatchObject({
      kind: 'package',
      label: 'kit-reference-connector',
      packageName: 'kit-reference-connector',
      version: '1.0.0',
    });
    expect(target.manifests.map((m) => m.id)).toEqual(['kit-reference-code']);
    const first = target.build(createKitPorts(new Sequence()));
    const second = target.build(createKitPorts(new Sequence()));
    expect(first[0]).not.toBe(second[0]);
  });

  it('accepts a ContainerModule and a factory on the kit’s ports', async () => {
    expect(await loadTarget(referenceClientModule, { label: 'ref' })).toMatchObject({
      kind: 'module',
      label: 'ref',
    });
    const factory = await loadTarget((ports) => new OAuthConnector(referenceClient, ports));
    expect(factory.kind).toBe('factory');
    expect(factory.manifests.map((m) => m.id)).toEqual(['kit-reference-client']);
  });

  it('fails with the loader’s typed error for a package that is not there', async () => {
    await expect(loadTarget('./nowhere', { from: '/tmp' })).rejects.toMatchObject({
      code: 'ERR_CONFIGURATION',
    });
  });
});
