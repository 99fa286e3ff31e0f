#!/usr/bin/env bash
# Starts and stops the real servers that the storage tests run against, all on 127.0.0.1:
#   scripts/testservers.sh start   MinIO, a private PostgreSQL 15 cluster and FerretDB on it (reuses them when
#                                  they are already running); prints the path of the env file
#   scripts/testservers.sh env     prints the env file:   eval "$(scripts/testservers.sh env)"
#   scripts/testservers.sh stop    stops them and removes their state
#   scripts/testservers.sh stop-one NAME    stops one of them (minio, postgres or ferretdb), keeping its state
#   scripts/testservers.sh start-one NAME   starts it again on the same port with the same data (outage tests)
# State (data, logs, pids, env file) lives in ${SHENBAO_TEST_STATE:-/tmp/shenbao-test-servers}. The minio and
# ferretdb binaries come from `scripts/deps.sh --test` (in ${SHENBAO_CACHE:-~/.cache/shenbao}/bin); PostgreSQL
# is Debian's, run as the postgres user when this script runs as root.
# Then:  go test -count=1 ./storage/...   (the tests read SHENBAO_TEST_MINIO_* and SHENBAO_TEST_MONGO_URI)
set -euo pipefail

STATE=${SHENBAO_TEST_STATE:-/tmp/shenbao-test-servers}
BIN=${SHENBAO_CACHE:-$HOME/.cache/shenbao}/bin
PGBIN=${SHENBAO_PGBIN:-/usr/lib/postgresql/15/bin}
ENVFILE=$STATE/env

log() { printf '[testservers] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

# as_postgres runs a command as the postgres user if we are root (PostgreSQL refuses to run as root).
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# free_port sets PORT to a TCP port nobody listens on or was picked by this run.
PICKED=" "
free_port() {
	local p
	for _ in $(seq 200); do
		p=$((20000 + RANDOM % 30000))
		case $PICKED in *" $p "*) continue ;; esac
		if [ -z "$(ss -Htan "( sport = :$p )")" ]; then
			PICKED="$PICKED$p "
			PORT=$p
			return
		fi
	done
	die "no free port found"
}

