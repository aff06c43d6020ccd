/**
 * @aic/store-file: the encrypted JSON file token store for Aranda Integration Center hosts — one
 * file of AES-256-GCM sealed records, replaced atomically, with a lock file per connection.
 * Superseded as the default by `@aic/store-sqlite` (see `aic store migrate`); kept for hosts that
 * already use it.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { EncryptedFilePendingAuthorizationStore, EncryptedFileTokenStore } from './encrypted-file-store.js';
export type { EncryptedFileSnapshot, EncryptedFileStoreOptions } from './encrypted-file-store.js';
export { STORE_FORMAT, STORE_VERSION } from './store-document.js';
