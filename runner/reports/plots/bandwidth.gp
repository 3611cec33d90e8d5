# SPDX-License-Identifier: MIT
# Bandwidth against transfer size: a panel per path (the words of panels),
# a line per run and device in it, the limit of each record dashed in its
# colour, and the legend in the last cell. Blocks of "bytes GB/s": the
# measurements of panel p, series k at index (p-1)*nkeys+k-1, their limits
# at (npanels+p-1)*nkeys+k-1 (empty blocks where a run lacks a path).
# Variables: datafile, outbase, term, scriptdir, nkeys, T, C, V, device,
# npanels, panels, limits (the limit of each panel).
cells = npanels + 1
cols = cells < 3 ? cells : 3
rows = (cells + cols - 1) / cols
canvas_h = rows > 1 ? 820 : 480
load scriptdir.'/common.gp'
set multiplot layout rows,cols title 'Bandwidth against transfer size (median of the samples)'.on_device \
	noenhanced
set logscale x 2
set format x '2^{%L}'
set logscale y 10
set format y '%g'
set xlabel 'bytes'
set ylabel 'GB/s (log scale)'
set key off
do for [p=1:npanels] {
	set title word(panels, p).' (dashed: '.word(limits, p).')' noenhanced
	plot for [k=1:nkeys] datafile index (p-1)*nkeys+k-1 using 1:2 with linespoints lw 2 \
		lt C[k] dt variant_dt(V[k]) pt variant_pt(V[k]) ps 0.5 notitle, \
	     for [k=1:nkeys] datafile index (npanels+p-1)*nkeys+k-1 using 1:2 with lines lw 1 \
		lt C[k] dt 2 notitle
}
unset title
unset border
unset tics
unset xlabel
unset ylabel
unset grid
unset logscale
set xrange [0:1]
set yrange [0:1]
set key center center vertical noenhanced nobox samplen 6
plot NaN notitle, \
     for [k=1:nkeys] keyentry with linespoints lw 2 lt C[k] dt variant_dt(V[k]) pt variant_pt(V[k]) \
	ps 0.8 title T[k], \
     keyentry with lines lw 1 dt 2 lc rgb '#555555' title 'the limit measured in the run'
unset multiplot
