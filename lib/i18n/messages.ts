// The one catalogue of UI strings. `zh` is the reference: `en` must have the
// same keys (the type says so, and tests/unit/i18n-catalogue.test.ts checks it
// at run time too). Placeholders are written `{name}`.
import type { Alert, AlertKind } from '../api-types';
import type {
  ForceType,
  IncidentCategory,
  IncidentStatus,
  KeyLocationCategory,
  Severity,
  UnitStatus,
} from '../domain';

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh';

/** BCP 47 tags for <html lang> and Intl formatting. */
export const LANG_TAGS: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

const forceTypesZh: Record<`force.${ForceType}`, string> = {
  'force.emergency': '独立应急排',
  'force.armband': '红袖标巡逻队',
  'force.motorcycle': '摩托车应急排',
  'force.militia': '女子民兵劝导排',
  'force.grid_worker': '网格员',
};

const unitStatusesZh: Record<`unitStatus.${UnitStatus}`, string> = {
  'unitStatus.available': '待命',
  'unitStatus.dispatched': '已派遣',
  'unitStatus.en_route': '途中',
  'unitStatus.on_scene': '已到场',
  'unitStatus.off_duty': '休息',
};

const categoriesZh: Record<`category.${IncidentCategory}`, string> = {
  'category.neighbour_dispute': '邻里纠纷',
  'category.family_dispute': '家庭纠纷',
  'category.land_grazing_dispute': '土地草场纠纷',
  'category.wage_labour_dispute': '劳资纠纷',
  'category.citizen_request': '群众诉求',
  'category.traffic': '交通事故',
  'category.fire': '火情',
  'category.medical': '医疗急救',
  'category.lost_person': '走失搜救',
  'category.natural_hazard': '自然灾害',
  'category.public_order': '治安事件',
};

const incidentStatusesZh: Record<`incidentStatus.${IncidentStatus}`, string> = {
  'incidentStatus.reported': '已上报',
  'incidentStatus.dispatched': '已派遣',
  'incidentStatus.on_scene': '已到场',
  'incidentStatus.resolved': '已化解',
  'incidentStatus.closed': '已办结',
};

const severitiesZh: Record<`severity.${Severity}`, string> = {
  'severity.1': '一般',
  'severity.2': '较大',
  'severity.3': '重大',
  'severity.4': '特别重大',
};

const keyLocationsZh: Record<`keyLocation.${KeyLocationCategory}`, string> = {
  'keyLocation.government': '政府机关',
  'keyLocation.police': '派出所',
  'keyLocation.mediation_centre': '矛盾纠纷调解中心',
  'keyLocation.citizen_centre': '群众诉求服务中心',
  'keyLocation.health': '卫生院',
  'keyLocation.school': '学校',
  'keyLocation.market': '市场',
  'keyLocation.bus_station': '客运站',
  'keyLocation.construction': '建筑工地',
  'keyLocation.hotel': '宾馆',
  'keyLocation.rental_housing': '出租房',
  'keyLocation.tea_house': '茶馆',
  'keyLocation.entertainment': '娱乐场所',
  'keyLocation.equipment_depot': '应急物资库',
  'keyLocation.bridge': '桥梁',
};

const alertKindsZh: Record<`alertKind.${AlertKind}`, string> = {
  'alertKind.sos': 'SOS 紧急求救',
  'alertKind.stale': '定位中断',
  'alertKind.outside_area': '越出辖区',
  'alertKind.coverage_gap': '巡防盲区',
  'alertKind.unacknowledged': '超时未处置',
};

