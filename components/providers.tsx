'use client';
// App-wide client providers: language and the township's time zone, and SWR with
// the one shared fetcher.
import type { ReactNode } from 'react';
import { SWRConfig } from 'swr';
import { fetcher } from '@/lib/hooks/fetcher';
import { I18nProvider } from '@/lib/i18n/i18n-provider';

const SWR_OPTIONS = {
  fetcher,
  // The socket keeps data fresh; refetching on every focus would only add load.
  revalidateOnFocus: false,
  errorRetryInterval: 5_000,
};

/** `townshipTz`: config TOWNSHIP_TZ, rendered by the root layout (app/layout.tsx). */
export function Providers({ townshipTz, children }: { townshipTz: string; children: ReactNode }) {
  return (
    <SWRConfig value={SWR_OPTIONS}>
      <I18nProvider timeZone={townshipTz}>{children}</I18nProvider>
    </SWRConfig>
  );
}
