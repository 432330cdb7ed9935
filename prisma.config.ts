// Configuration for the Prisma CLI. JetLens itself applies migrations through Prisma's
// WebAssembly schema engine (packages/db), but keeps this file and Prisma's folder layout so
// that `prisma migrate deploy` also works wherever the native engine is available.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL },
});
