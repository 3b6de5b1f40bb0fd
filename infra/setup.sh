#!/usr/bin/env bash
# Makes PostgreSQL and Redis available to Verity, then creates its role and databases.
#
# Order of preference, for each service:
#   1. the URL in DATABASE_OWNER_URL / REDIS_URL already answers: use it, change nothing;
#   2. Debian/Ubuntu as root: install with apt when missing, start without systemd;
#   3. a running Docker engine: docker compose -f infra/docker-compose.yml up;
#   4. otherwise stop with one message saying what to install.
# Then the two PostgreSQL roles (docs/adr/0080): the owner of the schema (DATABASE_OWNER_URL, runs
# the migrations) and the runtime role the API and worker connect as (DATABASE_URL), which owns
# nothing, cannot bypass row-level security and cannot create databases.
# Idempotent: it never drops anything, and a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
say() { [ "$quiet" = 1 ] || echo "setup: $*"; }
die() {
  echo "setup: $*" >&2
  exit 1
}

services() { node_modules/.bin/tsx infra/scripts/services.ts "$@"; }

[ -x node_modules/.bin/tsx ] || die "npm packages are missing: run 'npm ci' first."

# Validates the configuration (one line naming the variable on error) and loads its values.
env_lines=$(services env) || exit 78
eval "$env_lines"

is_local() { [ "$1" = "127.0.0.1" ] || [ "$1" = "localhost" ] || [ "$1" = "::1" ]; }
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }
can_docker() { command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; }
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    say "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
wait_for() { # wait_for <what> <command...>
  local what=$1
  shift
  for _ in $(seq 1 60); do
    "$@" && return 0
    sleep 0.5
  done
  die "$what did not come up within 30 s."
}

docker_up() {
  say "starting $1 with docker compose"
  docker compose -f infra/docker-compose.yml up -d "$1" >/dev/null
}

# ---------------------------------------------------------------- PostgreSQL
pg_running_locally() { command -v pg_lsclusters >/dev/null 2>&1 && pg_lsclusters -h 2>/dev/null | awk -v p="$PG_PORT" '$3 == p && $4 ~ /^online/' | grep -q .; }
pg_accepts() { command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h "$PG_HOST" -p "$PG_PORT"; }

ensure_local_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
  fi
  local version
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    say "creating PostgreSQL $version cluster 'main' on port $PG_PORT"
    pg_createcluster --port "$PG_PORT" "$version" main >/dev/null
  fi
  if ! pg_running_locally; then
    say "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  wait_for "PostgreSQL" pg_accepts
  # The owner role owns the databases and runs the migrations; it is no superuser. It may create
  # databases (the tests' and benchmarks' own).
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
    -v role="$PG_USER" -v password="$PG_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS CREATEDB', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SQL
  ensure_runtime_role_as_postgres
  for db in "$PG_DATABASE" "$PG_TEST_DATABASE"; do
    if ! runuser -u postgres -- psql -tA -p "$PG_PORT" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'" | grep -q 1; then
      say "creating database $db"
      runuser -u postgres -- createdb -p "$PG_PORT" -O "$PG_USER" "$db"
    fi
  done
}

# The runtime role, created (or put back to its attributes) by the local superuser.
ensure_runtime_role_as_postgres() {
  [ "$PG_APP_USER" = "$PG_USER" ] && return 0
  runuser -u postgres -- psql -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres \
    -v role="$PG_APP_USER" -v password="$PG_APP_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION', :'role') \gexec
SQL
}

ensure_runtime_role() {
  [ "$PG_APP_USER" = "$PG_USER" ] && return 0 # one URL for both: nothing to create
  services probe-pg "$DATABASE_URL" && return 0
  if is_local "$PG_HOST" && can_apt && id postgres >/dev/null 2>&1; then
    say "creating the runtime role $PG_APP_USER"
    ensure_runtime_role_as_postgres
  else
    services create-role "$DATABASE_OWNER_URL" "$DATABASE_URL" ||
      die "PostgreSQL refuses DATABASE_URL's user $PG_APP_USER, and $PG_USER may not create roles. As a superuser, run: CREATE ROLE $PG_APP_USER LOGIN PASSWORD '…' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;"
  fi
  services probe-pg "$DATABASE_URL" || die "PostgreSQL refuses DATABASE_URL's user $PG_APP_USER (check its password)."
}

if services probe-pg "$DATABASE_OWNER_URL"; then
  say "PostgreSQL answers at $PG_HOST:$PG_PORT"
elif is_local "$PG_HOST" && can_apt; then
  ensure_local_postgres
elif is_local "$PG_HOST" && can_docker; then
  docker_up postgres
  wait_for "PostgreSQL" services probe-pg "$DATABASE_OWNER_URL"
else
  die "PostgreSQL does not answer at DATABASE_OWNER_URL ($PG_HOST:$PG_PORT). Install PostgreSQL 15 or newer (or a Docker engine), or point DATABASE_OWNER_URL and DATABASE_URL at a running server."
fi
services probe-pg "$DATABASE_OWNER_URL" || die "PostgreSQL runs but refuses DATABASE_OWNER_URL's user or database."
services ensure-db "$TEST_DATABASE_URL"
ensure_runtime_role

# --------------------------------------------------------------------- Redis
start_local_redis() {
  mkdir -p /var/lib/verity-redis
  # noeviction and AOF: BullMQ jobs must never be evicted or lost on restart. The AOF alone keeps
  # them (no RDB snapshots: `--save ''`), and it is rewritten past 1 GB only: the timers' delayed
  # jobs churn, and at Redis's defaults a forked snapshot or rewrite took a core every 10 to 20 s
  # while deadlines fell due, making those seconds' timers late (ADR 0194).
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" \
    --dir /var/lib/verity-redis --appendonly yes --maxmemory-policy noeviction \
    --save '' --auto-aof-rewrite-min-size 1gb \
    --logfile /var/lib/verity-redis/redis.log >/dev/null
}

if services probe-redis "$REDIS_URL"; then
  say "Redis answers at $REDIS_HOST:$REDIS_PORT"
elif is_local "$REDIS_HOST" && can_apt; then
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server
  say "starting Redis on port $REDIS_PORT"
  start_local_redis
  wait_for "Redis" services probe-redis "$REDIS_URL"
elif is_local "$REDIS_HOST" && can_docker; then
  docker_up redis
  wait_for "Redis" services probe-redis "$REDIS_URL"
else
  die "Redis does not answer at REDIS_URL ($REDIS_HOST:$REDIS_PORT). Install Redis 7 or newer (or a Docker engine), or point REDIS_URL at a running server."
fi

# ------------------------------------------------------------------ Chromium
# The web app's browser tests drive Debian's chromium (playwright-core with its executablePath: a
# browser download is not possible everywhere); CJK fonts so zh-CN screens render their characters.
has_cjk_fonts() { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }
if [ -x /usr/bin/chromium ] && has_cjk_fonts; then
  say "Chromium present: /usr/bin/chromium"
elif can_apt; then
  apt_install chromium fonts-noto-cjk
else
  say "Chromium missing: install Debian's chromium (/usr/bin/chromium) for the web app's browser tests"
fi

say "ready: PostgreSQL $PG_HOST:$PG_PORT/$PG_DATABASE as $PG_APP_USER, migrated as $PG_USER (tests: $PG_TEST_DATABASE), Redis $REDIS_HOST:$REDIS_PORT"
