// A real OpenID Provider for the single sign-on tests: the npm package `oidc-provider`
// (an OpenID-certified implementation) with its own login and consent pages
// (devInteractions: any password; the login names the account) and two accounts:
//   dr.oidc   groups [ward-doctors, staff], unit "4 West"  → Ward's doctor
//   visitor   groups [visitors]                            → no Ward role: refused
// Started by playwright.config.ts on OIDC_PORT (3414) for the Ward server on SSO_PORT.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 3414);
const ward = process.env.WARD_URL ?? 'http://127.0.0.1:3413';
// `localhost`, not 127.0.0.1: the provider is another site than Ward, as in a hospital.
const issuer = `http://localhost:${port}`;

const accounts = {
  'dr.oidc': { name: 'Dr. Olivia Oidc', groups: ['ward-doctors', 'staff'], ward_unit: '4 West' },
  visitor: { name: 'Victor Visitor', groups: ['visitors'] },
};

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: 'ward-e2e',
      client_secret: 'ward-e2e-client-secret',
      redirect_uris: [`${ward}/frontend/oidc/callback`],
      post_logout_redirect_uris: [`${ward}/frontend/login`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    groups: ['groups'],
    ward: ['ward_unit'],
  },
  scopes: ['openid', 'profile', 'groups', 'ward'],
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  cookies: { keys: ['ward-e2e-provider-cookie-key'] },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, ...account };
      },
    };
  },
});
provider.listen(port, () => console.log(`oidc-provider ${issuer}`));
