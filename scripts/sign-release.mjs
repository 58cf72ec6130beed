#!/usr/bin/env node
// Signs a release folder (what electron-builder wrote to dist/: latest*.yml, installers, blockmaps) with the
// release key, writing `<artifact>.sig.json` beside each artifact latest*.yml names. The private key comes from
// a path (--key or MOTCUA_RELEASE_KEY_FILE), never from the repository, and never ships.
//   node scripts/sign-release.mjs --key /secure/release-key.pem dist/
//   node scripts/sign-release.mjs --generate-key /secure/release-key.pem   (prints the public key to build in)
// The statement format must stay identical to electron/services/update/release-signature.ts.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';

const FORMAT = 'motcua-release-v1';

function fail(message) {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

async function digest(path) {
  const hash = createHash('sha512');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha512: hash.digest('base64'), size };
}

const { values, positionals } = parseArgs({
  options: { key: { type: 'string' }, 'generate-key': { type: 'string' } },
  allowPositionals: true,
});

if (values['generate-key']) {
  const out = values['generate-key'];
  if (existsSync(out)) fail(`${out} exists; not overwriting a release key`);
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(out, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  process.stdout.write(publicKey.export({ type: 'spki', format: 'pem' }));
  process.exit(0);
}

const keyFile = values.key ?? process.env.MOTCUA_RELEASE_KEY_FILE;
const dir = positionals[0];
if (!keyFile || !dir) fail('usage: sign-release.mjs --key PRIVATE_KEY.pem RELEASE_DIR');
const privateKey = createPrivateKey(readFileSync(keyFile));
if (privateKey.asymmetricKeyType !== 'ed25519') fail('the release key must be Ed25519');

const channelFiles = readdirSync(dir).filter((f) => /^[\w-]+\.yml$/.test(f) && f !== 'builder-debug.yml');
if (channelFiles.length === 0) fail(`no latest*.yml in ${dir}`);
let signed = 0;
for (const channelFile of channelFiles) {
  const info = yaml.load(readFileSync(join(dir, channelFile), 'utf8'));
  if (!info || !Array.isArray(info.files)) continue;
  for (const entry of info.files) {
    const path = join(dir, entry.url);
    const facts = { file: entry.url, version: String(info.version), ...(await digest(path)) };
    // Sign only what latest.yml describes: a file changed after the build is a broken release, not a new one.
    if (facts.sha512 !== entry.sha512) fail(`${entry.url}: sha512 differs from ${channelFile}`);
    const statement = `${FORMAT}\n${facts.file}\n${facts.version}\n${facts.sha512}\n${facts.size}\n`;
    const signature = sign(null, Buffer.from(statement, 'utf8'), privateKey).toString('base64');
    writeFileSync(
      `${path}.sig.json`,
      `${JSON.stringify({ format: FORMAT, ...facts, signature }, null, 2)}\n`,
    );
    signed += 1;
  }
}
const publicPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' });
process.stdout.write(`signed ${signed} artifact(s); public key:\n${publicPem}`);
