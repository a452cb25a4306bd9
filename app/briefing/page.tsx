import type { Metadata } from 'next';
import { BriefingPage } from '@/components/briefing/briefing-page';

export const metadata: Metadata = { title: 'GridSight · 领导简报 Briefing' };

export default function BriefingRoute() {
  return <BriefingPage />;
}
