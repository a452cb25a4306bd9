import { getDeviceBySecret } from '@/db/devices';
import { AppError, toResponse } from '@/lib/errors';
import { deviceSecretFromAuthorization } from '@/lib/ingest/credential';
import { importGpx } from '@/lib/ingest/gpx-import';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

/** A day of fixes every second is about 10 MB of GPX. */
const MAX_GPX_BYTES = 16 * 1024 * 1024;

/**
 * POST /api/gpx — a device uploads a GPX 1.0/1.1 track as its own history.
 * Authenticated by the device's secret identifier; the body is the GPX file.
 */
export async function POST(req: Request): Promise<Response> {
  try {
    const credential = deviceSecretFromAuthorization(req.headers.get('authorization'));
    if (!credential) throw new AppError('unauthorized', 'send the device identifier as Authorization: Bearer <identifier>');
    const { db } = getRegistry();
    const device = await getDeviceBySecret(db, { secret: credential });
    if (!device) throw new AppError('unauthorized', 'unknown device credential');
    const declared = Number(req.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > MAX_GPX_BYTES) {
      throw new AppError('payload_too_large', `GPX is ${declared} bytes; the limit is ${MAX_GPX_BYTES}`);
    }
    const xml = await req.text();
    if (Buffer.byteLength(xml) > MAX_GPX_BYTES) throw new AppError('payload_too_large', `GPX exceeds ${MAX_GPX_BYTES} bytes`);
    const result = await importGpx(db, { deviceId: device.id, xml });
    return Response.json(result, { status: 201 });
  } catch (err) {
    return toResponse(err);
  }
}
