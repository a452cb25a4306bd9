// `npm run device:issue -- <team code>`: issue a new secret for a team's device
// (registering one if the team has none) and print it once. Enter it in
// Traccar Client as "Device identifier", or in OwnTracks as the password.
import { openDb } from '../db/client';
import { getTeamDevice, insertDevice, issueDeviceSecret, newDeviceSecret } from '../db/devices';
import { migrate } from '../db/migrate';
import { dbOptions, loadConfig } from '../lib/config';

const code = process.argv[2];
if (!code) {
  console.error('usage: npm run device:issue -- <team code>   (e.g. GW-017, ARM-3)');
  process.exit(2);
}
const config = loadConfig();
const db = await openDb(dbOptions(config));
try {
  await migrate(db);
  const team = await getTeamDevice(db, { teamCode: code });
  if (!team) {
    console.error(`no team with code ${code}`);
    process.exitCode = 1;
  } else {
    let secret: string;
    if (team.deviceId === null) {
      secret = newDeviceSecret();
      await insertDevice(db, { teamId: team.teamId, secret, label: `${code} device` });
    } else {
      secret = await issueDeviceSecret(db, { deviceId: team.deviceId });
    }
    console.log(`device secret for ${code} (shown once; the database keeps only its hash):\n${secret}`);
  }
} finally {
  await db.close();
}
