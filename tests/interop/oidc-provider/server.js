// panva's oidc-provider on 127.0.0.1 for jwsgate's interop tests (see README.md here).
//
// Usage: node server.js [PORT]   (PORT or $PORT; 0 or absent: an ephemeral port)
// Prints one JSON line on stdout once listening: {"port":N,"issuer":"http://127.0.0.1:N"}
// and then serves until killed. Listens on 127.0.0.1 only; keys are made at start.
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import Provider, { errors } from 'oidc-provider';

// Resource indicators (RFC 8707): a client_credentials token for JWT_RESOURCE is an
// RFC 9068 JWT access token signed ES256; one for OPAQUE_RESOURCE is opaque (for
// introspection, RFC 7662).
const JWT_RESOURCE = 'urn:jwsgate:orders';
const OPAQUE_RESOURCE = 'urn:jwsgate:opaque';
const SCOPES = ['orders:read', 'orders:write'];

// Test-only credentials: this server never leaves 127.0.0.1.
const CLIENTS = [
  {
    // Asks for tokens (client_credentials; client_secret_basic or client_secret_post).
    client_id: 'jwsgate-client',
    client_secret: 'jwsgate-client-secret-for-tests-only',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
  },
  {
    // The same, authenticating with client_secret_post.
    client_id: 'jwsgate-client-post',
    client_secret: 'jwsgate-client-post-secret-for-tests-only',
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_post',
  },
  {
    // A resource server that introspects tokens (no grants of its own).
    client_id: 'jwsgate-rs',
    client_secret: 'jwsgate-rs-secret-for-tests-only',
    grant_types: [],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
  },
];

function signingKeys() {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return [
    { ...ec, kid: 'interop-es256', alg: 'ES256', use: 'sig' },
    { ...rsa, kid: 'interop-rs256', alg: 'RS256', use: 'sig' },
  ];
}

const requested = Number(process.argv[2] ?? process.env.PORT ?? 0);
const server = createServer();
server.listen(requested, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: CLIENTS,
    jwks: { keys: signingKeys() },
    scopes: SCOPES,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => JWT_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (ctx, resource) => {
          if (resource === JWT_RESOURCE) {
            return {
              scope: SCOPES.join(' '),
              audience: JWT_RESOURCE,
              accessTokenTTL: 600,
              accessTokenFormat: 'jwt',
              jwt: { sign: { alg: 'ES256' } },
            };
          }
          if (resource === OPAQUE_RESOURCE) {
            return {
              scope: SCOPES.join(' '),
              audience: OPAQUE_RESOURCE,
              accessTokenTTL: 600,
              accessTokenFormat: 'opaque',
            };
          }
          throw new errors.InvalidTarget();
        },
      },
    },
  });
  server.on('request', provider.callback());
  process.stdout.write(`${JSON.stringify({ port, issuer })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
