# SPDX-License-Identifier: MIT
# Shared by the accel-cts plot scripts: the output (PNG or SVG, from the
# variables term and outbase that `accel-cts plot` passes; a script may set
# canvas_w and canvas_h first), the look, and the styles of the series.
# A series is a run and a device: C[k] is the linetype of its run, one of ten
# colours that stay apart, V[k] the variant of its device (dash type, fill
# pattern, point type); with a single run, C[k] is the device's colour.
# plot.c's NCOLOURS and NVARIANTS match them.
if (!exists('canvas_w')) canvas_w = 1100
if (!exists('canvas_h')) canvas_h = 720
if (term eq 'svg') {
	set terminal svg size canvas_w,canvas_h dynamic enhanced font 'DejaVu Sans,12' background '#ffffff'
	set output outbase.'.svg'
} else {
	set terminal pngcairo size canvas_w,canvas_h enhanced font 'DejaVu Sans,10' background '#ffffff'
	set output outbase.'.png'
}
set grid lc rgb '#dddddd'
set border lc rgb '#555555'
set key below center horizontal noenhanced nobox reverse Left height 1
set datafile missing '-'
# matplotlib's tab10, then the colours repeat with the next variant.
set linetype 1 lc rgb '#1f77b4'
set linetype 2 lc rgb '#ff7f0e'
set linetype 3 lc rgb '#2ca02c'
set linetype 4 lc rgb '#d62728'
set linetype 5 lc rgb '#9467bd'
set linetype 6 lc rgb '#8c564b'
set linetype 7 lc rgb '#e377c2'
set linetype 8 lc rgb '#7f7f7f'
set linetype 9 lc rgb '#bcbd22'
set linetype 10 lc rgb '#17becf'
set linetype cycle 10
variant_dt(v) = v == 0 ? 1 : v == 1 ? 4 : 5		# solid, dash-dot, dash-dot-dot
variant_fill(v) = v == 0 ? 3 : v == 1 ? 4 : 5		# solid, hatched one way, the other
variant_pt(v) = v == 0 ? 7 : v == 1 ? 5 : 9		# disc, square, triangle
# ", on <device>" in a title when the plot shows one device.
on_device = exists('device') && device ne '' ? ', on '.device : ''