export const zh = {
  'app.title': 'GridSight 网格态势',
  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.wall': '大屏值守（长期登录，可吊销）',
  'login.submit': '登录',
  'login.failed': '用户名或密码错误',
  'login.busy': '正在登录…',
  'auth.logout': '退出登录',
  'app.subtitle': '乡镇综合指挥中心 · 实时态势',
  'app.description': '乡镇网格化巡防与态势感知平台',

  'conn.connecting': '连接中',
  'conn.live': '实时',
  'conn.offline': '离线',
  'conn.label': '连接状态',

  'header.lastUpdate': '数据更新',
  'header.noData': '尚无数据',
  'header.unitsOnMap': '在图队伍',
  'header.openIncidents': '未结事件',
  'header.clock': '当前时间',
  'header.langSwitch': 'EN',
  'header.langSwitchLabel': 'Switch to English',

  'age.seconds': '{n} 秒前',
  'age.minutes': '{n} 分钟前',
  'age.hours': '{n} 小时前',
  'age.days': '{n} 天前',

  'layers.title': '图层',
  'layers.grids': '管理网格',
  'layers.keyLocations': '重点场所',
  'layers.units': '巡防力量',
  'layers.incidents': '事件',
  'layers.heatmap': '纠纷热力',
  'heatmap.window': '统计时段',
  'heatmap.window.7d': '近7天',
  'heatmap.window.30d': '近30天',
  'heatmap.window.1y': '近1年',
  'heatmap.count': '共 {n} 起纠纷',
  'heatmap.loading': '热力数据加载中…',

  'legend.title': '图例',
  'legend.forces': '力量类型',
  'legend.stale': '定位超过 {n} 分钟未更新',
  'legend.heading': '箭头为行进方向',
  'legend.severity': '事件等级',
  'legend.newIncident': '新事件（{n} 分钟内）闪烁',
  'legend.closedIncident': '已化解 / 已办结',
  'legend.gridLoad': '网格未结事件',
  'legend.heatmap': '纠纷密度',
  'legend.low': '低',
  'legend.high': '高',
  'legend.keyLocations': '重点场所',

  'details.title': '详情',
  'details.empty': '点击地图上的网格、场所、队伍或事件查看详情',
  'details.close': '关闭',
  'details.kind.grid': '管理网格',
  'details.kind.keyLocation': '重点场所',
  'details.kind.unit': '巡防队伍',
  'details.kind.incident': '事件',
  'details.kind.alert': '警报',
  'details.gone': '该对象已不在当前数据中',
  'details.code': '编号',
  'details.village': '所属村（社区）',
  'details.area': '面积',
  'details.areaValue': '{n} 平方公里',
  'details.openIncidents': '未结事件',
  'details.category': '类别',
  'details.force': '力量类型',
  'details.size': '人数',
  'details.sizeValue': '{n} 人',
  'details.status': '状态',
  'details.lastFix': '最后定位',
  'details.noFix': '尚无定位',
  'details.stale': '定位已过期',
  'details.speed': '速度',
  'details.speedValue': '{n} km/h',
  'details.heading': '航向',
  'details.headingValue': '{n}°',
  'details.battery': '电量',
  'details.severity': '等级',
  'details.reportedAt': '上报时间',
  'details.grid': '所属网格',
  'details.source': '来源',
  'details.description': '描述',
  'details.position': '坐标',
  'details.unknown': '—',
  'details.alertKind': '警报类型',
  'details.team': '队伍',
  'details.raisedAt': '发出时间',
  'details.message': '内容',
  'details.showUnit': '查看该队伍',

  'sos.label': '紧急求救警报',
  'sos.title': 'SOS 紧急求救',
  'sos.unknownTeam': '未知队伍',
  'sos.locate': '定位',
  'sos.locateLabel': '在地图上定位 {team}',
  'sos.more': '另有 {n} 条未处置的 SOS',
  'legend.alert': 'SOS 警报（闪烁红圈）',

  'map.loading': '地图加载中…',
  'map.label': '网格态势地图',
  'error.load': '数据加载失败：{message}',
  'error.retrying': '正在重试',
  'panel.label': '地图控制',
  'feed.title': '最新未结事件',
  'feed.empty': '当前没有未结事件',
  'banner.offline': '实时连接中断，正在重连；地图显示的是最后收到的数据',
  'source.grid_worker': '网格员上报',
  'source.citizen_request': '群众诉求',
  'source.coordinator': '指挥中心录入',
  'source.patrol': '巡逻队上报',
  'source.device': '终端上报',
} as const satisfies Record<string, string>;

export type MessageKey =
  | keyof typeof zh
  | keyof typeof forceTypesZh
  | keyof typeof unitStatusesZh
  | keyof typeof categoriesZh
  | keyof typeof incidentStatusesZh
  | keyof typeof severitiesZh
  | keyof typeof keyLocationsZh
  | keyof typeof alertKindsZh;

export type Catalogue = Record<MessageKey, string>;

