# SPDX-License-Identifier: MIT
# A figure per run: rows "run value...", the runs in the order given along x
# (their labels as tics), a line per measurement and device (ncols columns,
# named in H); a run without the figures keeps its place.
# Variables: datafile, outbase, term, scriptdir, nrows, ncols, H, ylabel_text,
# title_text.
load scriptdir.'/common.gp'
set datafile columnheaders
set title title_text
set ylabel ylabel_text
set xlabel 'runs, in the order given'
set xtics rotate by -30 left noenhanced nomirror
set xrange [-0.5:nrows-0.5]
set yrange [0:*]
set key maxcols 3
plot for [i=1:ncols] datafile using 0:i+1:xtic(1) with linespoints lw 2 pt 7 title H[i]
