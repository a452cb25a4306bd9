// A key location's category as a county spreadsheet writes it (our own word,
// or a Chinese one) → one of KEY_LOCATION_CATEGORIES. Pure.
import { KEY_LOCATION_CATEGORIES, type KeyLocationCategory } from '../model';

/** Words county files use, beside the names the map legend shows (lib/i18n). */
const WORDS: Record<KeyLocationCategory, readonly string[]> = {
  government: ['政府', '政府机关', '镇政府', '乡政府', '村委会', '居委会'],
  police: ['派出所', '警务室', '公安'],
  mediation_centre: ['调解中心', '调解室', '矛盾纠纷调解中心'],
  citizen_centre: ['便民服务中心', '党群服务中心', '群众诉求服务中心'],
  health: ['卫生院', '医院', '诊所', '卫生室'],
  school: ['学校', '小学', '中学', '幼儿园'],
  market: ['市场', '集市', '农贸市场'],
  bus_station: ['车站', '汽车站', '客运站'],
  construction: ['工地', '建筑工地'],
  hotel: ['酒店', '宾馆', '旅馆'],
  rental_housing: ['出租屋', '出租房'],
  tea_house: ['茶馆', '茶楼'],
  entertainment: ['娱乐场所', 'ktv', '网吧'],
  equipment_depot: ['物资库', '应急物资库', '装备库'],
  bridge: ['桥', '桥梁'],
};

const BY_WORD = new Map<string, KeyLocationCategory>(
  KEY_LOCATION_CATEGORIES.flatMap((c) => [[c, c] as const, [c.replace(/_/g, ' '), c] as const, ...WORDS[c].map((w) => [w, c] as const)]),
);

/** The category a file's word stands for, or null when it is none of ours. */
export function mapKeyLocationCategory(word: string | null | undefined): KeyLocationCategory | null {
  if (!word) return null;
  return BY_WORD.get(word.trim().toLowerCase()) ?? null;
}
