import Foundation
import Models
import Reports
import SimCore
import Testing

/// The DHCP exchanges of a Virtual Server network, as a pcap shows them (issue 10): each VM's port captures its own
/// DORA, and tshark decodes every message, in order, with offered addresses inside the pool.
@Suite(.enabled(if: tsharkAvailable, "tshark is not installed (scripts/setup installs it)"))
struct DHCPCaptureTests {
    @Test func tsharkDecodesTheExchangeOfEveryVMOnTheNetwork() throws {
        // Four VMs on lan, whose server hands out 10.244.0.16 … .40 (lease 1 h): every VM's port shows DISCOVER (1),
        // OFFER (2), REQUEST (3), ACK (5) of its own transaction — its own chaddr — in that order.
        let dhcp = DHCPServerConfig(
            enabled: true, network: 0x0AF4_0000, prefixLength: 24, end: 0x0AF4_0028, gateway: 0x0AF4_0001, dns: [0x0AF4_0002],
            lease: .seconds(3600), renewal: .seconds(1800), rebinding: .seconds(2700))
        let names = ["a", "b", "c", "d"]
        let config = SimulationConfig(
            name: "dhcp-pcap", seed: 2, duration: .milliseconds(5), warmup: .zero,
            host: HostConfig(cores: 6, rootCores: [0], platform: .virtualServer),
            switches: [.virtualNetwork(name: "lan", dhcp: dhcp)],
            vms: names.map { VMConfig(name: $0, vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")]) },
            flows: [], captures: names.map { CapturePort(switch: "lan", endpoint: .vm($0, adapter: "eth0")) })
        let sim = try HostSimulation(config: config)
        let out = try sim.run()
        let dir = temporaryDirectory("dhcp-pcap")
        let w = try ReportWriter.write(
            report: out.report, captures: out.captures, scenario: ScenarioInfo(name: "dhcp-pcap", file: "dhcp.yaml"),
            tool: ToolInfo(version: "0.1.0", gitRevision: "test"),
            to: dir)
        let macs = Dictionary(uniqueKeysWithValues: sim.endpointAddresses.map { ($0.name, $0.mac) })
        for vm in names {
            let pcap = try #require(w.files.first { $0 == "lan_\(vm)_eth0.pcap" }, "\(w.files)")
            let bytes: [UInt8] = try #require(macs["\(vm)/eth0"])
            let mac = bytes.map { b -> String in
                let h = String(b, radix: 16)
                return h.count == 1 ? "0" + h : h
            }.joined(separator: ":")
            guard
                let r = run(
                    "tshark",
                    [
                        "-r", dir.appendingPathComponent(pcap).path, "-Y", "dhcp.hw.mac_addr == \(mac)", "-T", "fields", "-e",
                        "dhcp.option.dhcp", "-e", "dhcp.ip.your",
                    ])
            else { return }
            #expect(r.status == 0 && tsharkProblems(r.err).isEmpty, "tshark: \(r.err)")
            let rows: [[String]] = r.out.split(separator: "\n").map { line in
                line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0) }
            }
            #expect(rows.map { $0[0] } == ["1", "2", "3", "5"], "\(vm): \(r.out)")
            // The OFFER and ACK give one address, inside the pool, at or after network + 16.
            let offered = Set(rows.filter { $0[0] == "2" || $0[0] == "5" }.map { $0.count > 1 ? $0[1] : "" })
            #expect(offered.count == 1)
            if let a = offered.first, let last = a.split(separator: ".").last.flatMap({ Int($0) }) {
                #expect(a.hasPrefix("10.244.0.") && last >= 16 && last <= 40, "\(vm) got \(a)")
            }
        }
        let full = try #require(run("tshark", ["-r", dir.appendingPathComponent("lan_a_eth0.pcap").path, "-V"]))
        #expect(!full.out.contains("Expert Info (Warning") && !full.out.contains("Malformed"))
    }
}
