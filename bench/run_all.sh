#!/usr/bin/env bash
# Runs every benchmark (each bench/*.py not starting with "_"), one after the other. Each prints its
# figures beside its target and says MISSED when it misses it. Exits non-zero only when a benchmark
# crashed or ran past its time limit, never for a missed target.
#   bench/run_all.sh                      (python3, or $PYTHON; as root, since cvlc runs via runuser)
#   PYTHON=.venv/bin/python BENCH_TIME_LIMIT_S=300 bench/run_all.sh
# Each script may run BENCH_TIME_LIMIT_S (default 180 s); long_session.py at least 900 s.
set -uo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
limit_s=${BENCH_TIME_LIMIT_S:-180}
crashed=()
for script in bench/[!_]*.py; do
    echo "=== $script"
    script_limit_s=$limit_s
    # long_session.py makes a 50-minute 1080p part (~1 min) and plays it with each real backend: minutes.
    [[ $script == bench/long_session.py ]] && script_limit_s=$((limit_s > 900 ? limit_s : 900))
    if ! timeout --kill-after=10 "$script_limit_s" "$python" "$script"; then
        crashed+=("$script")
    fi
    echo
done
if ((${#crashed[@]})); then
    echo "CRASHED (or over ${limit_s} s): ${crashed[*]}" >&2
    exit 1
fi