const zhCatalogue: Catalogue = {
  ...zh,
  ...forceTypesZh,
  ...unitStatusesZh,
  ...categoriesZh,
  ...incidentStatusesZh,
  ...severitiesZh,
  ...keyLocationsZh,
  ...alertKindsZh,
};

const enCatalogue: Catalogue = {
  'app.title': 'GridSight',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.wall': 'Wall display (long-lived, revocable session)',
  'login.submit': 'Sign in',
  'login.failed': 'Wrong username or password',
  'login.busy': 'Signing in…',
  'auth.logout': 'Sign out',
  'app.subtitle': 'Township command centre · live situation',
  'app.description': 'Grid patrol and situational awareness for a township command centre',

  'conn.connecting': 'Connecting',
  'conn.live': 'Live',
  'conn.offline': 'Offline',
  'conn.label': 'Connection',

  'header.lastUpdate': 'Last update',
  'header.noData': 'No data yet',
  'header.unitsOnMap': 'Units on map',
  'header.openIncidents': 'Open incidents',
  'header.clock': 'Local time',
  'header.langSwitch': '中文',
  'header.langSwitchLabel': '切换到中文',

  'age.seconds': '{n} s ago',
  'age.minutes': '{n} min ago',
  'age.hours': '{n} h ago',
  'age.days': '{n} d ago',

  'layers.title': 'Layers',
  'layers.grids': 'Grid cells',
  'layers.keyLocations': 'Key locations',
  'layers.units': 'Patrol units',
  'layers.incidents': 'Incidents',
  'layers.heatmap': 'Dispute heatmap',
  'heatmap.window': 'Period',
  'heatmap.window.7d': '7 days',
  'heatmap.window.30d': '30 days',
  'heatmap.window.1y': '1 year',
  'heatmap.count': '{n} disputes',
  'heatmap.loading': 'Loading heatmap…',

  'legend.title': 'Legend',
  'legend.forces': 'Force types',
  'legend.stale': 'No fix for over {n} min',
  'legend.heading': 'Arrow shows heading',
  'legend.severity': 'Incident severity',
  'legend.newIncident': 'New (last {n} min) pulses',
  'legend.closedIncident': 'Resolved / closed',
  'legend.gridLoad': 'Open incidents per grid',
  'legend.heatmap': 'Dispute density',
  'legend.low': 'Low',
  'legend.high': 'High',
  'legend.keyLocations': 'Key locations',

  'details.title': 'Details',
  'details.empty': 'Click a grid cell, location, unit or incident on the map for details',
  'details.close': 'Close',
  'details.kind.grid': 'Grid cell',
  'details.kind.keyLocation': 'Key location',
  'details.kind.unit': 'Patrol unit',
  'details.kind.incident': 'Incident',
  'details.kind.alert': 'Alert',
  'details.gone': 'This item is no longer in the current data',
  'details.code': 'Code',
  'details.village': 'Village / community',
  'details.area': 'Area',
  'details.areaValue': '{n} km²',
  'details.openIncidents': 'Open incidents',
  'details.category': 'Category',
  'details.force': 'Force type',
  'details.size': 'Members',
  'details.sizeValue': '{n}',
  'details.status': 'Status',
  'details.lastFix': 'Last fix',
  'details.noFix': 'No fix yet',
  'details.stale': 'Fix is stale',
  'details.speed': 'Speed',
  'details.speedValue': '{n} km/h',
  'details.heading': 'Heading',
  'details.headingValue': '{n}°',
  'details.battery': 'Battery',
  'details.severity': 'Severity',
  'details.reportedAt': 'Reported',
  'details.grid': 'Grid cell',
  'details.source': 'Source',
  'details.description': 'Description',
  'details.position': 'Position',
  'details.unknown': '—',
  'details.alertKind': 'Alert type',
  'details.team': 'Team',
  'details.raisedAt': 'Raised',
  'details.message': 'Message',
  'details.showUnit': 'Show this unit',

  'sos.label': 'SOS alerts',
  'sos.title': 'SOS emergency',
  'sos.unknownTeam': 'Unknown team',
  'sos.locate': 'Locate',
  'sos.locateLabel': 'Locate {team} on the map',
  'sos.more': '{n} more open SOS',
  'legend.alert': 'SOS alert (flashing red ring)',

  'map.loading': 'Loading map…',
  'map.label': 'GridSight map',
  'error.load': 'Could not load data: {message}',
  'error.retrying': 'retrying',
  'panel.label': 'Map controls',
  'feed.title': 'Latest open incidents',
  'feed.empty': 'No open incidents',
  'banner.offline': 'Live connection lost, reconnecting; the map shows the last data received',
  'source.grid_worker': 'Grid worker report',
  'source.citizen_request': 'Citizen request',
  'source.coordinator': 'Command centre',
  'source.patrol': 'Patrol report',
  'source.device': 'Field device',

  'force.emergency': 'Emergency platoon',
  'force.armband': 'Red-armband patrol',
  'force.motorcycle': 'Motorcycle platoon',
  'force.militia': "Women's militia",
  'force.grid_worker': 'Grid worker',

  'unitStatus.available': 'Available',
  'unitStatus.dispatched': 'Dispatched',
  'unitStatus.en_route': 'En route',
  'unitStatus.on_scene': 'On scene',
  'unitStatus.off_duty': 'Off duty',

  'category.neighbour_dispute': 'Neighbour dispute',
  'category.family_dispute': 'Family dispute',
  'category.land_grazing_dispute': 'Land & grazing dispute',
  'category.wage_labour_dispute': 'Wage & labour dispute',
  'category.citizen_request': 'Citizen request',
  'category.traffic': 'Traffic',
  'category.fire': 'Fire',
  'category.medical': 'Medical',
  'category.lost_person': 'Lost person / SAR',
  'category.natural_hazard': 'Natural hazard',
  'category.public_order': 'Public order',

  'incidentStatus.reported': 'Reported',
  'incidentStatus.dispatched': 'Dispatched',
  'incidentStatus.on_scene': 'On scene',
  'incidentStatus.resolved': 'Resolved',
  'incidentStatus.closed': 'Closed',

  'severity.1': 'Low',
  'severity.2': 'Medium',
  'severity.3': 'High',
  'severity.4': 'Critical',

  'keyLocation.government': 'Government office',
  'keyLocation.police': 'Police station',
  'keyLocation.mediation_centre': 'Mediation centre',
  'keyLocation.citizen_centre': 'Citizen service centre',
  'keyLocation.health': 'Health centre',
  'keyLocation.school': 'School',
  'keyLocation.market': 'Market',
  'keyLocation.bus_station': 'Bus station',
  'keyLocation.construction': 'Construction site',
  'keyLocation.hotel': 'Hotel',
  'keyLocation.rental_housing': 'Rental housing',
  'keyLocation.tea_house': 'Tea house',
  'keyLocation.entertainment': 'Entertainment venue',
  'keyLocation.equipment_depot': 'Equipment depot',
  'keyLocation.bridge': 'Bridge',

  'alertKind.sos': 'SOS emergency',
  'alertKind.stale': 'Position lost',
  'alertKind.outside_area': 'Outside the area',
  'alertKind.coverage_gap': 'Coverage gap',
  'alertKind.unacknowledged': 'Not handled in time',
};

