'use client';
// The admin page: audit log, accounts, sessions, the township import, teams and devices, one tab at a time. The
// server only serves this page to administrators; the role check here covers
// a session whose role changed while the page was open.
import { useRef, useState, type KeyboardEvent } from 'react';
import { PageFrame } from '@/components/common/page-frame';
import { useMe } from '@/lib/hooks/use-me';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AuditLog } from './audit-log';
import { BasemapPanel } from './basemap-panel';
import { EMPTY_AUDIT_FILTERS, type AuditFilters } from './audit-query';
import { ImportPanel } from './import/import-panel';
import { SessionList } from './session-list';
import { TeamsPanel } from './teams/teams-panel';
import { UserList } from './user-list';

const TABS = ['audit', 'users', 'sessions', 'import', 'teams', 'basemap'] as const;
type AdminTab = (typeof TABS)[number];

const isAdminTab = (value: unknown): value is AdminTab => (TABS as readonly unknown[]).includes(value);

/** `initialTab`: the `?tab=` the page was opened with (the empty map links to `/admin?tab=import`). */
export function AdminPage({ initialTab }: { initialTab?: string }) {
  const { t } = useI18n();
  const me = useMe();
  const [tab, setTab] = useState<AdminTab>(isAdminTab(initialTab) ? initialTab : 'audit');
  // Kept here so the filters survive a look at another tab.
  const [auditFilters, setAuditFilters] = useState<AuditFilters>(EMPTY_AUDIT_FILTERS);
  const tabRefs = useRef<Partial<Record<AdminTab, HTMLButtonElement | null>>>({});

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onTabKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = TABS[(TABS.indexOf(tab) + step + TABS.length) % TABS.length] ?? tab;
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <PageFrame title={t('admin.title')} testId="admin-page">
      {me !== undefined && me.role !== 'admin' ? (
        <p className="form-error" role="alert" data-testid="admin-forbidden">
          {t('admin.forbidden')}
        </p>
      ) : (
        <>
          <div className="tabs" role="tablist" aria-label={t('admin.sections')}>
            {TABS.map((k) => (
              <button
                key={k}
                ref={(el) => {
                  tabRefs.current[k] = el;
                }}
                type="button"
                role="tab"
                id={`admin-tab-${k}`}
                className="tab"
                data-testid={`admin-tab-${k}`}
                aria-selected={tab === k}
                aria-controls={`admin-panel-${k}`}
                tabIndex={tab === k ? 0 : -1}
                onClick={() => setTab(k)}
                onKeyDown={onTabKey}
              >
                {t(`admin.tab.${k}`)}
              </button>
            ))}
          </div>
          <section className="tab-panel" role="tabpanel" id={`admin-panel-${tab}`} aria-labelledby={`admin-tab-${tab}`}>
            {tab === 'audit' && <AuditLog filters={auditFilters} onFilters={setAuditFilters} />}
            {tab === 'users' && <UserList />}
            {tab === 'sessions' && <SessionList />}
            {tab === 'import' && <ImportPanel />}
            {tab === 'teams' && <TeamsPanel />}
            {tab === 'basemap' && <BasemapPanel />}
          </section>
        </>
      )}
    </PageFrame>
  );
}
