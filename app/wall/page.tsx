import type { Metadata } from 'next';
import { WallPage } from '@/components/wall/wall-page';
import { parseWallOptions } from '@/components/wall/wall-options';

export const metadata: Metadata = { title: 'GridSight · 指挥大屏 Wall' };

export default async function WallRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  return <WallPage options={parseWallOptions(await searchParams)} />;
}
