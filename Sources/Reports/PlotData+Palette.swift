import Models

extension PlotData {
    /// The fixed colours of the plots, keyed by category, so that a category has the same colour in every plot
    /// of every run, whatever else the run reports: a component (`vsp`, `vswitch`…), an adapter type, a kind of
    /// core, a domain of host time. Colour-blind-safe where it can be (Paul Tol's "muted" and "vibrant" sets);
    /// every component the model declares (`CostStage.table`) has its own colour (a test checks it).
    public static let palette: [String: String] = [
        // Components (CostStage's `component`), in the model's declaration order.
        "guest_stack": "#0077bb", "checksum": "#88ccee", "vsc": "#44aa99", "ring_copy": "#117733",
        "signal": "#999933", "interrupt_injection": "#ddcc77", "vsp": "#cc6677", "vswitch": "#882255",
        "nic_driver": "#aa4499", "emulated_register_access": "#ee7733", "device_model": "#cc3311",
        "emulated_interrupt_injection": "#ee3377", "worker_process": "#332288", "host_stack": "#bbbbbb",
        "vmm_host_switch": "#009988", "hub": "#ddaa33", "dhcp_server": "#bb5566", "nic_interrupt": "#66ccee",
        "vf_driver": "#997700", "vf_interrupt": "#994455",
        // Adapter types.
        "synthetic": "#4477aa", "emulated": "#ee6677",
        // Kinds of core.
        "host core": "#228833", "vCPU": "#ccbb44",
        // Domains of host time, and the flow quantities.
        "root": "#ee6677", "hypervisor": "#ccbb44", "goodput": "#4477aa", "host_cycles": "#ee6677",
        "host_cpu": "#228833", "vm_exits": "#aa3377", "latency": "#4477aa",
    ]

    /// The colour of a category not in `palette` (an adapter type or component added later): a neutral grey,
    /// never one that already means something.
    public static let otherColour = "#666666"

    /// Line colours for a few entities of no fixed category (the flows of a latency plot, the lines of a
    /// time series), in order; past its length the plot aggregates instead (`maxLines`).
    public static let lineColours = ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb", "#000000"]

    /// `category`'s colour, `#rrggbb`.
    public static func colour(_ category: String) -> String { palette[category] ?? otherColour }

    /// `#rrggbb` as the integer gnuplot's `lc rgb variable` reads from a data column.
    static func rgbValue(_ colour: String) -> Int { Int(colour.dropFirst(), radix: 16) ?? 0 }
}
