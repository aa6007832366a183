#!/usr/bin/env bash
# Back up Bouwplaats: the PostgreSQL database (pg_dump, custom format) and the media folder
# (tar). Usage, as a user that may read both, with the production environment:
#   set -a; . /etc/bouwplaats/bouwplaats.env; set +a
#   deploy/backup.sh /var/backups/bouwplaats
# Writes bouwplaats-<UTC time>.dump and media-<UTC time>.tar.gz and prints their paths.
# With media on S3-compatible storage the bucket is backed up by the storage itself
# (versioning, replication or `mc mirror`), not here. Restore with deploy/restore.sh.
set -euo pipefail
# The dump holds personal data: files 0600 and folders 0700, whatever the caller's umask.
umask 077
dir=${1:?usage: backup.sh DIRECTORY}
: "${DATABASE_URL:?DATABASE_URL must name the PostgreSQL database}"
: "${MEDIA_ROOT:?MEDIA_ROOT must name the media folder}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p -m 0700 "$dir"
dump="$dir/bouwplaats-$stamp.dump"
media="$dir/media-$stamp.tar.gz"
# One consistent snapshot of the whole database; the running site keeps working meanwhile.
pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dump"
# Files are written once under random names and never changed, so files added while the
# dump runs are at most extra, never half a file that a restored row points to.
tar -C "$MEDIA_ROOT" -czf "$media" .
echo "$dump"
echo "$media"
