# SPDX-License-Identifier: MIT
# A figure across kernels: rows "run value...", one column per measurement.
# Variables: datafile, outbase, term, ncols, ylabel_text, title_text, scriptdir.
load scriptdir.'/common.gp'
set title title_text
set ylabel ylabel_text
set xtics rotate by -25 left noenhanced
set bmargin 9
set yrange [0:*]
plot for [i=2:ncols] datafile using 0:i:xtic(1) with linespoints lw 2 pt 7 title columnheader(i)
