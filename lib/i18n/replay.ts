// The time machine's own words, in both languages. Status, category and force
// names come from the app catalogue (lib/i18n/messages.ts).
import type { Lang } from './messages';

const zh = {
  nav: '回放',
  title: '时光回放',
  banner: '回放 · 非实时',
  bannerHint: '地图显示的是历史状态，不是现在',
  from: '开始',
  to: '结束',
  load: '载入',
  play: '播放',
  pause: '暂停',
  speed: '倍速',
  scrub: '回放时间',
  trail: '轨迹（分钟）',
  incidents: '当时的事件',
  teams: '当时的队伍',
  alerts: '当时的告警',
  none: '无',
  noFix: '尚无定位',
  loading: '正在载入历史…',
  badWindow: '请选择有效的时间段（结束晚于开始）',
  loadError: '历史数据载入失败',
  held: '已缓存 {n} 段',
};

const en: Record<keyof typeof zh, string> = {
  nav: 'Replay',
  title: 'Time machine',
  banner: 'REPLAY · NOT LIVE',
  bannerHint: 'The map shows the past, not now',
  from: 'From',
  to: 'To',
  load: 'Load',
  play: 'Play',
  pause: 'Pause',
  speed: 'Speed',
  scrub: 'Replay time',
  trail: 'Trail (minutes)',
  incidents: 'Incidents then',
  teams: 'Teams then',
  alerts: 'Alerts then',
  none: 'None',
  noFix: 'No fix yet',
  loading: 'Loading history…',
  badWindow: 'Pick a valid window (end after start)',
  loadError: 'History failed to load',
  held: '{n} chunks held',
};

export type ReplayTextKey = keyof typeof zh;
export const REPLAY_TEXT: Record<Lang, Record<ReplayTextKey, string>> = { zh, en };

export const rt = (lang: Lang, key: ReplayTextKey, vars: Record<string, string | number> = {}): string =>
  REPLAY_TEXT[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`));
