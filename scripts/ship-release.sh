#!/bin/bash
# Ships a release of the backend application to stage 4 (see modules/warm-standby/README.md, "Delivery path").
#
#   scripts/ship-release.sh DELIVERY_JSON LOCAL_IMAGE TAG
#
# DELIVERY_JSON: a file with `terraform output -json delivery` of stage4-warm-standby.
# LOCAL_IMAGE:   the image the pipeline built (e.g. shop:build-812).
# TAG:           the release tag (immutable in ECR: a tag is shipped once).
# Run it with the delivery role's credentials (output delivery_role_arn). Needs aws, docker, jq.
#
# 1. push LOCAL_IMAGE as TAG to the source repository, wait for its scan (stop on CRITICAL findings);
# 2. wait until every other region's replica has the tag;
# 3. per region, active region first: remember the release pointer, set it to TAG, and roll the backend
#    group with an instance refresh (launch before terminate, ELB health checks, warmup) that the region's
#    backend alarms stop;
# 4. if a region's refresh does not succeed: that region and every region before it get their previous
#    pointer back and a second refresh (without alarm stop, which would fire at once), and the script fails.
set -euo pipefail

POLL_SECONDS=${POLL_SECONDS:-15}
REPLICA_WAIT_SECONDS=${REPLICA_WAIT_SECONDS:-1800}
REFRESH_WAIT_SECONDS=${REFRESH_WAIT_SECONDS:-3600}
WARMUP_SECONDS=${WARMUP_SECONDS:-300}
ALLOW_CRITICAL=${ALLOW_CRITICAL:-0}

log() { printf 'ship-release: %s\n' "$*" >&2; }

if [ $# -ne 3 ]; then
  echo "usage: $0 DELIVERY_JSON LOCAL_IMAGE TAG" >&2
  exit 2
fi
delivery=$1
local_image=$2
tag=$3
if ! [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || [ "$tag" = none ]; then
  log "'$tag' is not a release tag (letters, digits, _ . -, at most 128, not \"none\")"
  exit 2
fi

repository=$(jq -er .repository "$delivery")
source_region=$(jq -er .source_region "$delivery")
count=$(jq -er '.rollout | length' "$delivery")
step() { jq -er --argjson i "$1" ".rollout[\$i].$2" "$delivery"; }
source_image=$(jq -er --arg r "$source_region" '.rollout[] | select(.region == $r) | .image_repository' "$delivery")
registry=${source_image%%/*}

# 1. Push and scan.
aws ecr get-login-password --region "$source_region" | docker login --username AWS --password-stdin "$registry"
docker tag "$local_image" "$source_image:$tag"
docker push "$source_image:$tag"
aws ecr wait image-scan-complete --region "$source_region" --repository-name "$repository" --image-id imageTag="$tag"
critical=$(aws ecr describe-image-scan-findings --region "$source_region" --repository-name "$repository" --image-id imageTag="$tag" \
  --query 'imageScanFindings.findingSeverityCounts.CRITICAL' --output text)
if [[ "$critical" =~ ^[0-9]+$ ]] && [ "$critical" -gt 0 ] && [ "$ALLOW_CRITICAL" != 1 ]; then
  log "$source_image:$tag has $critical CRITICAL findings: not shipped (ALLOW_CRITICAL=1 ships anyway)"
  exit 1
fi

# 2. Replicas.
for ((i = 0; i < count; i++)); do
  region=$(step "$i" region)
  [ "$region" = "$source_region" ] && continue
  deadline=$((SECONDS + REPLICA_WAIT_SECONDS))
  until aws ecr describe-images --region "$region" --repository-name "$repository" --image-ids imageTag="$tag" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the replica of $tag did not reach $region within ${REPLICA_WAIT_SECONDS}s: nothing shipped"
      exit 1
    fi
    sleep "$POLL_SECONDS"
  done
done

# Starts an instance refresh and waits for it: 0 when Successful.
refresh() {
  local region=$1 group=$2 alarms=$3 prefs id status deadline
  prefs=$(jq -cn --argjson alarms "$alarms" --argjson warmup "$WARMUP_SECONDS" \
    '{MinHealthyPercentage: 100, MaxHealthyPercentage: 200, InstanceWarmup: $warmup, SkipMatching: false}
     + (if ($alarms | length) > 0 then {AlarmSpecification: {Alarms: $alarms}} else {} end)')
  id=$(aws autoscaling start-instance-refresh --region "$region" --auto-scaling-group-name "$group" --preferences "$prefs" \
    --query InstanceRefreshId --output text) || return 1
  deadline=$((SECONDS + REFRESH_WAIT_SECONDS))
  while :; do
    status=$(aws autoscaling describe-instance-refreshes --region "$region" --auto-scaling-group-name "$group" \
      --instance-refresh-ids "$id" --query 'InstanceRefreshes[0].Status' --output text) || status=Unknown
    case "$status" in
      Successful) log "$group in $region: refresh $id successful"; return 0 ;;
      Failed | Cancelled | RollbackSuccessful | RollbackFailed) log "$group in $region: refresh $id ended $status"; return 1 ;;
    esac
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$group in $region: refresh $id still $status after ${REFRESH_WAIT_SECONDS}s: cancelling"
      aws autoscaling cancel-instance-refresh --region "$region" --auto-scaling-group-name "$group" >/dev/null || true
      return 1
    fi
    sleep "$POLL_SECONDS"
  done
}

# 3. Roll out, remembering each region's previous release.
previous=()
for ((i = 0; i < count; i++)); do
  region=$(step "$i" region)
  pointer=$(step "$i" release_pointer)
  group=$(step "$i" backend_group)
  alarms=$(jq -ec --argjson i "$i" '.rollout[$i].alarms' "$delivery")
  previous[i]=$(aws ssm get-parameter --region "$region" --name "$pointer" --query Parameter.Value --output text)
  aws ssm put-parameter --region "$region" --name "$pointer" --value "$tag" --overwrite >/dev/null
  log "$region: release pointer $pointer ${previous[i]} -> $tag; rolling $group"
  if refresh "$region" "$group" "$alarms"; then continue; fi

  # 4. Roll back this region and the ones before it.
  for ((j = i; j >= 0; j--)); do
    back_region=$(step "$j" region)
    back_pointer=$(step "$j" release_pointer)
    back_group=$(step "$j" backend_group)
    aws ssm put-parameter --region "$back_region" --name "$back_pointer" --value "${previous[j]}" --overwrite >/dev/null
    log "$back_region: rolling back to ${previous[j]}"
    refresh "$back_region" "$back_group" "[]" || log "$back_region: the rollback refresh did not succeed either: check $back_group now"
  done
  log "$tag was not shipped: rolled back to the previous releases"
  exit 1
done
log "shipped $tag to every region"