# wait_for waits up to $1 seconds until the command after it succeeds.
wait_for() {
	local secs=$1
	shift
	for _ in $(seq $((secs * 5))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# spawn NAME CMD... starts CMD in its own session, logging to $STATE/NAME.log, its pid in $STATE/NAME.pid.
spawn() {
	local name=$1
	shift
	setsid sh -c 'echo $$ >"$1"; shift; exec "$@"' sh "$STATE/$name.pid" "$@" \
		>"$STATE/$name.log" 2>&1 </dev/null &
	wait_for 5 test -s "$STATE/$name.pid" || die "$name did not start; see $STATE/$name.log"
}

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

minio_live() { curl -fsS -o /dev/null "http://$SHENBAO_TEST_MINIO_ENDPOINT/minio/health/live"; }
pg_ready() { "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -U postgres; }
ferretdb_ready() {
	local hostport=${SHENBAO_TEST_MONGO_URI#mongodb://}
	hostport=${hostport%%/*}
	tcp_open "${hostport%:*}" "${hostport#*:}"
}

# running reports whether the servers of an earlier start still answer.
running() {
	[ -f "$ENVFILE" ] || return 1
	# shellcheck disable=SC1090
	. "$ENVFILE"
	PGPORT=$(cat "$STATE/pg.port" 2>/dev/null) || return 1
	alive "$STATE/minio.pid" && alive "$STATE/ferretdb.pid" && pg_ready && minio_live && ferretdb_ready
}

start_minio() {
	[ -x "$BIN/minio" ] || die "$BIN/minio missing: run scripts/deps.sh --test"
	free_port
	SHENBAO_TEST_MINIO_ENDPOINT=127.0.0.1:$PORT
	SHENBAO_TEST_MINIO_ACCESS_KEY=shenbao-test
	SHENBAO_TEST_MINIO_SECRET_KEY=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	run_minio
}

# run_minio starts MinIO on $SHENBAO_TEST_MINIO_ENDPOINT with the credentials set, on $STATE/minio.
run_minio() {
	free_port
	local console=127.0.0.1:$PORT
	mkdir -p "$STATE/minio"
	spawn minio env MINIO_ROOT_USER="$SHENBAO_TEST_MINIO_ACCESS_KEY" \
		MINIO_ROOT_PASSWORD="$SHENBAO_TEST_MINIO_SECRET_KEY" MINIO_UPDATE=off MINIO_BROWSER=off \
		"$BIN/minio" server "$STATE/minio" --address "$SHENBAO_TEST_MINIO_ENDPOINT" \
		--console-address "$console" --quiet
	wait_for 60 minio_live || die "minio does not answer on $SHENBAO_TEST_MINIO_ENDPOINT; see $STATE/minio.log"
	log "minio on $SHENBAO_TEST_MINIO_ENDPOINT"
}

start_postgres() {
	[ -x "$PGBIN/initdb" ] || die "$PGBIN/initdb missing: run scripts/deps.sh --test (package postgresql)"
	free_port
	PGPORT=$PORT
	echo "$PGPORT" >"$STATE/pg.port"
	mkdir -p "$STATE/pg"
	[ "$(id -u)" -eq 0 ] && chown postgres: "$STATE/pg"
	as_postgres "$PGBIN/initdb" -D "$STATE/pg/data" -U postgres --auth=trust --encoding=UTF8 --no-locale \
		>"$STATE/initdb.log" 2>&1 || die "initdb failed; see $STATE/initdb.log"
	run_postgres
	"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres ferretdb
	log "postgres on 127.0.0.1:$PGPORT"
}

# run_postgres starts the cluster in $STATE/pg/data on $PGPORT.
run_postgres() {
	# A throwaway cluster: durability off for speed, sockets only in the state directory.
	as_postgres "$PGBIN/pg_ctl" -D "$STATE/pg/data" -l "$STATE/pg/postgres.log" -w -t 60 start \
		-o "-c listen_addresses=127.0.0.1 -p $PGPORT -c unix_socket_directories=$STATE/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
		>/dev/null || die "postgres did not start; see $STATE/pg/postgres.log"
	wait_for 30 pg_ready || die "postgres does not answer on 127.0.0.1:$PGPORT"
}

start_ferretdb() {
	[ -x "$BIN/ferretdb" ] || die "$BIN/ferretdb missing: run scripts/deps.sh --test"
	free_port
	SHENBAO_TEST_MONGO_URI=mongodb://127.0.0.1:$PORT/
	run_ferretdb
}

# run_ferretdb starts FerretDB on the address of $SHENBAO_TEST_MONGO_URI, on PostgreSQL at $PGPORT.
run_ferretdb() {
	local hostport=${SHENBAO_TEST_MONGO_URI#mongodb://}
	hostport=${hostport%%/*}
	mkdir -p "$STATE/ferretdb"
	spawn ferretdb "$BIN/ferretdb" --listen-addr="$hostport" --handler=postgresql \
		--postgresql-url="postgres://postgres@127.0.0.1:$PGPORT/ferretdb" --telemetry=disable \
		--debug-addr=- --state-dir="$STATE/ferretdb" --log-level=warn
	wait_for 30 ferretdb_ready || die "ferretdb does not answer on $hostport; see $STATE/ferretdb.log"
	log "ferretdb on $hostport"
}

write_env() {
	cat >"$ENVFILE.tmp" <<EOF
export SHENBAO_TEST_MINIO_ENDPOINT=$SHENBAO_TEST_MINIO_ENDPOINT
export SHENBAO_TEST_MINIO_ACCESS_KEY=$SHENBAO_TEST_MINIO_ACCESS_KEY
export SHENBAO_TEST_MINIO_SECRET_KEY=$SHENBAO_TEST_MINIO_SECRET_KEY
export SHENBAO_TEST_MONGO_URI=$SHENBAO_TEST_MONGO_URI
EOF
	mv "$ENVFILE.tmp" "$ENVFILE"
}

# stop_server stops one server (minio, ferretdb or postgres) and leaves its state.
stop_server() {
	local pid
	case $1 in
	minio | ferretdb)
		alive "$STATE/$1.pid" || return 0
		pid=$(cat "$STATE/$1.pid")
		kill "$pid"
		wait_for 10 sh -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
		log "stopped $1"
		;;
	postgres)
		if [ -f "$STATE/pg/data/postmaster.pid" ]; then
			as_postgres "$PGBIN/pg_ctl" -D "$STATE/pg/data" -m fast -w stop >/dev/null && log "stopped postgres"
		fi
		;;
	*) die "no server $1: minio, postgres or ferretdb" ;;
	esac
}

stop() {
	local name
	for name in ferretdb minio postgres; do
		stop_server "$name"
	done
	rm -rf "$STATE"
}

# start_one starts one server stopped by stop-one again, on its port and with its data.
start_one() {
	[ -f "$ENVFILE" ] || die "not started: run $0 start"
	# shellcheck disable=SC1090
	. "$ENVFILE"
	PGPORT=$(cat "$STATE/pg.port")
	case $1 in
	minio)
		alive "$STATE/minio.pid" && return 0
		run_minio
		;;
	ferretdb)
		alive "$STATE/ferretdb.pid" && return 0
		run_ferretdb
		;;
	postgres)
		pg_ready && return 0
		run_postgres
		log "postgres on 127.0.0.1:$PGPORT"
		;;
	*) die "no server $1: minio, postgres or ferretdb" ;;
	esac
}

start() {
	if running; then
		log "already running"
		echo "$ENVFILE"
		return
	fi
	[ -d "$STATE" ] && stop
	mkdir -p "$STATE"
	chmod 755 "$STATE"
	start_minio
	start_postgres
	start_ferretdb
	write_env
	echo "$ENVFILE"
}

case ${1:-} in
start) start ;;
stop) stop ;;
stop-one)
	[ $# -eq 2 ] || die "usage: $0 stop-one minio|postgres|ferretdb"
	stop_server "$2"
	;;
start-one)
	[ $# -eq 2 ] || die "usage: $0 start-one minio|postgres|ferretdb"
	start_one "$2"
	;;
env)
	[ -f "$ENVFILE" ] || die "not started: run $0 start"
	cat "$ENVFILE"
	;;
*) die "usage: $0 start|stop|env|stop-one NAME|start-one NAME" ;;
esac
