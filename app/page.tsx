import { LiveMap } from '@/components/live-map';

export default function LiveMapPage() {
  return <LiveMap />;
}
