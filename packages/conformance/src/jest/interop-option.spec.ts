import { catalogue } from '../catalogue.js';
import { referenceCodeModule } from '../self-test/reference.js';
import { interopScenarios } from '../scenarios/interop/index.js';
import { describeConformance, type TestFramework } from './describe-conformance.js';

function fakeFramework(): {
  framework: TestFramework;
  names: string[];
  afterAll: (() => void | Promise<void>)[];
} {
  const names: string[] = [];
  const afterAll: (() => void | Promise<void>)[] = [];
  const framework: TestFramework = {
    describe: (_name, body) => body(),
    it: Object.assign((name: string) => void names.push(name), {
      skip: (name: string) => void names.push(name),
    }),
    afterAll: (body) => void afterAll.push(body),
  };
  return { framework, names, afterAll };
}

describe('describeConformance and the interop family', () => {
  it('includes the interop scenarios by default, and leaves them out with interop: false', async () => {
    const all = fakeFramework();
    await describeConformance(referenceCodeModule, { framework: all.framework });
    expect(all.names).toHaveLength(catalogue.length);
    expect(all.names.filter((n) => n.startsWith('interop.'))).toHaveLength(interopScenarios.length);
    const without = fakeFramework();
    await describeConformance(referenceCodeModule, { framework: without.framework, interop: false });
    expect(without.names).toHaveLength(catalogue.length - interopScenarios.length);
    expect(without.names.some((n) => n.startsWith('interop.'))).toBe(false);
    for (const close of [...all.afterAll, ...without.afterAll]) await close();
  });
});
