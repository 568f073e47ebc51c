// A certified OpenID Connect provider nobody here wrote (npm `oidc-provider`, installed into
// .tools by `make setup`), for `backend/server/tests/api/standard_oidc.rs`: the portal signs in
// against it as against any standard provider.
//
// Run with .tools as the working directory (or .tools/node_modules in NODE_PATH). It listens on a
// port of 127.0.0.1 the system chooses (no port is picked and handed over, so none can be taken
// in between) and prints `listening <issuer>`; the portal is then started with that issuer, and
// its client is given on the first line of stdin, as JSON:
//   {"redirect_uri": "<portal>/api/auth/callback", "post_logout_redirect_uri": "<portal>"}
// Configured by the environment besides:
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET   the one confidential client (the portal)
//   OIDC_ACCESS_TOKEN_TTL          access token lifetime in seconds (optional, default 3600)
// Prints `ready <issuer>` once it answers; exits when stdin closes or on SIGTERM/SIGINT.
//
// Development only: accounts exist for any login name, sessions live in memory.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

// An ES module resolves bare names from its own directory only, and this file is not where
// `make setup` installs packages: `oidc-provider` is found the CommonJS way instead, from the
// working directory and NODE_PATH.
const require = createRequire(`${process.cwd()}/`);
let Provider;
try {
  ({ default: Provider } = await import(pathToFileURL(require.resolve('oidc-provider'))));
} catch (error) {
  console.error(`server.mjs: oidc-provider not found from ${process.cwd()}; run \`make setup\`\n${error}`);
  process.exit(3);
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`server.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

const server = createServer();
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const issuer = `http://127.0.0.1:${server.address().port}`;
console.log(`listening ${issuer}`);

// The parent holds stdin open for as long as it wants the provider; its first line is the
// client's addresses.
const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
const first = await lines.next();
if (first.done) {
  process.exit(0);
}
const portal = JSON.parse(first.value);
const accessTokenTtl = Number(process.env.OIDC_ACCESS_TOKEN_TTL ?? 3600);

// A fresh RS256 signing key each start: nothing to commit, nothing to leak.
const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: randomBytes(8).toString('hex'),
  alg: 'RS256',
  use: 'sig',
};

// Whatever login is typed on the development login form is an account: `ada` is Ada,
// ada@example.org.
async function findAccount(_ctx, login) {
  return {
    accountId: login,
    async claims() {
      return {
        sub: login,
        preferred_username: login,
        name: login.charAt(0).toUpperCase() + login.slice(1),
        email: login.includes('@') ? login : `${login}@example.org`,
        email_verified: true,
      };
    },
  };
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: required('OIDC_CLIENT_ID'),
      client_secret: required('OIDC_CLIENT_SECRET'),
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [portal.redirect_uri],
      post_logout_redirect_uris: [portal.post_logout_redirect_uri],
    },
  ],
  findAccount,
  // Which claims each scope releases (OpenID Connect Core §5.4).
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email', 'email_verified'],
  },
  // Refresh tokens. OpenID Connect Core §11 lets a provider ignore `offline_access` unless the
  // request also says `prompt=consent`, and oidc-provider does (it drops the scope otherwise);
  // the portal sends no `prompt` (which would force a consent page at every sign-in). §11 also
  // allows "other conditions ... permitting offline access": here, the operator registering the
  // client for the refresh_token grant. Such a refresh token lives only as long as the person's
  // session at this provider (the library's default `expiresWithSession` for tokens without
  // `offline_access`), which is what an "online" refresh token should be.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  pkce: { required: () => true },
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  // Every lifetime set, in seconds (the library prints a notice for each left to its default).
  ttl: {
    AccessToken: accessTokenTtl,
    AuthorizationCode: 60,
    IdToken: 3600,
    Interaction: 600,
    Grant: 14 * 24 * 3600,
    RefreshToken: 14 * 24 * 3600,
    Session: 14 * 24 * 3600,
  },
  features: {
    // The library's own login form (any login name, any password) and consent page.
    devInteractions: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
});

// What the provider refuses, on stderr: the test's output then says why a step failed.
for (const event of ['server_error', 'authorization.error', 'grant.error', 'revocation.error',
  'end_session.error', 'introspection.error', 'userinfo.error']) {
  provider.on(event, (_ctx, error) => {
    console.error(`oidc-provider ${event}: ${error.message} ${error.error_description ?? ''}`);
  });
}

server.on('request', provider.callback());
console.log(`ready ${issuer}`);

function stop() {
  server.close();
  process.exit(0);
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
input.on('close', stop);
