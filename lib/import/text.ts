// Text decoding for imported files. Chinese offices save CSV and DBF in GBK
// (Excel and ArcGIS on a Chinese Windows) as often as in UTF-8, and rarely
// say which: UTF-8 is tried strictly first, because GBK would accept almost
// any byte sequence and hide a wrong guess.

const UTF8_BOM = [0xef, 0xbb, 0xbf];

export const hasUtf8Bom = (bytes: Uint8Array): boolean => UTF8_BOM.every((b, i) => bytes[i] === b);

/** True when the bytes are valid UTF-8 (plain ASCII is). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    // fatal: true throws exactly when the bytes are not UTF-8
    return false;
  }
}

/** The canonical name of an encoding label ('UTF8' → 'utf-8', 'GB2312' → 'gbk'), or null if this runtime cannot decode it. */
export function encodingName(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    // TextDecoder throws a RangeError for a label it does not know
    return null;
  }
}

/** Windows and ESRI code page numbers as written in .cpg files ('936', 'ANSI 1252', 'CP65001'). */
const CODE_PAGES: Record<string, string> = {
  '65001': 'utf-8',
  '936': 'gbk',
  '54936': 'gb18030',
  '950': 'big5',
  '1252': 'windows-1252',
  '28591': 'iso-8859-1',
  '1250': 'windows-1250',
  '1251': 'windows-1251',
  '932': 'shift_jis',
  '949': 'euc-kr',
};

/** Reads a .cpg's content (an encoding label or a code page number): the canonical encoding name, or null if unknown. */
export function encodingFromCpg(cpg: string): string | null {
  const label = cpg.replace(/^\uFEFF/, '').trim();
  if (!label) return null;
  const direct = encodingName(label);
  if (direct) return direct;
  const page = /(\d+)/.exec(label)?.[1];
  return page && CODE_PAGES[page] ? encodingName(CODE_PAGES[page]) : null;
}

/** 'utf-16le' / 'utf-16be' when the bytes start with that byte-order mark (Excel's "Unicode text" is UTF-16LE), else null. */
export function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return null;
}

/** Decodes a text file: a BOM or valid UTF-8 says what it is, otherwise GBK. `guessed` says the fallback was taken. */
export function decodeText(bytes: Uint8Array): { text: string; encoding: string; guessed: boolean } {
  const utf16 = utf16Bom(bytes);
  if (utf16) return { text: new TextDecoder(utf16).decode(bytes.subarray(2)), encoding: utf16, guessed: false };
  if (hasUtf8Bom(bytes)) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', guessed: false };
  if (isUtf8(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8', guessed: false };
  return { text: new TextDecoder('gbk').decode(bytes), encoding: 'gbk', guessed: true };
}

/**
 * Zip entry names from Chinese Windows are GBK without the zip's UTF-8 flag;
 * fflate hands those over byte for byte as Latin-1 characters. This turns
 * them back into bytes and decodes them properly.
 */
export function zipEntryName(name: string): string {
  if (![...name].every((c) => c.charCodeAt(0) < 256)) return name;
  const bytes = Uint8Array.from(name, (c) => c.charCodeAt(0));
  if (isUtf8(bytes)) return new TextDecoder('utf-8').decode(bytes);
  // A flagged UTF-8 name that happens to be all Latin-1 ('café') is not GBK either.
  const gbk = new TextDecoder('gbk').decode(bytes);
  return gbk.includes('\uFFFD') ? name : gbk;
}
