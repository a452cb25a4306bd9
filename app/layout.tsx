import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { getRegistry } from '@/lib/registry';
import './globals.css';

// Every page renders per request: its inline scripts carry that response's CSP
// nonce (lib/http/csp.ts), which a page prerendered at build time could not.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: 'GridSight 网格态势',
  description: '乡镇网格化巡防与态势感知平台 · Grid patrol and situational awareness for a township command centre',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = {
  themeColor: '#070b11',
  colorScheme: 'dark',
};

// The server always renders the default language (zh); the language provider
// switches <html lang> on the client when the stored choice is English.
// The township's zone comes from the configuration here, on the server, so every
// page (the login page too, before anyone is signed in) formats clocks and dates
// in it from the first render; the browser's own zone is never used.
export default function RootLayout({ children }: { children: ReactNode }) {
  const { TOWNSHIP_TZ } = getRegistry().config;
  return (
    <html lang="zh-CN">
      <body>
        <Providers townshipTz={TOWNSHIP_TZ}>{children}</Providers>
      </body>
    </html>
  );
}
