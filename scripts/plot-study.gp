# gnuplot script behind scripts/plot-study: one plot of a study's plot-data/plots.tsv. Called with
#   vars      the plot's assignments, written by plot-study from the manifest row and the data file: name, style,
#             plot_title, x_label, y_label, limit (NaN unless slo), limit_text, n_series, n_rows (bars: the most
#             rows of a block), series_title_<i>, x_min, x_max, x_distinct, x_tics_fit (room for a label at every x), set_xtics (a `set xtics (…)`
#             command naming every x value), y_min, y_max (of mean, low and high), label_length (bars: the longest label)
#   datafile  plot-data/<name>.tsv; outfile the PNG; terminal 'pngcairo' or 'png'.
# Colours: the run plots' line colours (PlotData.lineColours, Paul Tol's bright set); past eight series they come
# round again dashed. slo points: green where every SLO held, red where one failed.
load vars
font = 'DejaVu Sans,11'
if (terminal eq 'pngcairo') {
  set terminal pngcairo size 900,560 enhanced font font
} else {
  set terminal png size 900,560 enhanced font font
}
set output outfile
set datafile separator tab
set datafile missing 'NaN'
set border 3
set tics nomirror
set key noautotitle
set title plot_title noenhanced font ',12'
set xlabel x_label noenhanced
set ylabel y_label noenhanced
set grid ytics noxtics lc rgb '#dddddd'

array colours[8] = [0x4477aa, 0xee6677, 0x228833, 0xccbb44, 0x66ccee, 0xaa3377, 0xbbbbbb, 0x000000]
colour(i) = colours[(i - 1) % 8 + 1]
dash(i) = int((i - 1) / 8) + 1
array points[6] = [7, 5, 9, 11, 13, 15]
point(i) = points[(i - 1) % 6 + 1]
pass_colour = 0x228833
fail_colour = 0xcc3311
series_title(i) = value(sprintf('series_title_%d', i))

# The key: inside, top left, for up to three series; below the plot, in columns, past that, and always for slo
# plots (their limit line runs across the top).
if (n_series > 3 || style eq 'slo') {
  # In two columns; the bottom margin grows by its rows, so that the key sits under the x label, not on it.
  key_columns = (style eq 'slo' ? 3 : 2)
  set key at screen 0.5, screen 0.015 center bottom horizontal maxcols key_columns reverse Left noenhanced samplen 2.5 spacing 1.05
  key_entries = n_series + (style eq 'slo' ? 2 : 0)
  set bmargin 4.5 + ceil(1.0 * key_entries / key_columns) * 1.15
} else {
  set key inside top left reverse Left noenhanced opaque samplen 2.5 box lc rgb '#cccccc'
}

# y range: the error bars (and an slo's limit) with a margin; from 0 when the values are positive and 0 is near.
lo = y_min
hi = y_max
if (style eq 'slo') { lo = (limit < lo ? limit : lo); hi = (limit > hi ? limit : hi) }
if (style eq 'bars') { lo = (lo > 0 ? 0 : lo) }
pad = (hi > lo ? 0.08 * (hi - lo) : (hi != 0 ? 0.1 * abs(hi) : 1))
lo = (lo >= 0 && lo < 0.3 * hi ? 0 : lo - pad)
hi = hi + pad
if (y_min == y_min) { set yrange [lo:hi] }

if (style eq 'bars') {
  # A bar per row, at x = its row number (0, 1, …); several blocks side by side within each row's slot. The error
  # bars are vectors with flat heads (yerrorbars would blank a dot at the mean).
  nb = n_series
  w = 0.8 / nb
  offset(i) = (i - (nb + 1) / 2.0) * w
  set xrange [-0.6:n_rows - 0.4]
  set style fill solid 0.85 border -1
  set xtics noenhanced scale 0
  if (label_length > 14 || n_rows * label_length > 100) { set xtics rotate by 30 right }
  if (nb == 1) {
    unset key
    # A variant named as an adapter type has that type's colour in every plot (PlotData.palette); others in order.
    bar_colour(label, i) = (label eq 'synthetic' ? 0x4477aa : label eq 'emulated' ? 0xee6677 : colour(i))
    plot datafile index 0 using 0:2:(w * 0.9):(bar_colour(strcol(1), int($0) + 1)):xtic(1) with boxes lc rgb variable, \
         '' index 0 using 0:3:(0):($4 - $3) with vectors heads size screen 0.008,90 lc rgb '#333333' lw 1.5
  } else {
    plot for [i=1:nb] datafile index (i - 1) using ($0 + offset(i)):2:(w * 0.9) with boxes lc rgb colour(i) \
           title series_title(i), \
         for [i=1:nb] '' index (i - 1) using ($0 + offset(i)):3:(0):($4 - $3) with vectors heads size screen 0.008,90 \
           lc rgb '#333333' lw 1.5, \
         '' index 0 using 0:(0):xtic(1) with points pt 0 ps 0 lc rgb '#ff000000'
  }
} else {
  # errorbars and slo: x is a swept parameter; logarithmic when positive and spanning two decades or more.
  logx = (x_min > 0 && x_max >= 100 * x_min)
  if (logx) {
    set logscale x 10
    f = (x_max / x_min) ** 0.05
    set xrange [x_min / f:x_max * f]
  } else {
    span = x_max - x_min
    m = (span > 0 ? 0.05 * span : (x_min != 0 ? 0.1 * abs(x_min) : 1))
    set xrange [x_min - m:x_max + m]
  }
  set format x '%g'
  # Series that coincide stay apart: each is moved sideways by a little (at most 6 % of the axis in all) and
  # has its own point shape.
  dodge_step = (n_series > 1 ? (0.06 / n_series < 0.012 ? 0.06 / n_series : 0.012) : 0)
  dodge(i) = (i - (n_series + 1) / 2.0) * dodge_step
  shift(x, i) = (logx ? x * (x_max / x_min) ** dodge(i) : x + dodge(i) * (x_max - x_min))
  # Tics at the swept values themselves when there are a few; automatic ones otherwise.
  if (x_distinct <= 12 && x_tics_fit) { eval set_xtics } else { set xtics autofreq }
  set xtics noenhanced
  if (style eq 'errorbars') {
    if (n_series == 1 && series_title(1) eq '') { unset key }
    plot for [i=1:n_series] datafile index (i - 1) using (shift($1, i)):2:3:4 with yerrorlines lw 1.8 pt point(i) ps 0.9 \
         lc rgb colour(i) dt dash(i) title series_title(i)
  } else {
    set arrow 1 from graph 0, first limit to graph 1, first limit nohead front dt 2 lw 2 lc rgb '#555555'
    set label 1 'limit '.limit_text at graph 0.995, first limit right offset 0,0.75 front textcolor rgb '#555555' noenhanced
    plot for [i=1:n_series] datafile index (i - 1) using (shift($1, i)):2 with lines lw 1.8 lc rgb colour(i) dt dash(i) \
           title series_title(i), \
         for [i=1:n_series] '' index (i - 1) using (shift($1, i)):2:3:4 with yerrorbars lw 1.5 ps 0 lc rgb colour(i), \
         for [i=1:n_series] '' index (i - 1) using (shift($1, i)):2:($5 > 0.5 ? pass_colour : fail_colour) with points \
           pt point(i) ps 1.4 lc rgb variable, \
         keyentry with points pt 7 ps 1.4 lc rgb pass_colour title 'every SLO held', \
         keyentry with points pt 7 ps 1.4 lc rgb fail_colour title 'an SLO failed'
  }
}
