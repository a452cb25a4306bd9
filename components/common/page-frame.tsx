'use client';
// The frame of the pages beside the map (admin, account): a header with the
// way back to the map, who is signed in, language and sign-out, and a body
// that scrolls (the map page's body never does, so the page must).
import type { ReactNode } from 'react';
import { BrandMark } from '@/components/common/brand-mark';
import { HeaderTools } from '@/components/common/header-tools';
import { BackToMapLink } from '@/components/common/nav-links';
import { useI18n } from '@/lib/i18n/i18n-provider';

export interface PageFrameProps {
  title: string;
  testId: string;
  children: ReactNode;
}

/** The header alone: the brand with the page's title, the way back to the map, the header tools (the replay's map-filled page uses it too). */
export function PageHeader({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <header className="app-header page-header">
      <div className="brand">
        <BrandMark />
        <div className="brand-text">
          <p className="brand-name">{t('app.title')}</p>
          <h1 className="page-title">{title}</h1>
        </div>
      </div>
      <BackToMapLink />
      <div className="header-status">
        <HeaderTools />
      </div>
    </header>
  );
}

export function PageFrame({ title, testId, children }: PageFrameProps) {
  return (
    <div className="page-shell" data-testid={testId}>
      <PageHeader title={title} />
      <main className="page-main">{children}</main>
    </div>
  );
}
