import type { Metadata } from 'next';
import { AccountPage } from '@/components/account/account-page';

export const metadata: Metadata = { title: 'GridSight · 我的账户 Account' };

export default function AccountRoute() {
  return <AccountPage />;
}
