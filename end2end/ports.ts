/** Port of the main test server. */
export const WARD_PORT = 3411;
/** Port of the server that allows 2 chat messages per hour (the rate-limit test). */
export const LIMITED_PORT = 3412;
/** Port of the server configured for single sign-on with the local OpenID Provider. */
export const SSO_PORT = 3413;
/** Port of the local OpenID Provider (`oidc/provider.mjs`), reached as `localhost`. */
export const OIDC_PORT = 3414;
