// What a page asks our server for, by path: the e2e checks and the wall bench
// count requests a page should (or should no longer) make.
import type { Page, Request } from '@playwright/test';

/** A running record of the URLs `page` requests whose path is `pathname`; `stop()` ends it and returns them. */
export function recordRequests(page: Page, pathname: string): { stop: () => string[] } {
  const urls: string[] = [];
  const onRequest = (r: Request) => {
    if (new URL(r.url()).pathname === pathname) urls.push(r.url());
  };
  page.on('request', onRequest);
  return {
    stop: () => {
      page.off('request', onRequest);
      return urls;
    },
  };
}
