import { STORE_KEY, TEST_ZONE, Workspace, assertNoPendingMocks } from '../helpers.js';

/** A fresh workspace on the encrypted file store (key {@link STORE_KEY}) speaking `lang`. */
export async function fileStoreWorkspace(lang: string): Promise<Workspace> {
  const ws = await Workspace.create();
  ws.env = { AIC_STORE: 'file', AIC_STORE_KEY: STORE_KEY, LANG: lang, TZ: TEST_ZONE };
  return ws;
}

/** After a test: fails when a scripted call was not made, then removes the workspace. */
export async function closeWorkspace(ws: Workspace): Promise<void> {
  try {
    assertNoPendingMocks();
  } finally {
    await ws.dispose();
  }
}
