/**
 * A device's secret from an Authorization header: `Bearer <secret>`, or HTTP
 * Basic where the secret is the password (the user a readable name) or, when
 * the password is empty, the user. One rule for every device door.
 */
export function deviceSecretFromAuthorization(auth: string | null | undefined): string | null {
  if (!auth) return null;
  if (auth.startsWith('Bearer ')) return auth.slice(7).trim() || null;
  if (auth.startsWith('Basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const pass = colon >= 0 ? decoded.slice(colon + 1) : '';
    return (pass || user).trim() || null;
  }
  return null;
}
