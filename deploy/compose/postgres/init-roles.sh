#!/bin/sh
# Run once by the postgres image, on an empty data directory: the two roles of README's
# "Database roles" and the database the owner owns. The war room grants the runtime role its
# privileges itself, at every start.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password="$DB_OWNER_PASSWORD" -v app_password="$DB_APP_PASSWORD" <<'SQL'
CREATE ROLE warroom_owner LOGIN PASSWORD :'owner_password';
CREATE ROLE warroom_app LOGIN PASSWORD :'app_password';
CREATE DATABASE warroom OWNER warroom_owner;
SQL
