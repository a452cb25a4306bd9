import { getLiveIncidents } from '@/db/incidents';
import { parseInput, readJson, searchParams } from '@/lib/api';
import { toResponse } from '@/lib/errors';
import { createIncident } from '@/lib/incidents';
import { getRegistry } from '@/lib/registry';
import { CreateIncidentSchema, ListIncidentsSchema } from './schema';

export const dynamic = 'force-dynamic';

export async function GET(req: Request): Promise<Response> {
  try {
    const { recentHours } = parseInput(ListIncidentsSchema, searchParams(req));
    return Response.json(await getLiveIncidents(getRegistry().db, { recentHours }));
  } catch (err) {
    return toResponse(err);
  }
}

export async function POST(req: Request): Promise<Response> {
  try {
    const input = parseInput(CreateIncidentSchema, await readJson(req));
    const incident = await createIncident(getRegistry(), input);
    return Response.json(incident, { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