export const CATALOGUES: Record<Lang, Catalogue> = { zh: zhCatalogue, en: enCatalogue };

export type MessageVars = Record<string, string | number>;

/** Looks a key up and fills `{name}` placeholders; an unknown placeholder stays visible. */
export function translate(lang: Lang, key: MessageKey, vars?: MessageVars): string {
  const text = CATALOGUES[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** Translates an open-ended code (e.g. an incident's `source`) when the catalogue knows it; otherwise shows it as is. */
export function translateCode(lang: Lang, prefix: string, code: string): string {
  const key = `${prefix}.${code}`;
  return key in CATALOGUES[lang] ? CATALOGUES[lang][key as MessageKey] : code;
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh' || value === 'en';
}

/** Names come in pairs: `name` (Chinese) and `nameEn`. */
export function localName(item: { name: string; nameEn: string }, lang: Lang): string {
  return lang === 'en' && item.nameEn ? item.nameEn : item.name;
}

/** The team an alert is about, in the language (an alert's names may be null: no team, or a team row gone). */
export function alertTeamName(a: Pick<Alert, 'teamName' | 'teamNameEn'>, lang: Lang): string | null {
  if (a.teamName === null) return a.teamNameEn;
  return localName({ name: a.teamName, nameEn: a.teamNameEn ?? '' }, lang);
}
