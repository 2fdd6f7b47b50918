// Discovers the sandbox's Maskinporten with openid-client (RFC 8414 metadata), requests a token
// with an RFC 7523 jwt-bearer grant signed by jose (the grant is the client's authentication,
// private_key_jwt style: RS256 with the client's key and kid), and verifies the token against
// the JWKS the metadata names. Prints one JSON line; exits 1 on any failure.
//
// Env: ISSUER, CLIENT_ID, KID, KEY_FILE (PKCS#8 PEM), SCOPE.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import * as client from "openid-client";
import * as jose from "jose";

const { ISSUER, CLIENT_ID, KID, KEY_FILE, SCOPE } = process.env;
const insecure = ISSUER.startsWith("http://") ? { execute: [client.allowInsecureRequests] } : {};

const config = await client.discovery(new URL(ISSUER), CLIENT_ID, undefined, client.None(), { algorithm: "oauth2", ...insecure });
const md = config.serverMetadata();
if (md.issuer !== ISSUER) throw new Error(`issuer ${md.issuer} differs from ${ISSUER}`);
if (!md.grant_types_supported?.includes("urn:ietf:params:oauth:grant-type:jwt-bearer")) throw new Error("no jwt-bearer grant in the metadata");

const key = await jose.importPKCS8(readFileSync(KEY_FILE, "utf8"), "RS256");
const assertion = await new jose.SignJWT({ scope: SCOPE })
  .setProtectedHeader({ alg: "RS256", kid: KID })
  .setIssuer(CLIENT_ID)
  .setAudience(md.issuer)
  .setIssuedAt()
  .setExpirationTime("100s")
  .setJti(randomUUID())
  .sign(key);

const tokens = await client.genericGrantRequest(config, "urn:ietf:params:oauth:grant-type:jwt-bearer", { assertion });
const jwks = jose.createRemoteJWKSet(new URL(md.jwks_uri), {});
const { payload, protectedHeader } = await jose.jwtVerify(tokens.access_token, jwks, { issuer: md.issuer, algorithms: ["RS256"] });

// The same assertion again is a replay: openid-client surfaces the OAuth error.
let replay = null;
try {
  await client.genericGrantRequest(config, "urn:ietf:params:oauth:grant-type:jwt-bearer", { assertion });
} catch (e) {
  replay = { error: e.error ?? e.code, description: e.error_description ?? e.message };
}

console.log(JSON.stringify({
  token_type: tokens.token_type, expires_in: tokens.expires_in, scope: tokens.scope,
  kid: protectedHeader.kid, client_id: payload.client_id, iss: payload.iss, consumer: payload.consumer, replay,
}));
