import type { Metadata } from 'next';
import { PlanBoardPage } from '@/components/plans/plan-board-page';

export const metadata: Metadata = { title: 'GridSight · 巡逻计划 Patrol plans' };

export default function PlansRoute() {
  return <PlanBoardPage />;
}
