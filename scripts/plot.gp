# gnuplot script behind scripts/plot. Called with datadir and outdir set.
load datadir.'/vars.gp'
set terminal pngcairo size 900,540 enhanced font 'DejaVu Sans,10'
set datafile separator whitespace
set datafile missing 'NaN'
set grid ytics lc rgb '#dddddd'
set border 3
set tics nomirror
set key noautotitle

# 1. Throughput and host cycles (root + hypervisor) per packet, per flow.
if (n_flows > 0) {
  set output outdir.'/throughput.png'
  set title sprintf('%s: goodput and host cycles per packet, per flow', scenario) noenhanced
  set style data histograms
  set style histogram clustered gap 1
  set style fill solid 0.8 border -1
  set boxwidth 0.8
  set ylabel 'goodput (Mb/s)'
  set ytics nomirror
  set xtics rotate by -30 noenhanced
  set xrange [-0.6:n_flows-0.4]
  set yrange [0:*]
  set key top right
  if (flows_have_cycles) {
    set y2label 'host cycles per packet (root + hypervisor)'
    set y2tics
    set y2range [0:*]
    plot datadir.'/flows.dat' skip 1 using 3:xtic(1) title 'goodput (Mb/s)' axes x1y1 lc rgb '#4477aa', \
         '' skip 1 using 4 title 'host cycles/packet' axes x1y2 lc rgb '#ee6677'
  } else {
    plot datadir.'/flows.dat' skip 1 using 3:xtic(1) title 'goodput (Mb/s)' lc rgb '#4477aa'
  }
  unset y2tics; unset y2label; unset key
}

# 2. By adapter type (synthetic vs emulated): goodput, host cycles per packet (root + hypervisor, stacked),
#    host CPU in cores and VM exits per packet, one panel each (their scales differ by orders of magnitude).
if (n_adapter_types > 0) {
  set output outdir.'/adapter_types.png'
  set terminal pngcairo size 1000,720 enhanced font 'DejaVu Sans,10'
  set multiplot layout 2,2 title sprintf('%s: throughput and host work by adapter type', scenario) noenhanced
  set style fill solid 0.8 border -1
  set boxwidth 0.6
  set xtics norotate
  set xrange [-0.6:n_adapter_types-0.4]
  set yrange [0:*]
  unset key
  set style data histograms
  set style histogram clustered gap 1
  set title 'goodput (Mb/s)'
  unset ylabel
  plot datadir.'/adapter_types.dat' skip 1 using 2:xtic(1) lc rgb '#4477aa'
  if (types_have_host_cycles) {
    set title 'host cycles per packet'
    set style histogram rowstacked
    set key top right
    plot datadir.'/adapter_types.dat' skip 1 using 3:xtic(1) title 'root' lc rgb '#ee6677', \
         '' skip 1 using 4 title 'hypervisor' lc rgb '#ccbb44'
    unset key
    set style histogram clustered gap 1
    set title 'host CPU (root + hypervisor, cores)'
    plot datadir.'/adapter_types.dat' skip 1 using 5:xtic(1) lc rgb '#228833'
  }
  if (types_have_exits) {
    set title 'VM exits per packet'
    plot datadir.'/adapter_types.dat' skip 1 using 6:xtic(1) lc rgb '#aa3377'
  }
  unset multiplot
  set terminal pngcairo size 900,540 enhanced font 'DejaVu Sans,10'
  unset title
}

# 3. CPU by component, stacked into one bar.
if (n_components > 0) {
  set output outdir.'/cpu_components.png'
  set title sprintf('%s: host CPU by component', scenario) noenhanced
  set style data histograms
  set style histogram rowstacked
  set style fill solid 0.85 border -1
  set boxwidth 0.5
  set ylabel n_components_label noenhanced
  set xtics norotate
  set xrange [-1:1]
  set yrange [0:*]
  set key outside right noenhanced
  plot for [i=2:n_components+1] datadir.'/cpu_components.dat' using i:xtic(1) title columnhead(i)
  unset key
}

# 4. CPU by core.
if (n_cores > 0) {
  set output outdir.'/cpu_cores.png'
  set title sprintf('%s: utilization by core', scenario) noenhanced
  set style data histograms
  set style histogram clustered
  set style fill solid 0.8 border -1
  set ylabel n_cores_label noenhanced
  set xtics rotate by -30 noenhanced
  set xrange [-0.6:n_cores-0.4]
  set yrange [0:*]
  plot datadir.'/cpu_cores.dat' skip 1 using 2:xtic(1) lc rgb '#228833'
}

# 5. Latency CDFs.
if (n_latency > 0) {
  set output outdir.'/latency_cdf.png'
  set title sprintf('%s: latency distribution', scenario) noenhanced
  set style data lines
  set xlabel 'latency (µs)'
  set ylabel 'fraction ≤ x'
  set logscale x
  set format x '%g'
  set xrange [*:*]
  set yrange [0:1]
  set xtics norotate
  set key bottom right noenhanced
  plot for [i=0:n_latency-1] datadir.'/latency_cdf.dat' index i using 1:2 skip 1 with steps lw 2 title word(latency_names, i+1)
  unset logscale x; unset xlabel; unset key
}

# 6. Time series, one plot per metric.
do for [k in series_keys] {
  n = value('series_'.k.'_columns')
  set output outdir.'/series_'.k.'.png'
  set title sprintf('%s: %s', scenario, value('series_'.k.'_label')) noenhanced
  set style data lines
  set xlabel 'simulated time (s)'
  set xrange [*:*]
  set format x '%g'
  set ylabel value('series_'.k.'_label') noenhanced
  set yrange [0:*]
  set xtics norotate
  set key outside right noenhanced
  plot for [i=2:n] datadir.'/series_'.k.'.dat' using 1:i title columnhead(i) lw 1.5
  unset key
}
