'use client';
// A device's secret, shown once: the server never answers it again. The card
// holds what the person setting up the phone needs — the server address as
// this administrator reached it, the identifier, the steps for Traccar Client
// and for OwnTracks — and prints on its own (teams.css hides the rest of the
// page for print).
import { useMemo } from 'react';
import type { IssuedDeviceSecret } from '@/lib/model';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { localName } from '@/lib/i18n/messages';
import { deviceSetup, qrPath } from './device-setup';

export function DeviceCard({ issued, origin, onDone }: { issued: IssuedDeviceSecret; origin: string; onDone: () => void }) {
  const { t, lang } = useI18n();
  const setup = useMemo(() => deviceSetup({ origin, secret: issued.secret, teamCode: issued.team.code }), [origin, issued]);
  // The QR code holds the identifier alone: scanned with the phone's camera it can be pasted into either app.
  const qr = useMemo(() => qrPath(issued.secret), [issued.secret]);

  return (
    <section className="device-card" data-testid="device-card" aria-labelledby="device-card-title">
      <p className="device-card-warning screen-only" role="alert">
        {t('device.card.once')}
      </p>
      <h3 className="section-title" id="device-card-title">
        {t('device.card.title')} · {issued.team.code} {localName(issued.team, lang)} · {issued.device.label}
      </h3>
      <div className="device-card-body">
        <svg
          className="device-card-qr"
          data-testid="device-card-qr"
          viewBox={`-2 -2 ${qr.size + 4} ${qr.size + 4}`}
          role="img"
          aria-label={t('device.card.qr')}
          shapeRendering="crispEdges"
        >
          <rect x={-2} y={-2} width={qr.size + 4} height={qr.size + 4} fill="#fff" />
          <path d={qr.d} fill="#000" />
        </svg>
        <dl className="device-card-facts">
          <dt>{t('device.card.server')}</dt>
          <dd className="mono" data-testid="device-card-origin">
            {setup.origin}
          </dd>
          <dt>{t('device.card.identifier')}</dt>
          <dd className="mono device-card-secret" data-testid="device-card-secret">
            {issued.secret}
          </dd>
        </dl>
      </div>
      <div className="device-card-steps">
        <div>
          <h4>{t('device.card.traccar')}</h4>
          <ol>
            <li>{t('device.card.traccar.install')}</li>
            <li>
              {t('device.card.traccar.url')} <code data-testid="device-card-traccar-url">{setup.traccar.serverUrl}</code>
            </li>
            <li>
              {t('device.card.traccar.id')} <code>{setup.traccar.identifier}</code>
            </li>
            <li>{t('device.card.traccar.start')}</li>
          </ol>
        </div>
        <div>
          <h4>{t('device.card.owntracks')}</h4>
          <ol>
            <li>{t('device.card.owntracks.mode')}</li>
            <li>
              {t('device.card.owntracks.url')} <code data-testid="device-card-owntracks-url">{setup.owntracks.url}</code>
            </li>
            <li>
              {t('device.card.owntracks.user')} <code>{setup.owntracks.username}</code>
            </li>
            <li>
              {t('device.card.owntracks.password')} <code>{setup.owntracks.password}</code>
            </li>
          </ol>
        </div>
      </div>
      <div className="filter-actions screen-only">
        <button type="button" className="action-button" data-testid="device-card-print" onClick={() => window.print()}>
          {t('device.card.print')}
        </button>
        <button type="button" className="action-button action-button--primary" data-testid="device-card-done" onClick={onDone}>
          {t('device.card.done')}
        </button>
      </div>
    </section>
  );
}
