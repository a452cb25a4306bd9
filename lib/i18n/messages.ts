// The one catalogue of UI strings. `zh` is the reference: `en` must have the
// same keys (the type says so, and tests/unit/i18n-catalogue.test.ts checks it
// at run time too). Placeholders are written `{name}`.
import type {
  AdminUser,
  Alert,
  AlertKind,
  AuditAction,
  AuditRecord,
  SessionInfo,
  ForceType,
  IncidentCategory,
  IncidentStatus,
  KeyLocationCategory,
  Severity,
  UnitStatus,
} from '../model';

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

const rolesZh: Record<`role.${AdminUser['role']}`, string> = {
  'role.admin': '管理员',
  'role.coordinator': '调度员',
  'role.viewer': '查看员',
  'role.wall': '大屏',
  'role.device': '终端设备',
};

const auditActionsZh: Record<`auditAction.${AuditAction}`, string> = {
  'auditAction.login': '登录',
  'auditAction.logout': '退出登录',
  'auditAction.http.denied': '越权访问被拒',
  'auditAction.incident.create': '新建事件',
  'auditAction.incident.update': '更新事件',
  'auditAction.incident.read_detail': '查看事件详情',
  'auditAction.incidents.read_detail': '批量查看事件详情',
  'auditAction.user.create': '新建账户',
  'auditAction.user.update': '修改账户',
  'auditAction.session.revoke': '吊销会话',
  'auditAction.audit.read': '查看审计日志',
};

const auditOutcomesZh: Record<`auditOutcome.${AuditRecord['outcome']}`, string> = {
  'auditOutcome.ok': '成功',
  'auditOutcome.denied': '拒绝',
  'auditOutcome.failed': '失败',
};

const sessionKindsZh: Record<`sessionKind.${SessionInfo['kind']}`, string> = {
  'sessionKind.browser': '浏览器',
  'sessionKind.wall': '大屏',
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
  'header.stale': '数据未更新',
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

  'details.reporterContact': '联系方式',
  'incidentActions.title': '处置状态',
  'incidentActions.setLabel': '将状态改为“{status}”',
  'incidentActions.reopen': '重新打开',
  'incidentActions.busy': '正在保存…',

  'nav.label': '页面导航',
  'nav.admin': '系统管理',
  'nav.account': '我的账户',
  'nav.backToMap': '返回地图',
  'me.label': '当前登录：{name}（{role}）',

  'common.loading': '加载中…',
  'common.all': '全部',
  'common.refresh': '刷新',
  'common.you': '本人',
  'common.none': '—',

  'admin.title': '系统管理',
  'admin.sections': '管理功能',
  'admin.tab.audit': '审计日志',
  'admin.tab.users': '用户账户',
  'admin.tab.sessions': '在线会话',
  'admin.forbidden': '只有管理员可以使用此页面',

  'audit.filters': '筛选审计日志',
  'audit.filter.action': '操作',
  'audit.filter.actor': '操作人',
  'audit.filter.actorPlaceholder': '用户名',
  'audit.filter.outcome': '结果',
  'audit.filter.since': '起始时间',
  'audit.filter.until': '截止时间',
  'audit.filter.clear': '清除筛选',
  'audit.col.time': '时间',
  'audit.col.actor': '操作人',
  'audit.col.role': '角色',
  'audit.col.action': '操作',
  'audit.col.target': '对象',
  'audit.col.outcome': '结果',
  'audit.col.ip': 'IP 地址',
  'audit.col.detail': '详细信息',
  'audit.anonymous': '（未登录）',
  'audit.count': '已显示 {n} 条',
  'audit.more': '加载更早的记录',
  'audit.end': '没有更早的记录了',
  'audit.empty': '没有符合条件的审计记录',

  'users.col.username': '用户名',
  'users.col.displayName': '显示名',
  'users.col.role': '角色',
  'users.col.created': '创建时间',
  'users.col.lastSignIn': '最近登录',
  'users.col.sessions': '在线会话',
  'users.col.status': '状态',
  'users.col.actions': '操作',
  'users.active': '正常',
  'users.disabled': '已停用',
  'users.disable': '停用',
  'users.enable': '启用',
  'users.never': '从未登录',
  'users.selfHint': '不能停用自己的账户',
  'users.deviceHint': '终端账户用 npm run device:issue 管理',
  'users.empty': '还没有账户',
  'users.create.title': '新建账户',
  'users.create.username': '用户名',
  'users.create.usernameHint': '小写字母、数字及 . _ -，3–32 位',
  'users.create.displayName': '显示名',
  'users.create.role': '角色',
  'users.create.password': '初始密码',
  'users.create.passwordHint': '至少 10 个字符',
  'users.create.submit': '创建账户',
  'users.create.busy': '正在创建…',
  'users.create.done': '已创建账户 {username}',

  'sessions.filter.kind': '会话类型',
  'sessions.col.user': '用户',
  'sessions.col.kind': '类型',
  'sessions.col.created': '登录时间',
  'sessions.col.lastSeen': '最近活动',
  'sessions.col.expires': '到期时间',
  'sessions.col.ip': 'IP 地址',
  'sessions.col.userAgent': '客户端',
  'sessions.col.actions': '操作',
  'sessions.revoke': '吊销',
  'sessions.revoking': '正在吊销…',
  'sessions.current': '本会话',
  'sessions.currentHint': '要结束本会话，请退出登录',
  'sessions.empty': '没有在线会话',
  'sessions.wallNote': '大屏会话长期有效。大屏丢失或更换时，请在此吊销其会话，该屏幕的实时地图将在数秒内断开。',

  'account.title': '我的账户',
  'account.who': '账户信息',
  'account.username': '用户名',
  'account.displayName': '显示名',
  'account.role': '角色',
  'account.sessionKind': '本会话类型',
  'account.sessions': '我的在线会话',
  'account.sessionsNote': '在其他设备上登录的会话可以在此吊销。',
} as const satisfies Record<string, string>;

