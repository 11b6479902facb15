# imkit server image: the built bundle and the server, no dev mode.
FROM node:20-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN node scripts/build.mjs
ENV IMKIT_LOG=1
EXPOSE 8080
CMD ["node", "dist/server/cli.js", "--host", "0.0.0.0", "--port", "8080", "--data", "/data", "--media", "/media"]
