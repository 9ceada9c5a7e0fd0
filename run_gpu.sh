#!/usr/bin/env bash
set -u
rm -rf /tmp/site; python3 -m pip install -q --no-deps --no-index --target /tmp/site dist/*.whl
export PYTHONPATH=/tmp/site PYTHONUNBUFFERED=1 TESSEL_CACHE_DIR=0
L=$OUT/p; mkdir -p $L
python3 bench/probe/attention_profile.py $L > $L/probe.log 2>&1; cat $L/probe.log
timeout 300 ncu --clock-control none -k regex:attention --section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats --section SchedulerStats --section InstructionStats --section MemoryWorkloadAnalysis python3 bench/probe/attention_profile.py /tmp/p2 > $L/ncu.log 2>&1
grep -E "Duration|Executed Ipc A|Registers Per|Achieved Occupancy|Theoretical Occupancy|Executed Instructions  |Block Limit|Stall|One or More|No Eligible|Warp Cycles Per Issued" $L/ncu.log | head -60
tar czf $OUT/p.tgz -C $OUT p
