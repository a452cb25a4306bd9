import type { Metadata } from 'next';
import { AdminPage } from '@/components/admin/admin-page';

export const metadata: Metadata = { title: 'GridSight · 系统管理 Admin' };

/** `?tab=import` opens the import tab (the empty install's map links there). */
export default async function AdminRoute({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { tab } = await searchParams;
  return <AdminPage initialTab={typeof tab === 'string' ? tab : undefined} />;
}
