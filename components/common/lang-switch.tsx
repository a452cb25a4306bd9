'use client';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function LangSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <button
      type="button"
      className="lang-switch"
      data-testid="lang-switch"
      aria-label={t('header.langSwitchLabel')}
      onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
    >
      {t('header.langSwitch')}
    </button>
  );
}
