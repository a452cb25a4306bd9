// The time machine's strings (components/replay/, its header link), kept
// beside the main catalogue (messages.ts spreads them in). `replayZh` is the
// reference; `replayEn` must have the same keys. Status, category and force
// names are the catalogue's own.

export const replayZh = {
  'nav.replay': '回放',
  'replay.title': '时光回放',
  'replay.banner': '回放 · 非实时',
  'replay.bannerHint': '地图显示的是历史状态，不是现在',
  'replay.from': '开始',
  'replay.to': '结束',
  'replay.load': '载入',
  'replay.play': '播放',
  'replay.pause': '暂停',
  'replay.speed': '倍速',
  'replay.scrub': '回放时间',
  'replay.trail': '轨迹（分钟）',
  'replay.incidents': '当时的事件',
  'replay.teams': '当时的队伍',
  'replay.alerts': '当时的告警',
  'replay.none': '无',
  'replay.noFix': '尚无定位',
  'replay.loading': '正在载入历史…',
  'replay.badWindow': '请选择有效的时间段（结束晚于开始）',
  'replay.loadError': '历史数据载入失败',
  'replay.held': '已缓存 {n} 段',
};

export const replayEn: Record<keyof typeof replayZh, string> = {
  'nav.replay': 'Replay',
  'replay.title': 'Time machine',
  'replay.banner': 'REPLAY · NOT LIVE',
  'replay.bannerHint': 'The map shows the past, not now',
  'replay.from': 'From',
  'replay.to': 'To',
  'replay.load': 'Load',
  'replay.play': 'Play',
  'replay.pause': 'Pause',
  'replay.speed': 'Speed',
  'replay.scrub': 'Replay time',
  'replay.trail': 'Trail (minutes)',
  'replay.incidents': 'Incidents then',
  'replay.teams': 'Teams then',
  'replay.alerts': 'Alerts then',
  'replay.none': 'None',
  'replay.noFix': 'No fix yet',
  'replay.loading': 'Loading history…',
  'replay.badWindow': 'Pick a valid window (end after start)',
  'replay.loadError': 'History failed to load',
  'replay.held': '{n} chunks held',
};
