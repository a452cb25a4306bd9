// The briefing as a server-side PDF (GET /api/briefing/pdf): A4 landscape,
// Chinese as real text in Noto Sans SC embedded from our own node_modules
// (pdfkit subsets it, so the text stays selectable and extractable), charts
// drawn by ECharts' server-side SVG renderer and placed with svg-to-pdfkit; the
// heatmap snapshot of the period on a second page.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as echarts from 'echarts';
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { snapshotAspect, snapshotNotes, snapshotOption } from './briefing-snapshot';
import { bt, codeName, kpiCards } from './i18n/briefing';
import { localName, type Lang } from './i18n/messages';
import { deltaLabel, lastDay, type Briefing } from './model/briefing';

const FONT_DIR = path.join(process.cwd(), 'node_modules', '@expo-google-fonts', 'noto-sans-sc');
const REGULAR = path.join(FONT_DIR, '400Regular', 'NotoSansSC_400Regular.ttf');
const BOLD = path.join(FONT_DIR, '700Bold', 'NotoSansSC_700Bold.ttf');

/** The font files, read once on first use (each PDF embeds only the glyphs it uses). */
let fonts: { regular: Buffer; bold: Buffer } | null = null;
function fontFiles(): { regular: Buffer; bold: Buffer } {
  fonts ??= { regular: readFileSync(REGULAR), bold: readFileSync(BOLD) };
  return fonts;
}

/** A4 landscape in points. */
const PAGE = { width: 841.89, height: 595.28, margin: 36 } as const;
const INK = '#1f2933';
const MUTED = '#52606d';

function chartSvg(option: echarts.EChartsOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: 'NotoSansSC' }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

function categoryChart(b: Briefing, lang: Lang): echarts.EChartsOption {
  const rows = b.current.figures.byCategory;
  const prev = new Map(b.previous.figures.byCategory.map((c) => [c.category, c.count]));
  return {
    grid: { left: 100, right: 16, top: 24, bottom: 20 },
    legend: { top: 0, textStyle: { fontSize: 9 } },
    xAxis: { type: 'value', axisLabel: { fontSize: 8 } },
    yAxis: { type: 'category', inverse: true, data: rows.map((c) => codeName(lang, 'category', c.category)), axisLabel: { fontSize: 9 } },
    series: [
      { name: bt(lang, 'incidents'), type: 'bar', data: rows.map((c) => c.count), itemStyle: { color: '#2f6fb0' } },
      { name: bt(lang, 'previous'), type: 'bar', data: rows.map((c) => prev.get(c.category) ?? 0), itemStyle: { color: '#b8c4ce', decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 3], rotation: 0.8 } } },
    ],
  };
}

function hourOfWeekChart(b: Briefing, lang: Lang): echarts.EChartsOption {
  const cells = b.current.figures.hourOfWeek;
  const max = Math.max(1, ...cells.map((c) => c.count));
  return {
    grid: { left: 28, right: 8, top: 8, bottom: 44 },
    xAxis: { type: 'category', data: Array.from({ length: 24 }, (_, h) => String(h)), axisLabel: { fontSize: 7 }, splitArea: { show: true } },
    yAxis: { type: 'category', inverse: true, data: bt(lang, 'weekdays').split(','), axisLabel: { fontSize: 8 } },
    visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0, itemHeight: 80, itemWidth: 8, textStyle: { fontSize: 7 }, inRange: { color: ['#f5f7fa', '#1f4e8c'] } },
    series: [{ type: 'heatmap', data: cells.map((c) => [c.hour, c.dow - 1, c.count]) }],
  };
}

