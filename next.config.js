const production = process.env.NODE_ENV === 'production';

/**
 * Only our own origin, everywhere. Next's app router inlines its bootstrap
 * scripts, hence 'unsafe-inline' for scripts (no other origin is allowed);
 * MapLibre and deck.gl need workers, blobs and data: URLs (icon atlas, fonts).
 * Development adds 'unsafe-eval' for React's dev tooling.
 */
const CSP = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? '' : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS = [
  { key: 'Content-Security-Policy', value: CSP },
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
  serverExternalPackages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-postgis'],
  poweredByHeader: false,
  async headers() {
    return [{ source: '/:path*', headers: SECURITY_HEADERS }];
  },
};

export default nextConfig;
