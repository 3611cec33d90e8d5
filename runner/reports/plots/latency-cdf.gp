# SPDX-License-Identifier: MIT
# Latency CDF: one line per driver, kernel and device; blocks of "us fraction".
# Variables: datafile, outbase, term, nblocks, scriptdir.
load scriptdir.'/common.gp'
set title 'NOP job round trip (submit to waiter woken): cumulative distribution'
set xlabel 'latency (µs, log scale)'
set ylabel 'fraction of jobs at or below'
set logscale x
set yrange [0:1]
set format x '%g'
plot for [i=0:nblocks-1] datafile index i using 1:2 with lines lw 2 title columnheader(1)
