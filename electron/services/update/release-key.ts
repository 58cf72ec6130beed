/**
 * The release signing key's public half, built into the app: a desk installs only what the matching private key
 * signed (scripts/sign-release.mjs). The private key never enters the repository or an installer; whoever
 * builds releases keeps it offline. Replacing it means shipping one release signed by the old key that carries
 * the new public key (a desk trusts nothing else).
 */
export const RELEASE_PUBLIC_KEY_PEM = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAaUMgnMV+Vv9k/lNvCFmiFbLtizrbg7ZOrRf3q5atPvc=
-----END PUBLIC KEY-----
`;
