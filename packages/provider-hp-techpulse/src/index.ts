/**
 * @aic/provider-hp-techpulse: the HP TechPulse (HP Proactive Management) connector for Aranda
 * Integration Center. A host loads {@link connectorModule}; the AIC sync uses the data helpers.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

import { manifestOf, type ConnectorManifest } from '@aic/connector-core';
import { hpTechPulse } from './definition.js';

export { credentialSchema, hpTechPulse } from './definition.js';
export type { HpTechPulseCredentials } from './definition.js';
export { connectorModule, createHpTechPulseModule } from './module.js';
export { hpTechPulseDefinitionWith } from './configure.js';
export type { HpTechPulseOptions } from './configure.js';

/** What this connector is and can do (id `hp-techpulse`), for hosts, forms and the conformance kit. */
export const manifest: ConnectorManifest = manifestOf(hpTechPulse);

export { CHILD_TENANTS_PATH, TENANTS_PATH, listChildTenants, listTenants } from './tenants.js';
export type { HpTenant } from './tenants.js';
export { HARDWARE_INVENTORY_PATH, hardwareInventory } from './hardware-inventory.js';
export type { HardwareInventoryOptions, HardwareInventoryRecord } from './hardware-inventory.js';
export { pageThrough } from './scim-pages.js';
export type { PageFetcher, PagingOptions, ScimListPage, StartIndexConvention } from './scim-pages.js';
