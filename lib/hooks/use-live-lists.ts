'use client';
// The lists both map pages derive from the live store, each memoised on the
// part of the store it reads: positions moving do not re-sort the incidents.
import { useMemo } from 'react';
import type { Alert, IncidentView, UnitState } from '../model';
import { countOpenByGrid, isOpenAlert, openSosAlerts, sortAlerts, sortIncidents, type LiveData } from '../live/live-store';

export interface LiveLists {
  units: UnitState[];
  /** Newest first. */
  incidents: IncidentView[];
  /** Newest first. */
  alerts: Alert[];
  /** The alerts that still need attention (isOpenAlert), newest first. */
  openAlerts: Alert[];
  /** Open SOS alerts, newest first. */
  sosAlerts: Alert[];
  /** Open incidents per grid cell. */
  openByGrid: Record<number, number>;
}

export function useLiveLists(data: LiveData): LiveLists {
  const units = useMemo(() => Object.values(data.units), [data.units]);
  const incidents = useMemo(() => sortIncidents(data.incidents), [data.incidents]);
  const alerts = useMemo(() => sortAlerts(data.alerts), [data.alerts]);
  const openAlerts = useMemo(() => alerts.filter(isOpenAlert), [alerts]);
  const sosAlerts = useMemo(() => openSosAlerts(alerts), [alerts]);
  const openByGrid = useMemo(() => countOpenByGrid(incidents), [incidents]);
  return { units, incidents, alerts, openAlerts, sosAlerts, openByGrid };
}