export type MessageKey =
  | keyof typeof zh
  | keyof typeof forceTypesZh
  | keyof typeof unitStatusesZh
  | keyof typeof categoriesZh
  | keyof typeof incidentStatusesZh
  | keyof typeof severitiesZh
  | keyof typeof keyLocationsZh
  | keyof typeof alertKindsZh
  | keyof typeof rolesZh
  | keyof typeof auditActionsZh
  | keyof typeof auditOutcomesZh
  | keyof typeof sessionKindsZh;

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
  ...rolesZh,
  ...auditActionsZh,
  ...auditOutcomesZh,
  ...sessionKindsZh,
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
  'header.stale': 'stale',
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

  'details.reporterContact': 'Contact',
  'incidentActions.title': 'Update status',
  'incidentActions.setLabel': 'Set status to “{status}”',
  'incidentActions.reopen': 'Reopen',
  'incidentActions.busy': 'Saving…',

  'nav.label': 'Pages',
  'nav.admin': 'Admin',
  'nav.account': 'Account',
  'nav.backToMap': 'Back to map',
  'me.label': 'Signed in as {name} ({role})',

  'common.loading': 'Loading…',
  'common.all': 'All',
  'common.refresh': 'Refresh',
  'common.you': 'you',
  'common.none': '—',

  'admin.title': 'Administration',
  'admin.sections': 'Admin sections',
  'admin.tab.audit': 'Audit log',
  'admin.tab.users': 'Users',
  'admin.tab.sessions': 'Sessions',
  'admin.forbidden': 'Only administrators may use this page',

  'audit.filters': 'Filter the audit log',
  'audit.filter.action': 'Action',
  'audit.filter.actor': 'Actor',
  'audit.filter.actorPlaceholder': 'username',
  'audit.filter.outcome': 'Outcome',
  'audit.filter.since': 'From',
  'audit.filter.until': 'Until',
  'audit.filter.clear': 'Clear filters',
  'audit.col.time': 'Time',
  'audit.col.actor': 'Actor',
  'audit.col.role': 'Role',
  'audit.col.action': 'Action',
  'audit.col.target': 'Target',
  'audit.col.outcome': 'Outcome',
  'audit.col.ip': 'IP address',
  'audit.col.detail': 'Detail',
  'audit.anonymous': '(not signed in)',
  'audit.count': '{n} shown',
  'audit.more': 'Load older records',
  'audit.end': 'No older records',
  'audit.empty': 'No audit records match',

  'users.col.username': 'Username',
  'users.col.displayName': 'Display name',
  'users.col.role': 'Role',
  'users.col.created': 'Created',
  'users.col.lastSignIn': 'Last sign-in',
  'users.col.sessions': 'Live sessions',
  'users.col.status': 'Status',
  'users.col.actions': 'Actions',
  'users.active': 'Active',
  'users.disabled': 'Disabled',
  'users.disable': 'Disable',
  'users.enable': 'Enable',
  'users.never': 'Never',
  'users.selfHint': 'You cannot disable your own account',
  'users.deviceHint': 'Managed with npm run device:issue',
  'users.empty': 'No accounts yet',
  'users.create.title': 'New account',
  'users.create.username': 'Username',
  'users.create.usernameHint': 'lower-case letters, digits and . _ -, 3–32 characters',
  'users.create.displayName': 'Display name',
  'users.create.role': 'Role',
  'users.create.password': 'Initial password',
  'users.create.passwordHint': 'at least 10 characters',
  'users.create.submit': 'Create account',
  'users.create.busy': 'Creating…',
  'users.create.done': 'Account {username} created',

  'sessions.filter.kind': 'Session kind',
  'sessions.col.user': 'User',
  'sessions.col.kind': 'Kind',
  'sessions.col.created': 'Signed in',
  'sessions.col.lastSeen': 'Last seen',
  'sessions.col.expires': 'Expires',
  'sessions.col.ip': 'IP address',
  'sessions.col.userAgent': 'Client',
  'sessions.col.actions': 'Actions',
  'sessions.revoke': 'Revoke',
  'sessions.revoking': 'Revoking…',
  'sessions.current': 'This session',
  'sessions.currentHint': 'Sign out to end this session',
  'sessions.empty': 'No live sessions',
  'sessions.wallNote':
    'Wall sessions are long-lived. When a screen is lost or replaced, revoke its session here: its live map drops within seconds.',

  'account.title': 'My account',
  'account.who': 'Who you are',
  'account.username': 'Username',
  'account.displayName': 'Display name',
  'account.role': 'Role',
  'account.sessionKind': 'This session',
  'account.sessions': 'My live sessions',
  'account.sessionsNote': 'Sessions signed in on other devices can be revoked here.',

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

  'role.admin': 'Admin',
  'role.coordinator': 'Coordinator',
  'role.viewer': 'Viewer',
  'role.wall': 'Wall display',
  'role.device': 'Field device',

  'auditAction.login': 'Sign in',
  'auditAction.logout': 'Sign out',
  'auditAction.http.denied': 'Access denied',
  'auditAction.incident.create': 'Create incident',
  'auditAction.incident.update': 'Update incident',
  'auditAction.incident.read_detail': 'Read incident detail',
  'auditAction.incidents.read_detail': 'Read incident details (list)',
  'auditAction.user.create': 'Create account',
  'auditAction.user.update': 'Change account',
  'auditAction.session.revoke': 'Revoke session',
  'auditAction.audit.read': 'Read audit log',

  'auditOutcome.ok': 'OK',
  'auditOutcome.denied': 'Denied',
  'auditOutcome.failed': 'Failed',

  'sessionKind.browser': 'Browser',
  'sessionKind.wall': 'Wall display',
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
