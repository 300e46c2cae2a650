import Models
import Testing

@testable import Reports

@Suite struct PlotDataTests {
    @Test func adapterTypesShowHostCyclesPerPacketAndHostCPU() throws {
        // Two synthetic adapters: 1,000 packets at 6,000 root + 1,000 hypervisor cycles, 3,000 packets at 10,000 +
        // 2,000; one emulated adapter. Per type the per-packet figures are total cycles ÷ total packets:
        // synthetic root (6e6 + 30e6) / 4,000 = 9,000, hypervisor (1e6 + 6e6) / 4,000 = 1,750; host CPU cores add up
        // (0.1 + 0.2 = 0.3); goodput sums the flows of the type (1 Gb/s + 0.5 Gb/s = 1,500 Mb/s), each
        // converted from its own unit (the emulated flow's 90 Mb/s is given in Mbps).
        func adapter(_ name: String, packets: Double, root: Double, hyp: Double, cores: Double, exits: Double) -> [Metric] {
            [
                Metric(.adapter, name, "send_packets", packets, "packets"),
                Metric(.adapter, name, "receive_packets", 0, "packets"),
                Metric(.adapter, name, "root_cycles_per_packet", root, "cycles/packet"),
                Metric(.adapter, name, "hypervisor_cycles_per_packet", hyp, "cycles/packet"),
                Metric(.adapter, name, "host_cpu_cores", cores, "cores"),
                Metric(.adapter, name, "vm_exits_per_packet", exits, "exits/packet"),
            ]
        }
        let metrics =
            adapter("a/eth0", packets: 1_000, root: 6_000, hyp: 1_000, cores: 0.1, exits: 1)
            + adapter("b/eth0", packets: 3_000, root: 10_000, hyp: 2_000, cores: 0.2, exits: 0.5)
            + adapter("c/eth0", packets: 500, root: 30_000, hyp: 300, cores: 0.05, exits: 1.3) + [
                Metric(.flow, "fa", "goodput", 1, "Gbps"), Metric(.flow, "fb", "goodput", 0.5, "Gbps"),
                Metric(.flow, "fc", "goodput", 90, "Mbps"), Metric(.flow, "fa", "host_cycles_per_packet", 7_000, "cycles/packet"),
            ]
        let report = RunReport(
            info: RunInfo(scenario: "s", seed: 1, replication: 0, duration: 1, warmup: 0, events: 1, fingerprint: "0"),
            metrics: metrics, latencies: [], series: [],
            conservation: Conservation(created: 0, delivered: 0, droppedByCause: [:], inFlight: 0, inFlightByStage: [:]), notes: [])
        let types = [
            "a/eth0": "synthetic", "b/eth0": "synthetic", "c/eth0": "emulated", "fa": "synthetic", "fb": "synthetic", "fc": "emulated",
        ]
        let files = Dictionary(uniqueKeysWithValues: PlotData.files(report, adapterTypes: types))
        let rows = try #require(files["adapter_types.dat"]).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(
            rows[0] == [
                "adapter_type", "goodput_Mbps", "root_cycles_per_packet", "hypervisor_cycles_per_packet", "host_cpu_cores",
                "vm_exits_per_packet",
            ])
        #expect(rows[1].prefix(5) == ["emulated", "90", "30000", "300", "0.05"])
        #expect(rows[2].prefix(4) == ["synthetic", "1500", "9000", "1750"])
        #expect(abs(Double(rows[2][4])! - 0.3) < 1e-12)
        #expect(Double(rows[2][5]) == 0.625)  // (1,000 × 1 + 3,000 × 0.5) / 4,000
        let flows = try #require(files["flows.dat"])
        #expect(flows.hasPrefix("flow adapter_type goodput_Mbps host_cycles_per_packet\n"))
        #expect(flows.contains("fa synthetic 1000 7000\n"))
        #expect(try #require(files["vars.gp"]).contains("types_have_host_cycles = 1"))
    }

    @Test func cpuBarsSayWhatTheySum() throws {
        // Root cores report cpu_utilization, vCPUs guest_cpu_utilization: every core gets its bar. Components report
        // every domain's cycles (all_cpu_cores): the stacked bar is "all", not the host's.
        let metrics = [
            Metric(.core, "core0", "cpu_utilization", 40, "percent"), Metric(.core, "vm1/vcpu0", "guest_cpu_utilization", 26, "percent"),
            Metric(.component, "vsp", "all_cpu_cores", 0.1, "cores"), Metric(.component, "guest_stack", "all_cpu_cores", 0.2, "cores"),
        ]
        let report = RunReport(
            info: RunInfo(scenario: "s", seed: 1, replication: 0, duration: 1, warmup: 0, events: 1, fingerprint: "0"),
            metrics: metrics, latencies: [], series: [],
            conservation: Conservation(created: 0, delivered: 0, droppedByCause: [:], inFlight: 0, inFlightByStage: [:]), notes: [])
        let files = Dictionary(uniqueKeysWithValues: PlotData.files(report))
        #expect(try #require(files["cpu_cores.dat"]) == "entity value\ncore0 40\nvm1_vcpu0 26\n")
        #expect(try #require(files["cpu_components.dat"]) == "total vsp guest_stack\nall 0.1 0.2\n")
        let vars = try #require(files["vars.gp"])
        #expect(vars.contains("n_cores_label = \"cpu_utilization (percent); vCPUs: guest_cpu_utilization\""), "\(vars)")
        #expect(vars.contains("n_components_label = \"all_cpu_cores (cores)\""), "\(vars)")
    }
}
