import { BrowserClient as Browser, type Page } from '../../../../test/browser-client.js';
import { OPERATOR } from './console-host.js';

export { csrfToken, visibleText, type Page } from '../../../../test/browser-client.js';

/** The shared test browser, signing in as the console tests' operator unless told otherwise. */
export class BrowserClient extends Browser {
  override signIn(
    username: string = OPERATOR.username,
    password: string = OPERATOR.password,
    next = '/',
  ): Promise<Page> {
    return super.signIn(username, password, next);
  }
}
