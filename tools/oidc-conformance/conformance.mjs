// identity checked by openid-client (an unmodified, OpenID-certified relying-party library), knowing only the issuer
// and the demo accounts: discovery, code + PKCE with the second factor, single-use code, userinfo, refresh rotation,
// reuse detection, revocation, end session, client credentials and introspection.
//
//   node conformance.mjs <issuer> <demo.json>        e.g. node conformance.mjs http://127.0.0.1:8080 ../../.data/demo.json
//
// Prints one JSON line per check ({"check": ..., "ok": true|false, "detail": ...}) and exits non-zero if one failed.
// The browser's part (the sign-in pages, a TOTP code from the demo patient's authenticator secret) is emulated here
// with fetch: it is not the library's job, and the library is used exactly as a frontend would use it.
import { createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as client from 'openid-client';

const [issuerArg, demoPath] = process.argv.slice(2);
if (!issuerArg || !demoPath) {
  console.error('usage: node conformance.mjs <issuer> <demo.json>');
  process.exit(2);
}
const demo = JSON.parse(await readFile(demoPath, 'utf8'));
const issuer = new URL(issuerArg);
// Loopback development over plain HTTP; in production the issuer is HTTPS and this option goes.
const insecure = issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {};

let failed = 0;
function report(check, ok, detail) {
  if (!ok) failed++;
  console.log(JSON.stringify({ check, ok, detail }));
}
async function expectRefusal(check, action, error) {
  try {
    await action();
    report(check, false, 'accepted');
  } catch (e) {
    report(check, e?.error === error, `${e?.error ?? e?.code ?? e?.name}: ${e?.error_description ?? e?.message}`);
  }
}

// --- the browser: cookies, forms, an authenticator app ---------------------------------------------------------
const cookies = new Map();
async function browse(url, init = {}) {
  const headers = new Headers(init.headers);
  if (cookies.size) headers.set('cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  const response = await fetch(url, { ...init, headers, redirect: 'manual' });
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return response;
}
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|#39);/gi, (_, e) =>
  e[0] === '#' ? String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10))
    : { amp: '&', lt: '<', gt: '>', quot: '"' }[e.toLowerCase()]);
function form(html, base) {
  const tag = html.match(/<form\b[^>]*>/i)?.[0] ?? '';
  const action = decode(tag.match(/action="([^"]*)"/i)?.[1] ?? '');
  const fields = new URLSearchParams();
  for (const input of html.matchAll(/<input\b[^>]*>/gi)) {
    const name = input[0].match(/name="([^"]*)"/i)?.[1];
    const type = input[0].match(/type="([^"]*)"/i)?.[1] ?? 'text';
    if (name && type !== 'checkbox') fields.set(decode(name), decode(input[0].match(/value="([^"]*)"/i)?.[1] ?? ''));
  }
  return { action: new URL(action || base, base), fields };
}
function totp(base32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of base32.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 30000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return ((mac.readUInt32BE(at) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}
async function signIn(authorizationUrl, person) {
  const page = await browse(authorizationUrl);
  const login = form(await page.text(), authorizationUrl);
  login.fields.set('username', person.username);
  login.fields.set('password', person.password);
  const second = await browse(login.action, { method: 'POST', body: login.fields });
  const factor = form(await second.text(), login.action);
  factor.fields.set('code', totp(person.totpSecret));
  const done = await browse(factor.action, { method: 'POST', body: factor.fields });
  const location = done.headers.get('location');
  if (!location) throw new Error(`sign-in did not redirect (HTTP ${done.status})`);
  return new URL(location, factor.action);
}

// --- the relying party ------------------------------------------------------------------------------------------
const web = await client.discovery(issuer, demo.publicClient.clientId, undefined, client.None(), insecure);
const metadata = web.serverMetadata();
report('discovery', metadata.issuer === issuerArg.replace(/\/$/, '') || metadata.issuer === issuerArg, metadata.issuer);
report('pkce_s256_only', JSON.stringify(metadata.code_challenge_methods_supported) === '["S256"]',
  metadata.code_challenge_methods_supported);

const verifier = client.randomPKCECodeVerifier();
const state = client.randomState();
const nonce = client.randomNonce();
const authorizationUrl = client.buildAuthorizationUrl(web, {
  redirect_uri: demo.publicClient.redirectUri,
  scope: 'openid profile offline_access health',
  code_challenge: await client.calculatePKCECodeChallenge(verifier),
  code_challenge_method: 'S256',
  state,
  nonce,
});
const callback = await signIn(authorizationUrl, demo.patient);
const checks = { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true };
const tokens = await client.authorizationCodeGrant(web, callback, checks);
const claims = tokens.claims();
report('code_pkce_second_factor', !!tokens.access_token && !!claims?.sub && (claims.amr ?? []).includes('mfa'),
  { sub: claims?.sub, amr: claims?.amr });
const userinfo = await client.fetchUserInfo(web, tokens.access_token, claims.sub);
report('userinfo', userinfo.sub === claims.sub, { sub: userinfo.sub, name: userinfo.name !== undefined });

let rotated;
try {
  rotated = await client.refreshTokenGrant(web, tokens.refresh_token);
  report('refresh_rotation', !!rotated.refresh_token && rotated.refresh_token !== tokens.refresh_token, 'new refresh token');
} catch (e) {
  report('refresh_rotation', false, `${e?.error ?? e?.name}: ${e?.error_description ?? e?.message}`);
  process.exit(1);
}

await client.tokenRevocation(web, rotated.refresh_token);
await expectRefusal('revocation', () => client.refreshTokenGrant(web, rotated.refresh_token), 'invalid_grant');
await expectRefusal('refresh_reuse_detection', () => client.refreshTokenGrant(web, tokens.refresh_token), 'invalid_grant');
// Last, because a replayed code revokes whatever was issued from it (RFC 6749 §4.1.2).
await expectRefusal('single_use_code', () => client.authorizationCodeGrant(web, callback, checks), 'invalid_grant');

const endSession = client.buildEndSessionUrl(web, {
  id_token_hint: tokens.id_token,
  post_logout_redirect_uri: demo.publicClient.redirectUri,
  state: 'bye',
});
const signedOut = await browse(endSession);
report('end_session', (signedOut.headers.get('location') ?? '').startsWith(demo.publicClient.redirectUri), signedOut.status);

const organization = await client.discovery(issuer, demo.medicalOrganization.clientId, demo.medicalOrganization.clientSecret,
  client.ClientSecretBasic(demo.medicalOrganization.clientSecret), insecure);
const machine = await client.clientCredentialsGrant(organization, { scope: 'health.publish' });
report('client_credentials', !!machine.access_token && machine.scope === 'health.publish', machine.scope);
const introspection = await client.tokenIntrospection(organization, machine.access_token);
report('introspection', introspection.active === true && introspection.client_id === demo.medicalOrganization.clientId,
  { active: introspection.active });

process.exit(failed === 0 ? 0 : 1);
