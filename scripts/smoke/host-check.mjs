// Copied into the empty host project the tarballs were installed in and run there with the Node
// under test, as a host developer's code would run: imports every entry point of every package,
// loads every connector through `loadConnectorPackage` into one inversify container and checks
// what a host reads of each. Prints one JSON line; the smoke compares it with what it expects.
//
//   node host-check.mjs <plan.json>
//   plan: { packages: [{ name, version, exports: [subpath], connector }], coreExports: [name] }
import { readFile } from 'node:fs/promises';

const plan = JSON.parse(await readFile(process.argv[2], 'utf8'));
const specifier = (name, subpath) => (subpath === '.' ? name : `${name}/${subpath.slice(2)}`);
const json = async (id) => (await import(id, { with: { type: 'json' } })).default;

// Every entry point imports; JavaScript ones report their export names.
const entries = {};
for (const pkg of plan.packages) {
  for (const subpath of pkg.exports) {
    const id = specifier(pkg.name, subpath);
    entries[id] = subpath.endsWith('.json') ? typeof (await json(id)) : Object.keys(await import(id)).sort();
  }
}

const core = await import('@aic/connector-core');
const { Container } = await import('inversify');
const container = new Container();
container.load(core.connectorCoreModule());

const connectors = {};
for (const pkg of plan.packages.filter((p) => p.connector)) {
  const loaded = await core.loadConnectorPackage(container, pkg.name);
  const own = await import(pkg.name);
  const connector = container.get(core.ConnectorRegistryId).get(own.manifest.id);
  const manifest = connector.manifest;
  const schema = manifest.credentialSchema;
  const [es, en] = await Promise.all([
    json(`${pkg.name}/credentials.schema.json`),
    json(`${pkg.name}/credentials.schema.en.json`),
  ]);
  connector.validateCredentials(manifest.sampleCredentials);
  const enums = Object.entries(schema.properties).filter(([, field]) => field.enum !== undefined);
  connectors[pkg.name] = {
    loaded: loaded.packageName,
    loadedVersion: loaded.version,
    id: manifest.id,
    version: manifest.version,
    sameManifest: JSON.stringify(manifest) === JSON.stringify(own.manifest),
    moduleIsBound: typeof own.connectorModule?.load === 'function',
    spanishFileIsManifestSchema: JSON.stringify(es) === JSON.stringify(schema),
    englishFileIsGenerated: JSON.stringify(en) === JSON.stringify(core.credentialSchemaIn(schema, 'en')),
    englishTitle: en.title === schema['x-title'].en && en.title !== es.title,
    labelledEnums: enums
      .filter(([, field]) =>
        field.enum.every((value) =>
          field.oneOf?.some((o) => o.const === value && o['x-title']?.es !== '' && o['x-title']?.en !== ''),
        ),
      )
      .map(([name]) => name),
    enums: enums.map(([name]) => name),
  };
}

process.stdout.write(
  `${JSON.stringify({
    node: process.versions.node,
    coreExportsMatch: JSON.stringify(entries['@aic/connector-core']) === JSON.stringify(plan.coreExports),
    registry: container
      .get(core.ConnectorRegistryId)
      .list()
      .map((c) => c.manifest.id),
    entries,
    connectors,
  })}\n`,
);
