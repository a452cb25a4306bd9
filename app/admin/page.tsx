import type { Metadata } from 'next';
import { AdminPage } from '@/components/admin/admin-page';

export const metadata: Metadata = { title: 'GridSight · 系统管理 Admin' };

export default function AdminRoute() {
  return <AdminPage />;
}
