# SPDX-License-Identifier: MIT
# Conformance results per run and device: a horizontal bar each, stacked
# pass, skip, fail, other, the first run at the top; rows "run device"
# then the four counts (named in H), under a header line of names.
# Variables: datafile, outbase, term, scriptdir, nrows, H.
canvas_h = 160 + 30 * nrows
canvas_h = canvas_h < 420 ? 420 : canvas_h
load scriptdir.'/common.gp'
set datafile columnheaders
set title 'Conformance results per run and device'
set xlabel 'subtests'
set ytics noenhanced nomirror
set yrange [nrows-0.5:-0.5]
set xrange [0:*]
set grid noytics
# Centred under the plot, which the run labels push right: two columns stay on the canvas.
set key maxcols 2
set style fill solid 0.85 border -1
h = 0.35
plot datafile using (0):0:(0):2:($0-h):($0+h):ytic(1) with boxxyerror lc rgb '#2e8b57' \
	title H[1], \
     '' using (0):0:2:($2+$3):($0-h):($0+h) with boxxyerror lc rgb '#b0b0b0' \
	title H[2], \
     '' using (0):0:($2+$3):($2+$3+$4):($0-h):($0+h) with boxxyerror lc rgb '#d62728' \
	title H[3], \
     '' using (0):0:($2+$3+$4):($2+$3+$4+$5):($0-h):($0+h) with boxxyerror lc rgb '#8c564b' \
	title H[4]
