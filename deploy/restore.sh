#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and media folder (the
# README's "Restore" gives every step), from /srv/bouwplaats:
#   systemctl stop bouwplaats-web 'bouwplaats-worker@*' 'bouwplaats-*.timer'
#   sudo -u postgres createdb --owner=bouwplaats bouwplaats_restored      # new, empty
#   (DATABASE_URL in /etc/bouwplaats/bouwplaats.env names …/bouwplaats_restored; the old
#   MEDIA_ROOT moved aside and created again, empty)
#   set -a; . /etc/bouwplaats/bouwplaats.env; set +a
#   deploy/restore.sh /var/backups/bouwplaats/bouwplaats-….dump /var/backups/bouwplaats/media-….tar.gz
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py search_rebuild
#   systemctl start bouwplaats-web bouwplaats-worker@1 bouwplaats-worker@2 'bouwplaats-*.timer'
# The restore runs in one transaction: it stops at the first error and leaves nothing behind.
set -euo pipefail
dump=${1:?usage: restore.sh DUMP MEDIA_TAR}
media=${2:?usage: restore.sh DUMP MEDIA_TAR}
: "${DATABASE_URL:?DATABASE_URL must name the new, empty PostgreSQL database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the media folder}"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$dump"
mkdir -p "$MEDIA_ROOT"
tar -C "$MEDIA_ROOT" -xzf "$media"
# The database's name only: DATABASE_URL may hold a password.
echo "restored: $(basename "$dump") into database ${DATABASE_URL##*/}, $(basename "$media") into $MEDIA_ROOT; now migrate and search_rebuild"
