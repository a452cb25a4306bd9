'use client';
// What the map says on an empty install (SEED_DEMO=false, nothing imported
// yet): an administrator is sent to the import, anyone else told whom to ask.
import Link from 'next/link';
import { IMPORT_TAB_HREF } from '@/components/admin/import/report-format';
import type { Role } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';

/** `role` undefined: who is asking is not known yet (only the title is shown). */
export function EmptyTownship({ role }: { role: Role | undefined }) {
  const { t } = useI18n();
  return (
    <div className="map-placeholder">
      <section className="empty-township" data-testid="empty-township" data-audience={role === undefined ? '' : role === 'admin' ? 'admin' : 'other'} aria-labelledby="empty-township-title">
        <h2 id="empty-township-title">{t('empty.title')}</h2>
        {role === 'admin' && (
          <>
            <p>{t('empty.admin')}</p>
            <Link className="action-button action-button--primary import-link-button" href={IMPORT_TAB_HREF} data-testid="empty-township-import">
              {t('empty.adminLink')}
            </Link>
          </>
        )}
        {role !== undefined && role !== 'admin' && <p data-testid="empty-township-ask">{t('empty.other')}</p>}
      </section>
    </div>
  );
}
