/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // The database drivers run only in server.ts's process; route handlers reach
  // them through lib/registry, so keep them out of the route bundles.
  serverExternalPackages: ['pg', '@electric-sql/pglite', '@electric-sql/pglite-postgis'],
  poweredByHeader: false,
  // server.ts decides the build folder; typecheck and lint run as their own scripts.
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