/** The briefing as PDF bytes. */
export async function renderBriefingPdf(b: Briefing, lang: Lang): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: PAGE.margin, info: { Title: `GridSight ${bt(lang, 'title')}` } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const { regular, bold } = fontFiles();
  doc.registerFont('NotoSansSC', regular);
  doc.registerFont('NotoSansSC-Bold', bold);
  const fontCallback = (_family: string, bold: boolean) => (bold ? 'NotoSansSC-Bold' : 'NotoSansSC');

  const { current, previous, yearAgo } = b;
  const span = (r: { from: string; to: string }) => `${r.from}—${lastDay(r.to)}`;
  const where = b.village ? localName(b.village, lang) : bt(lang, 'allVillages');
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;

  doc.font('NotoSansSC-Bold').fontSize(18).fillColor(INK).text(`GridSight ${bt(lang, 'title')} · ${where}`, left, PAGE.margin);
  doc
    .font('NotoSansSC')
    .fontSize(10)
    .fillColor(MUTED)
    .text(
      `${bt(lang, 'period')}: ${span(current.range)} (${bt(lang, `period.${b.period}`)})   ${bt(lang, 'previous')}: ${span(previous.range)}   ${bt(lang, 'yearAgo')}: ${span(yearAgo.range)}   ${bt(lang, 'township')}: ${b.townshipTz}`,
    );

  // KPI cards: the figure, then its change against each baseline as arrow and sign.
  const kpis = kpiCards(b, lang);
  const cols = 5;
  const cardW = (width - (cols - 1) * 8) / cols;
  const cardH = 52;
  const top = 84;
  kpis.forEach((k, i) => {
    const x = left + (i % cols) * (cardW + 8);
    const y = top + Math.floor(i / cols) * (cardH + 8);
    doc.roundedRect(x, y, cardW, cardH, 4).lineWidth(0.6).strokeColor('#9aa5b1').stroke();
    const fmt = (v: number | null) => (v === null ? '—' : v.toFixed(k.digits));
    const diff = (base: number | null) => deltaLabel(k.value, base, k.digits).text;
    doc.font('NotoSansSC').fontSize(8).fillColor(MUTED).text(k.label, x + 6, y + 5, { width: cardW - 12, lineBreak: false });
    doc.font('NotoSansSC-Bold').fontSize(15).fillColor(INK).text(`${fmt(k.value)}${k.unit ? ` ${k.unit}` : ''}`, x + 6, y + 16, { width: cardW - 12, lineBreak: false });
    doc
      .font('NotoSansSC')
      .fontSize(7)
      .fillColor(MUTED)
      .text(`${bt(lang, 'previous')} ${diff(k.previous)} · ${bt(lang, 'yearAgo')} ${diff(k.yearAgo)}`, x + 6, y + 38, {
        width: cardW - 12,
        lineBreak: false,
      });
  });

  // Charts: incidents by category against the previous period; the week-hour matrix.
  const chartTop = top + 2 * (cardH + 8) + 8;
  const chartH = 230;
  const catW = width * 0.45;
  doc.font('NotoSansSC-Bold').fontSize(10).fillColor(INK).text(bt(lang, 'byCategory'), left, chartTop);
  SVGtoPDF(doc, chartSvg(categoryChart(b, lang), 380, 300), left, chartTop + 14, { width: catW, height: chartH, fontCallback });
  const howX = left + catW + 16;
  doc.font('NotoSansSC-Bold').fontSize(10).fillColor(INK).text(bt(lang, 'hourOfWeek'), howX, chartTop);
  SVGtoPDF(doc, chartSvg(hourOfWeekChart(b, lang), 460, 240), howX, chartTop + 14, { width: width - catW - 16, height: chartH * 0.75, fontCallback });

  // The category figures as text too, for the reader and the text extractor.
  const textTop = chartTop + 14 + chartH * 0.75 + 8;
  doc.font('NotoSansSC').fontSize(8).fillColor(INK);
  const line = (items: string[]) => items.join('   ');
  doc.text(`${bt(lang, 'byCategory')}: ${line(current.figures.byCategory.map((c) => `${codeName(lang, 'category', c.category)} ${c.count}`)) || bt(lang, 'none')}`, howX, textTop, {
    width: width - catW - 16,
  });
  doc.text(`${bt(lang, 'byOutcome')}: ${line(current.figures.byOutcome.map((o) => `${codeName(lang, 'outcome', o.outcome)} ${o.count}`)) || bt(lang, 'none')}`, { width: width - catW - 16 });
  doc.text(`${bt(lang, 'alerts')}: ${line(current.figures.alertsByKind.map((a) => `${codeName(lang, 'alertKind', a.kind)} ${a.count}`)) || bt(lang, 'none')}`, { width: width - catW - 16 });
  const h = current.figures.herbSeason;
  const rate = (x: { incidents: number; days: number }) => (x.days ? (x.incidents / x.days).toFixed(2) : '—');
  doc.text(`${bt(lang, 'herbSeason')}: ${bt(lang, 'inSeason')} ${rate(h.inSeason)} · ${bt(lang, 'offSeason')} ${rate(h.offSeason)}`, { width: width - catW - 16 });

  drawSnapshotPage(doc, b, lang, `${where} · ${span(current.range)}`, fontCallback);

  doc.end();
  return done;
}

/**
 * A page of its own: where the period's disputes concentrated (the heatmap
 * rollup's bins over the cells' outlines, lib/briefing-snapshot.ts), as large
 * as the page allows at the township's own aspect, with its notes as text.
 */
function drawSnapshotPage(
  doc: PDFKit.PDFDocument,
  b: Briefing,
  lang: Lang,
  subtitle: string,
  fontCallback: (family: string, bold: boolean) => string,
): void {
  doc.addPage();
  const left = PAGE.margin;
  const width = PAGE.width - 2 * PAGE.margin;
  doc.font('NotoSansSC-Bold').fontSize(14).fillColor(INK).text(`${bt(lang, 'heatmap')} · ${subtitle}`, left, PAGE.margin);
  const notes = snapshotNotes(b.heatmap, lang, b.village !== null);
  const notesH = 12 * notes.length + 6;
  const top = PAGE.margin + 26;
  const room = { width, height: PAGE.height - PAGE.margin - top - notesH };
  const aspect = snapshotAspect(b.heatmap);
  const w = Math.min(room.width, room.height * aspect);
  const h = w / aspect;
  const x = left + (room.width - w) / 2;
  SVGtoPDF(doc, chartSvg(snapshotOption(b.heatmap, { maxSymbol: 24 }), Math.round(w), Math.round(h)), x, top, { width: w, height: h, fontCallback });
  doc.rect(x, top, w, h).lineWidth(0.6).strokeColor('#9aa5b1').stroke();
  doc.font('NotoSansSC').fontSize(8).fillColor(MUTED);
  notes.forEach((n, i) => doc.text(n, left, top + h + 6 + 12 * i, { width, lineBreak: false }));
}
