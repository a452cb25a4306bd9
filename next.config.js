// Content-Security-Policy is not here: it carries a fresh nonce per request,
// set before Next runs (lib/http/csp.ts, called from lib/app.ts).
const SECURITY_HEADERS = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(self)' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The database drivers run only in server.ts's process; route handlers reach
  // them through lib/registry, so keep them out of the route bundles.
  serverExternalPackages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-postgis', 'pdfkit', 'svg-to-pdfkit'],
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
