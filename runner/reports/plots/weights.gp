# SPDX-License-Identifier: MIT
# Weight load: GB/s per strategy, warm and cold, beside the limits measured
# in the same run. Rows "category value...", one column per run, device and
# page-cache state. Variables: datafile, outbase, term, ncols, scriptdir.
load scriptdir.'/common.gp'
set title 'LLM weight load into device BOs, against the limits of the same run'
set ylabel 'GB/s (10^9 bytes per second, log scale)'
set logscale y 10
set format y '%g'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -25 left noenhanced
set bmargin 9
plot for [i=2:ncols] datafile using i:xtic(1) title columnheader(i)
