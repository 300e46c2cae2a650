# gnuplot script behind scripts/plot. Called with datadir, outdir and scripts (this folder) set.
# Every per-entity plot goes through plot-panel.gp: bars up to a handful of entities, a ranking past it;
# PlotData.swift decides, aggregates and picks the colours (a fixed palette keyed by category).
load datadir.'/vars.gp'
panel = scripts.'/plot-panel.gp'
font = 'DejaVu Sans,10'
set terminal pngcairo size 1100,560 enhanced font font
set datafile separator whitespace
set datafile missing 'NaN'
set border 3
set tics nomirror
set key noautotitle

# 1. Goodput and host cycles (root + hypervisor) per packet, per flow: two panels.
if (n_flows > 0) {
  set output outdir.'/throughput.png'
  if (flows_have_cycles) {
    set multiplot layout 1,2 title sprintf('%s: goodput and host cycles per packet, per flow', scenario) noenhanced
    call panel 'flow_goodput'
    call panel 'flow_cycles'
    unset multiplot
  } else {
    set multiplot layout 1,1 title sprintf('%s: goodput per flow', scenario) noenhanced
    call panel 'flow_goodput'
    unset multiplot
  }
}

# 2. By adapter type (synthetic vs emulated): goodput, host cycles per packet (root + hypervisor, stacked),
#    host CPU in cores and VM exits per packet, one panel each (their scales differ by orders of magnitude).
if (n_adapter_types > 0) {
  set output outdir.'/adapter_types.png'
  set terminal pngcairo size 1000,720 enhanced font font
  set multiplot layout 2,2 title sprintf('%s: throughput and host work by adapter type', scenario) noenhanced
  set style fill solid 0.8 border -1
  set boxwidth 0.6
  set grid ytics noxtics lc rgb '#dddddd'
  set xtics norotate noenhanced
  set xrange [-0.6:n_adapter_types-0.4]
  set yrange [0:*]
  set xlabel 'adapter type'
  unset key
  set style data histograms
  set style histogram clustered gap 1
  set title 'goodput'
  set ylabel 'goodput (Mb/s)'
  plot datadir.'/adapter_types.dat' skip 1 using 2:xtic(1) lc rgb '#4477aa'
  if (types_have_host_cycles) {
    set title 'host cycles per packet'
    set ylabel 'host cycles per packet (cycles)'
    set style histogram rowstacked
    set key default; set key outside right top vertical noautotitle
    plot datadir.'/adapter_types.dat' skip 1 using 3:xtic(1) title 'root' lc rgb '#ee6677', \
         '' skip 1 using 4 title 'hypervisor' lc rgb '#ccbb44'
    unset key
    set style histogram clustered gap 1
    set title 'host CPU (root + hypervisor)'
    set ylabel 'host CPU (cores)'
    plot datadir.'/adapter_types.dat' skip 1 using 5:xtic(1) lc rgb '#228833'
  }
  if (types_have_exits) {
    set title 'VM exits per packet'
    set ylabel 'VM exits per packet (exits)'
    plot datadir.'/adapter_types.dat' skip 1 using 6:xtic(1) lc rgb '#aa3377'
  }
  unset multiplot
  unset xlabel; unset ylabel; unset title
  set style data lines
  set terminal pngcairo size 1100,560 enhanced font font
}

# 3. CPU by component: a bar each, in the component's own colour, largest first; the heading says which domains
#    the bars sum (components report every domain: root + hypervisor + guest).
if (components_n > 0) {
  set output outdir.'/cpu_components.png'
  set terminal pngcairo size 900,560 enhanced font font
  set multiplot layout 1,1 title sprintf('%s: %s, %s in all', scenario, components_heading, components_total) noenhanced
  call panel 'components'
  unset multiplot
  set terminal pngcairo size 1100,560 enhanced font font
}

# 4. CPU by core: the host's cores and the VMs' vCPUs, a panel each.
if (cores_host_n + cores_vcpu_n > 0) {
  set output outdir.'/cpu_cores.png'
  set multiplot layout 1,(cores_host_n > 0 && cores_vcpu_n > 0 ? 2 : 1) title sprintf('%s: utilization by core', scenario) noenhanced
  if (cores_host_n > 0) { call panel 'cores_host' }
  if (cores_vcpu_n > 0) { call panel 'cores_vcpu' }
  unset multiplot
}

