import { z } from 'zod';
import { parseInput, readJson } from '@/lib/api';
import { CLIENT_ADDRESS_HEADER, secureClient, sessionCookie } from '@/lib/auth/sessions';
import { signIn } from '@/lib/auth/sign-in';
import { toResponse } from '@/lib/errors';
import { getRegistry } from '@/lib/registry';

export const dynamic = 'force-dynamic';

const LoginSchema = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  /** A wall display asks for a long-lived (revocable) session. */
  wall: z.boolean().optional(),
});

/** POST /api/auth/login — limits, password check, audit and session start are lib/auth/sign-in.ts; this sets the cookie. */
export async function POST(req: Request): Promise<Response> {
  try {
    const attempt = parseInput(LoginSchema, await readJson(req, 4096));
    const { user, session } = await signIn(getRegistry(), {
      ...attempt,
      ip: req.headers.get(CLIENT_ADDRESS_HEADER),
      userAgent: req.headers.get('user-agent'),
    });
    const cookie = sessionCookie(session.token, { maxAgeSeconds: session.maxAgeSeconds, secure: secureClient(req.headers) });
    return Response.json({ user }, { headers: { 'set-cookie': cookie } });
  } catch (err) {
    return toResponse(err);
  }
}
