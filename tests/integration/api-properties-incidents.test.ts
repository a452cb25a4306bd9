// 10,000 arbitrary bodies for each incident and device route: see tests/helpers/api-properties.ts.
import { describeApiBodies } from '../helpers/api-properties';

describeApiBodies(['POST /api/incidents', 'PATCH /api/incidents/[id]', 'POST /ingest/gpx']);
