#!/bin/sh
# Writes the secrets compose.yaml reads, once: random passwords and keys, readable by you only.
#   sh deploy/compose/make-secrets.sh [directory]      (default: deploy/compose/secrets)
# app.env  the war room's: AUTH_SECRET, WARROOM_SECRET_KEY, DATABASE_URL (runtime role
#          warroom_app), MIGRATION_DATABASE_URL (owner warroom_owner), WARROOM_ADMIN_PASSWORD
# db.env   PostgreSQL's: the superuser's password and the two roles' passwords, which
#          postgres/init-roles.sh creates on the database's first start
# Existing files are kept: the database was initialised with their passwords.
set -eu
dir=${1:-"$(dirname "$0")/secrets"}
mkdir -p "$dir"
chmod 0700 "$dir"
if [ -e "$dir/app.env" ] || [ -e "$dir/db.env" ]; then
  echo "make-secrets: $dir already holds app.env or db.env; kept as they are (delete both to start over, with a new database volume)" >&2
  exit 1
fi
# Hex passwords: nothing to escape inside a URL or SQL.
hex() { od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'; }
b64() { head -c "$1" /dev/urandom | base64 | tr -d '\n'; }
owner_password=$(hex 24)
app_password=$(hex 24)
umask 077
cat > "$dir/db.env" <<DB
POSTGRES_PASSWORD=$(hex 24)
DB_OWNER_PASSWORD=$owner_password
DB_APP_PASSWORD=$app_password
DB
cat > "$dir/app.env" <<APP
AUTH_SECRET=$(b64 32)
WARROOM_SECRET_KEY=$(b64 32)
DATABASE_URL=postgresql://warroom_app:$app_password@db:5432/warroom
MIGRATION_DATABASE_URL=postgresql://warroom_owner:$owner_password@db:5432/warroom
WARROOM_ADMIN_PASSWORD=$(hex 12)
APP
echo "make-secrets: wrote $dir/app.env and $dir/db.env (the first administrator's password is WARROOM_ADMIN_PASSWORD in app.env)"
