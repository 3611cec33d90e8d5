# SPDX-License-Identifier: MIT
# Shared by the accel-cts plot scripts: the output (PNG or SVG, from the
# variables term and outbase that `accel-cts plot` passes) and the look.
if (term eq 'svg') {
	set terminal svg size 1100,720 dynamic enhanced font 'DejaVu Sans,12' background '#ffffff'
	set output outbase.'.svg'
} else {
	set terminal pngcairo size 1100,720 enhanced font 'DejaVu Sans,10' background '#ffffff'
	set output outbase.'.png'
}
set grid lc rgb '#dddddd'
set border lc rgb '#555555'
set key outside right top vertical noenhanced box lc rgb '#aaaaaa'
set datafile missing '-'
