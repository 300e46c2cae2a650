import Foundation
import Testing

/// `vnetsim run --pcap PORT` accepts what the scenario's `captures` accepts: a `count` group's name or a pattern
/// captures each of its VMs' ports, and a name that misses a group says which group it missed.
@Suite("--pcap with VM groups")
struct PcapGroupTests {
    static let scenario = """
        duration: 2ms
        nics: [{name: pnic0}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms:
          - name: vm
            count: 3
        flows: [{from: vm, to: external, pattern: constant, rate: 10Mbps}]

        """

    func pcapFiles(_ stdout: String) throws -> [String] {
        let dir = stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".pcap") }.sorted()
    }

    @Test func aGroupsNameOrAPatternCapturesEveryVMOfIt() throws {
        let dir = try CLI.temporaryDirectory(prefix: "vnetsim-pcap-group")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("group.yaml")
        try Self.scenario.write(to: file, atomically: true, encoding: .utf8)
        let results = dir.appendingPathComponent("R").path
        let all = ["external_vm1_eth0.pcap", "external_vm2_eth0.pcap", "external_vm3_eth0.pcap"]
        for (ports, expected) in [
            (["vm"], all), (["vm/eth0"], all), (["vm[2-3]"], Array(all.dropFirst())), (["vm1", "external:vm3"], [all[0], all[2]]),
        ] {
            let r = try CLI.run(["run", file.path, "--results", results, "--quiet"] + ports.flatMap { ["--pcap", $0] })
            #expect(r.status == 0 && r.stderr.isEmpty, "\(ports): \(r.stderr)")
            #expect(try pcapFiles(r.stdout) == expected, "\(ports)")
        }
        // A near miss names the group, not its first VM.
        let miss = try CLI.run(["run", file.path, "--results", results, "--pcap", "vms"])
        #expect(miss.status == 64)
        #expect(miss.stderr == "Error: --pcap vms: no VM named 'vms'; did you mean 'vm' (the group vm1, vm2, vm3)?\n", "\(miss.stderr)")
        let member = try CLI.run(["run", file.path, "--results", results, "--pcap", "vm4"])
        #expect(member.status == 64)
        #expect(
            member.stderr
                == "Error: --pcap vm4: no VM named 'vm4'; the group 'vm' is vm1, vm2, vm3 (3 VMs): name one of them, or 'vm' for all\n",
            "\(member.stderr)")
    }
}
