import { resolve } from 'node:path';
import { configFromEnv, startService } from './service';
import { rotateKeyFile } from './witness/keys';

/**
 * `npm run server` — the Candor organisation service (docs/org.md).
 * `npm run server -- rotate-witness-key` — new witness key in the data dir; the old one stays valid for verification.
 */
const env = process.env;
const dataDir = resolve(env.CANDOR_DATA_DIR ?? '.candor-server');

if (process.argv[2] === 'rotate-witness-key') {
  const key = await rotateKeyFile(dataDir);
  console.log(`New witness key ${key.keyId} in ${dataDir}/witness-keys.json; restart the service to use it.`);
  process.exit(0);
}

const admin = env.CANDOR_ADMIN_EMAIL && env.CANDOR_ADMIN_PASSWORD ? { email: env.CANDOR_ADMIN_EMAIL, password: env.CANDOR_ADMIN_PASSWORD } : null;
const running = await startService({
  dataDir,
  databaseUrl: env.DATABASE_URL ?? null,
  host: env.HOST ?? '127.0.0.1',
  port: Number(env.PORT ?? 8787),
  witnessKey: env.CANDOR_WITNESS_KEY ?? null,
  admin,
  config: configFromEnv(env),
});

console.log(`Candor organisation service ${running.service.config.version}`);
console.log(`  console:   ${running.url}/`);
console.log(`  database:  ${env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${dataDir}/pg`}`);
console.log(`  data dir:  ${dataDir}`);
console.log(`  witness:   Ed25519 key ${running.service.witness.active.keyId}`);
if (running.createdAdmin) {
  console.log(`  first start: admin account ${running.createdAdmin.email}` + (running.createdAdmin.generated ? ` with the one-time password ${running.createdAdmin.password} (shown once; create your own accounts in the console)` : ''));
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void running.close().then(() => process.exit(0));
  });
}
