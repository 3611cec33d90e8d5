# SPDX-License-Identifier: MIT
# Latency CDF: a line per run and device; blocks of "µs fraction", one per
# series in the order of T, C and V (common.gp).
# Variables: datafile, outbase, term, scriptdir, nkeys, T, C, V, device.
load scriptdir.'/common.gp'
set title 'NOP job round trip (submit to waiter woken): cumulative distribution'.on_device noenhanced
set xlabel 'latency (µs, log scale)'
set ylabel 'fraction of jobs at or below'
set logscale x
set yrange [0:1]
set format x '%g'
plot for [k=1:nkeys] datafile index k-1 using 1:2 with lines lw 2 lt C[k] dt variant_dt(V[k]) \
	title T[k]
