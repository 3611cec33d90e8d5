# SPDX-License-Identifier: MIT
# Conformance results per run and device: stacked pass, skip, fail, other.
# Rows "device kernel" then the four counts, with a header line of names.
# Variables: datafile, outbase, term, scriptdir.
load scriptdir.'/common.gp'
set title 'Conformance results per kernel and device'
set ylabel 'subtests'
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set xtics rotate by -25 left noenhanced
set bmargin 9
set yrange [0:*]
plot datafile using 2:xtic(1) title columnheader(2) lc rgb '#2e8b57', \
     '' using 3 title columnheader(3) lc rgb '#b0b0b0', \
     '' using 4 title columnheader(4) lc rgb '#d62728', \
     '' using 5 title columnheader(5) lc rgb '#8c564b'
