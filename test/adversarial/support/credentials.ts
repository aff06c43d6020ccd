/** Secrets of the adversarial suite: every one is looked for in what an attacker received. */
export const SECRETS = {
  hpSecret: 'hp-adversarial-secret+with/odd%chars-7Q',
  hpRefreshToken: 'RT-hp-imported-adversarial-0123456789',
  abbyySecret: 'abbyy-adversarial-secret-5Z5Z5Z5Z',
  leanCorePassword: 'leancore-adversarial-password-8W8W',
} as const;

type EndpointOverrides = Readonly<Record<string, string>>;

/** Valid credentials of each provider, pointed at `endpoints` (all the keys its schema allows). */
export function credentialsFor(connectorId: string, endpoints: EndpointOverrides): Record<string, unknown> {
  switch (connectorId) {
    case 'hp-techpulse':
      return {
        clientId: 'hp-adversarial-client',
        clientSecret: SECRETS.hpSecret,
        clientSecretCreatedAt: '2026-11-01',
        redirectUri: 'https://aic.example.com/oauth/callback',
        region: 'us',
        refreshToken: SECRETS.hpRefreshToken,
        endpoints,
      };
    case 'abbyy-vantage':
      return {
        clientId: 'abbyy-adversarial-client',
        clientSecret: SECRETS.abbyySecret,
        redirectUri: 'https://aic.example.com/oauth/callback',
        region: 'eu',
        endpoints,
      };
    case 'leancore':
      return {
        username: 'leancore-adversarial-client',
        password: SECRETS.leanCorePassword,
        environment: 'production',
        // LeanCore's schema allows only these two keys.
        endpoints: Object.fromEntries(
          Object.entries(endpoints).filter(([key]) => key === 'token' || key === 'apiBase'),
        ),
      };
    default:
      throw new Error(`no credentials for ${connectorId}`);
  }
}

/** Every endpoint key pointed at `origin` (paths as the providers use them). */
export const everyEndpointAt = (origin: string): EndpointOverrides => ({
  authorization: `${origin}/oauth/authorize`,
  token: `${origin}/oauth/token`,
  apiBase: origin,
});