# 5. Latency CDFs: every flow's up to a handful; past that, the lowest, median and highest p99's beside
#    every flow's p99, ranked.
if (n_latency > 0) {
  set output outdir.'/latency_cdf.png'
  many = (n_latency_entities > n_latency)
  set multiplot layout 1,(many ? 2 : 1) title sprintf('%s: latency distribution', scenario) noenhanced
  set title (many ? sprintf('CDF of 3 of %d flows', n_latency_entities) : 'CDF per flow')
  set style data lines
  set xlabel 'latency (µs)'
  set ylabel 'fraction of packets ≤ latency'
  set logscale x
  set format x '%g'
  set xrange [*:*]
  set yrange [0:1]
  set xtics norotate autofreq
  set ytics autofreq
  set grid xtics ytics lc rgb '#dddddd'
  set key default; set key top left noenhanced opaque noautotitle
  plot for [i=0:n_latency-1] datadir.'/latency_cdf.dat' index i using 1:2 skip 1 with steps lw 2 \
       lc rgb word(latency_colours, i+1) title value(sprintf('latency_title_%d', i+1))
  unset logscale x; unset xlabel; unset ylabel; unset grid; unset key
  if (many) { call panel 'latency_p99' }
  unset multiplot
}

# 6. Time series, one plot per quantity (a NIC's transmit and receive together): a line per entity up to a
#    handful; past that, the spread across them (minimum–maximum and interquartile bands, the median as a line).
#    Every series starts at time 0, the warm-up included: a grey band and a dashed line at series_warmup_end mark
#    where the measured window begins ("warm-up | measured"), so the transient shows and a warm-up can be chosen.
do for [si=1:series_n] {
  k = sprintf('%d', si)
  n = value('series_'.k.'_columns')
  agg = value('series_'.k.'_aggregated')
  parts = value('series_'.k.'_parts')
  note = value('series_'.k.'_note')
  set output outdir.'/series_'.value('series_'.k.'_key').'.png'
  set title sprintf('%s: %s', scenario, value('series_'.k.'_title')) . (note eq '' ? '' : "\n".note) noenhanced
  set style data lines
  set xlabel series_time_label
  set xrange [*:*]
  set format x '%g'
  set ylabel value('series_'.k.'_label') noenhanced
  set yrange [0:*]
  set xtics norotate autofreq
  set ytics autofreq
  set grid xtics ytics lc rgb '#dddddd'
  set key default; set key outside right noenhanced noautotitle
  # One line (the host's): the title names it, so no key.
  if (n == 2 && !agg) { unset key }
  if (series_warmup) {
    set object 1 rect from graph 0, graph 0 to first series_warmup_end, graph 1 behind fillcolor rgb '#e8e8e8' fillstyle solid 1.0 noborder
    set arrow 1 from first series_warmup_end, graph 0 to first series_warmup_end, graph 1 nohead front lc rgb '#555555' lw 1.5 dt 2
    # Above the plot area, clear of the lines: "warm-up | measured", the line between the two words.
    set label 1 'warm-up' at first series_warmup_end, graph 1 right offset -0.6,0.8 front textcolor rgb '#555555' noenhanced
    set label 2 'measured' at first series_warmup_end, graph 1 left offset 0.6,0.8 front textcolor rgb '#555555' noenhanced
    set arrow 2 from first series_warmup_end, graph 1 to first series_warmup_end, graph 1.045 nohead front lc rgb '#555555' lw 1.5 dt 2
  }
  # The title one row higher than usual, so that "warm-up | measured" has a row of its own above the plot area.
  note_lines = value('series_'.k.'_note_lines')
  set tmargin 4 + note_lines
  set title offset 0,1
  set offsets 0, 0, graph 0.05, 0
  f = datadir.'/series_'.value('series_'.k.'_key').'.dat'
  if (agg && parts == 1) {
    set style fill solid 1.0 noborder
    plot f using 1:2:6 with filledcurves lc rgb '#c6dbef' title 'minimum–maximum', \
         '' using 1:3:5 with filledcurves lc rgb '#6baed6' title 'p25–p75', \
         '' using 1:4 lw 2 lc rgb '#08519c' title 'median'
  } else {
    if (agg) {
      # Several quantities (transmit, receive): per quantity its minimum–maximum band, translucent, and its median.
      set style fill transparent solid 0.25 noborder
      plot for [j=1:parts] f using 1:(column(5*j-3)):(column(5*j+1)) with filledcurves lc rgb word(line_colours, j) \
             title value(sprintf('series_%s_part_title_%d', k, j)).' minimum–maximum', \
           for [j=1:parts] f using 1:(column(5*j-1)) lw 2 lc rgb word(line_colours, j) \
             title value(sprintf('series_%s_part_title_%d', k, j)).' median'
    } else {
      # Transmit solid, receive dashed (series_N_dashes): where the two coincide both still show.
      dashes = value('series_'.k.'_dashes')
      plot for [i=2:n] f using 1:i title value(sprintf('series_%s_title_%d', k, i)) \
           lw (parts > 1 && int(word(dashes, i-1)) == 1 ? 2.5 : 1.5) dt int(word(dashes, i-1)) lc rgb word(line_colours, i-1)
    }
  }
  unset object 1; unset arrow 1; unset arrow 2; unset label 1; unset label 2; set tmargin -1
  set title offset 0,0; set offsets 0, 0, 0, 0
  unset key; unset grid
}
