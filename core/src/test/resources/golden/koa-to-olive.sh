#!/bin/sh
# Arborist upgrade plan: koa.3 -> olive.4 (stepwise, tutor local)
# Dry run by default: commands are printed, not run. Run them with ARBORIST_EXECUTE=1 sh <this file>.
# Prefer 'arborist run --plan plan.json' which journals progress and resumes after a failure.
set -eu

EXECUTE="${ARBORIST_EXECUTE:-0}"
cfg() { if [ "$EXECUTE" = 1 ]; then tutor config printvalue "$1"; else printf '<%s>' "$1"; fi; }
if [ "$EXECUTE" = 1 ]; then TUTOR_ROOT="$(tutor config printroot)"; else TUTOR_ROOT='<TUTOR_ROOT>'; fi
step() { printf '\n== %s\n' "$1"; }
run() { shown="$1"; shift; printf '+ %s\n' "$shown"; if [ "$EXECUTE" = 1 ]; then "$@"; fi; }
pause() { printf '%s\n' "$1"; if [ "$EXECUTE" = 1 ]; then printf 'Press Enter when done: '; read -r _; fi; }

step '1/32 Prepare: record settings and read release notes [PREPARE, 01-koa-prepare]'
printf '%s\n' '  - Read the release notes of every release on the way: Lilac, Maple, Nutmeg, Olive.'
printf '%s\n' '  - Lilac: lilac.3 was pinned by Tutor 12.1.6 to 12.2.0 but is missing from the release-branches docs page.'
printf '%s\n' '  - Maple: Maple replaced Nginx by Caddy and runs containers unprivileged; the mfe plugin is required for the learning MFE.'
printf '%s\n' '  - Nutmeg: nutmeg.3 was never pinned by Tutor; Tutor 14.2.3 is the last Nutmeg Tutor (nutmeg.2).'
printf '%s\n' '  - Olive: Olive introduced '\''tutor local do'\'' jobs and renamed quickstart to launch.'
printf '%s\n' '  - Check the SMTP settings (SMTP_HOST, SMTP_PORT, SMTP_USE_TLS, SMTP_USE_SSL, SMTP_USERNAME): a mismatch breaks tests and sends you the wrong way.'
printf '%s\n' '  - Check the database settings (RUN_MYSQL, MYSQL_HOST, MYSQL_PORT, RUN_MONGODB, MONGODB_HOST; ACTIVATE_* before Tutor 11): with an external database, every datastore step below is yours to run.'
printf '%s\n' '  - Check the domain names (LMS_HOST, CMS_HOST, ENABLE_HTTPS) and their DNS records.'
printf '%s\n' '  - List the feature switches you turned on or off (FEATURES patches, waffle flags and switches) and re-check them after each hop.'
printf '%s\n' '  - List the installed plugins (tutor plugins list) and find a version of each for every Tutor major on the way.'
printf '%s\n' '  - Free disk space for image builds and backups (a MongoDB restore needs about three times the database size).'
printf '%s\n' '  - Rehearse the whole plan on a staging copy first; keep this to-do list in the change ticket.'
printf '  $ %s\n' 'tutor config printvalue LMS_HOST'
printf '  $ %s\n' 'tutor config printvalue CMS_HOST'
printf '  $ %s\n' 'tutor config printvalue ENABLE_HTTPS'
printf '  $ %s\n' 'tutor config printvalue SMTP_HOST'
printf '  $ %s\n' 'tutor config printvalue SMTP_PORT'
printf '  $ %s\n' 'tutor config printvalue RUN_MYSQL'
printf '  $ %s\n' 'tutor config printvalue MYSQL_HOST'
printf '  $ %s\n' 'tutor config printvalue RUN_MONGODB'
printf '  $ %s\n' 'tutor config printvalue MONGODB_HOST'
printf '  $ %s\n' 'tutor plugins list'
pause 'MANUAL: do the above (commands are suggestions), then continue.'
step '2/32 Back up before the Lilac hop [BACKUP, 02-lilac-backup]'
pause 'BACKUP: save mysql, mongodb, tutor_root (for example with '\''arborist backup'\''); keep until the end.'
step '3/32 Install Tutor 12.2.0 for Lilac [INSTALL, 03-lilac-install]'
run 'pip install tutor==12.2.0 tutor-mfe==12.1.0' pip install tutor==12.2.0 tutor-mfe==12.1.0
step '4/32 Enable the mfe plugin [CONFIGURE, 04-lilac-enable-plugins]'
run 'tutor plugins enable mfe' tutor plugins enable mfe
step '5/32 Regenerate the Tutor environment [CONFIGURE, 05-lilac-config-save]'
run 'tutor config save' tutor config save
step '6/32 Pull the official openedx images [PULL_IMAGES, 06-lilac-pull-images]'
run 'tutor images pull openedx' tutor images pull openedx
step '7/32 Run Tutor'\''s upgrade from Koa [UPGRADE, 07-lilac-upgrade]'
run 'tutor local upgrade --from=koa -I' tutor local upgrade --from=koa -I
step '8/32 Launch Lilac [LAUNCH, 08-lilac-launch]'
run 'tutor local quickstart -I' tutor local quickstart -I
step '9/32 Rebuild the course search index (Elasticsearch 7) [REINDEX, 09-lilac-search-reindex-es7]'
run 'tutor local run cms ./manage.py cms reindex_course --all --setup' tutor local run cms ./manage.py cms reindex_course --all --setup
step '10/32 Check Lilac [CHECK, 10-lilac-check]'
run 'tutor config printvalue OPENEDX_COMMON_VERSION' tutor config printvalue OPENEDX_COMMON_VERSION
run 'tutor local run lms ./manage.py lms check' tutor local run lms ./manage.py lms check
step '11/32 Back up before the Maple hop [BACKUP, 11-maple-backup]'
pause 'BACKUP: save mysql, mongodb, tutor_root (for example with '\''arborist backup'\''); keep until the end.'
step '12/32 Install Tutor 13.3.1 for Maple [INSTALL, 12-maple-install]'
run 'pip install '\''tutor[full]==13.3.1'\''' pip install 'tutor[full]==13.3.1'
step '13/32 Regenerate the Tutor environment [CONFIGURE, 13-maple-config-save]'
run 'tutor config save' tutor config save
step '14/32 Pull the official openedx images [PULL_IMAGES, 14-maple-pull-images]'
run 'tutor images pull openedx' tutor images pull openedx
step '15/32 Run Tutor'\''s upgrade from Lilac [UPGRADE, 15-maple-upgrade]'
run 'tutor local upgrade --from=lilac' tutor local upgrade --from=lilac
step '16/32 Launch Maple [LAUNCH, 16-maple-launch]'
run 'tutor local quickstart -I' tutor local quickstart -I
step '17/32 Check Maple [CHECK, 17-maple-check]'
run 'tutor config printvalue OPENEDX_COMMON_VERSION' tutor config printvalue OPENEDX_COMMON_VERSION
run 'tutor local run lms ./manage.py lms check' tutor local run lms ./manage.py lms check
step '18/32 Back up before the Nutmeg hop [BACKUP, 18-nutmeg-backup]'
pause 'BACKUP: save mysql, mongodb, tutor_root (for example with '\''arborist backup'\''); keep until the end.'
step '19/32 Install Tutor 14.2.3 for Nutmeg [INSTALL, 19-nutmeg-install]'
run 'pip install '\''tutor[full]==14.2.3'\''' pip install 'tutor[full]==14.2.3'
step '20/32 Regenerate the Tutor environment [CONFIGURE, 20-nutmeg-config-save]'
run 'tutor config save' tutor config save
step '21/32 Pull the official openedx images [PULL_IMAGES, 21-nutmeg-pull-images]'
run 'tutor images pull openedx' tutor images pull openedx
step '22/32 Run Tutor'\''s upgrade from Maple [UPGRADE, 22-nutmeg-upgrade]'
run 'tutor local upgrade --from=maple' tutor local upgrade --from=maple
step '23/32 Launch Nutmeg [LAUNCH, 23-nutmeg-launch]'
run 'tutor local quickstart -I' tutor local quickstart -I
step '24/32 Check Nutmeg [CHECK, 24-nutmeg-check]'
run 'tutor config printvalue OPENEDX_COMMON_VERSION' tutor config printvalue OPENEDX_COMMON_VERSION
run 'tutor local run lms ./manage.py lms check' tutor local run lms ./manage.py lms check
step '25/32 Back up before the Olive hop [BACKUP, 25-olive-backup]'
pause 'BACKUP: save mysql, mongodb, tutor_root (for example with '\''arborist backup'\''); keep until the end.'
step '26/32 Install Tutor 15.3.7 for Olive [INSTALL, 26-olive-install]'
run 'pip install '\''tutor[full]==15.3.7'\''' pip install 'tutor[full]==15.3.7'
step '27/32 Regenerate the Tutor environment [CONFIGURE, 27-olive-config-save]'
run 'tutor config save' tutor config save
step '28/32 Build openedx, mfe images [BUILD_IMAGES, 28-olive-build-images]'
run 'tutor images build openedx mfe' tutor images build openedx mfe
step '29/32 Run Tutor'\''s upgrade from Nutmeg [UPGRADE, 29-olive-upgrade]'
run 'tutor local upgrade --from=nutmeg' tutor local upgrade --from=nutmeg
step '30/32 Launch Olive [LAUNCH, 30-olive-launch]'
run 'tutor local launch -I' tutor local launch -I
step '31/32 Check Olive [CHECK, 31-olive-check]'
run 'tutor config printvalue OPENEDX_COMMON_VERSION' tutor config printvalue OPENEDX_COMMON_VERSION
run 'tutor local run lms ./manage.py lms check' tutor local run lms ./manage.py lms check
step '32/32 Confirm no data was lost [VERIFY, 32-olive-verify]'
printf '%s\n' '  - Compare before and after: certificates learners are entitled to (per course and status), course completion rates, persistent grades and passes, enrollments per course and mode (arborist snapshot, then compare).'
printf '%s\n' '  - Open a sample of courses in the LMS and Studio: course content must still render and grade.'
printf '%s\n' '  - Keep the backups (02-lilac-backup, 11-maple-backup, 18-nutmeg-backup, 25-olive-backup) until test and live environments have both passed; then decide what to prune.'
pause 'MANUAL: do the above (commands are suggestions), then continue.'

printf '\nAll 32 steps done.\n'
