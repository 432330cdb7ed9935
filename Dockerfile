# One image for the API, the workers and the web app (see docker-compose.yml).
FROM node:24-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json .npmrc ./
COPY stubs ./stubs
COPY apps ./apps
COPY packages ./packages
COPY prisma ./prisma
COPY test/package.json ./test/package.json
COPY bench/package.json ./bench/package.json
COPY tools/package.json ./tools/package.json
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run db:generate && npm run build
