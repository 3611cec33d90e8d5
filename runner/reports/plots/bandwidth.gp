# SPDX-License-Identifier: MIT
# Bandwidth against transfer size: one line per path, driver and kernel;
# blocks of "bytes GB/s". Limits are dashed.
# Variables: datafile, outbase, term, nblocks, nlimits, scriptdir.
load scriptdir.'/common.gp'
set title 'Bandwidth against transfer size (median of the samples)'
set xlabel 'transfer size (bytes, log_2 scale)'
set logscale x 2
set format x '2^{%L}'
set logscale y 10
set format y '%g'
set ylabel 'GB/s (10^9 bytes per second, log scale)'
set key below left vertical maxrows 6 enhanced width -8
plot for [i=0:nblocks-nlimits-1] datafile index i using 1:2 with linespoints lw 2 pt 7 ps 0.6 \
	title columnheader(1), \
     for [i=nblocks-nlimits:nblocks-1] datafile index i using 1:2 with lines dt 2 lw 1.5 \
	title columnheader(1)
