# One panel of one quantity across entities (PlotData.Panel in Sources/Reports/PlotData+Panels.swift):
# a horizontal bar per entity, named, up to PlotData.maxBars entities; past that, the entities ranked by
# value (one point each, rank 1 = highest) with the spread in the title, so no label ever overlaps.
# Colours are the entities' categories' (PlotData.palette), listed in the key.
#   call scripts.'/plot-panel.gp' 'KEY'      (reads datadir.'/KEY.dat' and the KEY_* variables of vars.gp)
p = ARG1
f = datadir.'/'.p.'.dat'
n = value(p.'_n')
cats = value(p.'_categories')
catcolours = value(p.'_category_colours')
set title value(p.'_title') . (value(p.'_subtitle') eq '' ? '' : "\n" . value(p.'_subtitle')) noenhanced
set key noautotitle
if (value(p.'_legend')) { set key bmargin center horizontal noenhanced; set bmargin 5 } else { unset key; set bmargin -1 }
set border 3
set tics nomirror
set style fill solid 0.85 border -1
if (value(p.'_ranked') == 0) {
  set xlabel value(p.'_axis') noenhanced
  unset ylabel
  set grid xtics noytics lc rgb '#dddddd'
  set xrange [0:*]
  set yrange [n+0.6:0.4]
  set xtics norotate autofreq
  set ytics noenhanced
  set format x '%g'
  plot f skip 1 using (column(3)/2):1:(column(3)/2):(0.38):4:ytic(2) with boxxyerror lc rgb variable, \
       for [i=1:words(cats)] keyentry with boxes lc rgb word(catcolours, i) title word(cats, i)
} else {
  set xlabel value(p.'_rank_label') noenhanced
  set ylabel value(p.'_axis') noenhanced
  set grid ytics noxtics lc rgb '#dddddd'
  set xrange [0:n+1]
  set yrange [0:*]
  set xtics norotate autofreq
  set ytics autofreq
  set format x '%.0f'
  plot f skip 1 using 1:3:4 with linespoints pt 7 ps (n > 200 ? 0.35 : 0.6) lw 1 lc rgb variable, \
       for [i=1:words(cats)] keyentry with points pt 7 lc rgb word(catcolours, i) title word(cats, i)
}
set format x '%g'
unset grid
set bmargin -1
