// Invented names for the demo township. None is meant to be a real place:
// syllables are recombined on purpose. Names stay fixed across seeds so a
// demo script ("send a team to Layong") keeps working when geometry changes.
import type { Bilingual, SettlementName } from '../../model/township';

export const TOWNSHIP_NAME: Bilingual = { name: '格曲塘乡', nameEn: 'Gequtang Township' };

/** The urban community (社区) at the town centre: the largest settlement. */
export const COMMUNITY_NAME: SettlementName = {
  code: 'V0',
  name: '格曲社区',
  nameEn: 'Gequ Community',
  stem: '格曲',
  stemEn: 'Gequ',
  population: 7200,
};

/** Seven villages, largest first; with the community they make 20,000 residents. */
export const VILLAGE_NAMES: readonly SettlementName[] = [
  { code: 'V1', name: '拉雍村', nameEn: 'Layong Village', stem: '拉雍', stemEn: 'Layong', population: 2450 },
  { code: 'V2', name: '觉木塘村', nameEn: 'Juemutang Village', stem: '觉木塘', stemEn: 'Juemutang', population: 2100 },
  { code: 'V3', name: '色吉岗村', nameEn: 'Sejigang Village', stem: '色吉岗', stemEn: 'Sejigang', population: 1950 },
  { code: 'V4', name: '洛珠沟村', nameEn: 'Luozhugou Village', stem: '洛珠沟', stemEn: 'Luozhugou', population: 1800 },
  { code: 'V5', name: '桑丹卡村', nameEn: 'Sangdanka Village', stem: '桑丹卡', stemEn: 'Sangdanka', population: 1650 },
  { code: 'V6', name: '央金坝村', nameEn: 'Yangjinba Village', stem: '央金坝', stemEn: 'Yangjinba', population: 1500 },
  { code: 'V7', name: '才让坪村', nameEn: 'Cairangping Village', stem: '才让坪', stemEn: 'Cairangping', population: 1350 },
];

export const RIVER_NAME: Bilingual = { name: '格曲河', nameEn: 'Gequ River' };

/** Mountain masses (relief level 1) and their summits (the innermost level). */
export const MOUNTAIN_NAMES: readonly { mass: Bilingual; peak: Bilingual }[] = [
  { mass: { name: '嘎日冈山', nameEn: 'Garigang Range' }, peak: { name: '嘎日冈峰', nameEn: 'Garigang Peak' } },
  { mass: { name: '拉则雪山', nameEn: 'Laze Snow Mountain' }, peak: { name: '拉则峰', nameEn: 'Laze Peak' } },
  { mass: { name: '措嘎山', nameEn: 'Cuoga Mountain' }, peak: { name: '措嘎峰', nameEn: 'Cuoga Peak' } },
];

/** Town streets: the street grid's three east–west and three north–south streets. */
export const TOWN_STREETS: readonly Bilingual[] = [
  { name: '雪域路', nameEn: 'Xueyu Road' },
  { name: '团结路', nameEn: 'Tuanjie Road' },
  { name: '格曲路', nameEn: 'Gequ Road' },
  { name: '商贸街', nameEn: 'Shangmao Street' },
  { name: '幸福街', nameEn: 'Xingfu Street' },
  { name: '康宁街', nameEn: 'Kangning Street' },
];

/** Chinese ordinal numerals for team names (1..12). */
export const CN_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'] as const;

export function cnNumeral(n: number): string {
  return CN_NUMERALS[n - 1] ?? String(n);
}
