# SPDX-License-Identifier: MIT
# Weight load: GB/s per strategy beside the limits measured in the same run,
# a panel per page-cache state (the words of tables: warm, cold), a bar per
# run and device. Each panel's table is a block with a header line: rows
# "category value...", a column per series in the order of T, C and V.
# Variables: datafile, outbase, term, scriptdir, nkeys, T, C, V, device,
# ntables, tables.
canvas_h = 900
load scriptdir.'/common.gp'
# The legend below the panels: its rows, a line each, three entries a row.
keyrows = (nkeys + 2) / 3
bottom = (100.0 + 18 * keyrows) / canvas_h
set multiplot layout ntables,1 margins 0.08,0.98,bottom,0.92 spacing 0.14 \
	title 'LLM weight load into device BOs, against the limits of the same run'.on_device noenhanced
set datafile columnheaders
set ylabel 'GB/s (log scale)'
set logscale y 10
set format y '%g'
set style data histograms
set style histogram clustered gap 1
set boxwidth 0.9
set xtics rotate by -15 left noenhanced nomirror
set key off
do for [i=1:ntables] {
	set title word(tables, i).' page cache'
	if (i == ntables) {
		set key at screen 0.5,0.01 center bottom horizontal maxcols 3
		plot for [k=1:nkeys] datafile index i-1 using k+1:xtic(1) lt C[k] \
			fs pattern variant_fill(V[k]) border -1 notitle, \
		     for [k=1:nkeys] keyentry with boxes lt C[k] fs pattern variant_fill(V[k]) \
			border -1 title T[k]
	} else {
		plot for [k=1:nkeys] datafile index i-1 using k+1:xtic(1) lt C[k] \
			fs pattern variant_fill(V[k]) border -1 notitle
	}
}
unset multiplot
