// 10,000 arbitrary bodies for each sign-in and account route: see tests/helpers/api-properties.ts.
import { describeApiBodies } from '../helpers/api-properties';

describeApiBodies(['POST /api/auth/login', 'POST /api/admin/users', 'PATCH /api/admin/users/[id]']);
