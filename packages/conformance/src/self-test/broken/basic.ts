import {
  ConnectorError,
  ErrorCode,
  OAuthConnector,
  text,
  type ClientAuthentication,
} from '@aic/connector-core';
import { rfc6749FormEncode } from '../../kit/basic.js';
import { moduleOf, referenceClient, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** Declares rfc6749 but form-encodes id and secret twice. */
const doubleEncoded: ClientAuthentication = {
  method: 'client_secret_basic',
  encoding: 'rfc6749',
  apply(client, headers, body) {
    const twice = (value: string): string => rfc6749FormEncode(rfc6749FormEncode(value));
    const pair = `${twice(client.clientId)}:${twice(client.clientSecret ?? '')}`;
    headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    body.delete('client_id');
    body.delete('client_secret');
  },
};

/** Declares plain but encodes the pair as Latin-1 (what `btoa` does, when it does not throw). */
const latin1: ClientAuthentication = {
  method: 'client_secret_basic',
  encoding: 'plain',
  apply(client, headers, body) {
    if (client.clientId.includes(':'))
      throw new ConnectorError(ErrorCode.InvalidCredentials, text('«:» en el id', '":" in the id'));
    headers['authorization'] =
      `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret ?? ''}`, 'latin1').toString('base64')}`;
    body.delete('client_id');
    body.delete('client_secret');
  },
};

/** Basic header and client_id/client_secret in the body: two methods at once. */
const headerAndBody: ClientAuthentication = {
  method: 'client_secret_basic',
  encoding: 'rfc6749',
  apply(client, headers, body) {
    const pair = `${rfc6749FormEncode(client.clientId)}:${rfc6749FormEncode(client.clientSecret ?? '')}`;
    headers['authorization'] = `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
    body.set('client_id', client.clientId);
    body.set('client_secret', client.clientSecret ?? '');
  },
};

export const doubleEncodesBasic: BrokenConnector = {
  name: 'double-encodes-basic',
  breaks: 'form-urlencodes the Basic credentials twice',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(
        { ...referenceCode, grant: { ...referenceCode.grant, refreshAuth: doubleEncoded } },
        runtime,
      ),
  ),
  caughtBy: ['token-request.basic-encoding'],
};

export const latin1Basic: BrokenConnector = {
  name: 'latin1-basic',
  breaks: 'encodes the Basic credentials as Latin-1 instead of UTF-8',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(
        { ...referenceClient, grant: { ...referenceClient.grant, auth: latin1, refreshAuth: latin1 } },
        runtime,
      ),
  ),
  caughtBy: ['token-request.basic-encoding'],
};

export const credentialsInHeaderAndBody: BrokenConnector = {
  name: 'credentials-in-header-and-body',
  breaks: 'sends the client credentials in the Basic header and in the body',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(
        { ...referenceCode, grant: { ...referenceCode.grant, refreshAuth: headerAndBody } },
        runtime,
      ),
  ),
  caughtBy: ['token-request.single-auth-method'],
};
