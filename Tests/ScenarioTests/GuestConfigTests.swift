import Models
import SimCore
import Testing

@testable import Scenario

/// A VM's `generation` and `integration_services` (issue 12, item 10): Hyper-V's defaults, and each adapter the
/// guest cannot have refused with the rule at the adapter's `type` (or the key that makes it impossible).
@Suite struct GuestConfigTests {
    /// An external switch; line 5 is the VM (keys after its name), line 6 its adapters (if any).
    static func vm(_ keys: String, adapters: String? = nil, host: String = "name: t") -> String {
        """
        \(host)
        nics: [{name: pnic0}]
        switches: [{name: external, type: external, nic: pnic0}]
        vms:
          - {name: vm\(keys.isEmpty ? "" : ", " + keys)\(adapters.map { ",\n     adapters: \($0)" } ?? "")}

        """
    }

    func load(_ yaml: String) throws -> SimulationConfig { try ScenarioLoader.load(yaml: yaml, file: "t.yaml").config }

    @Test func defaultsAreGenerationOneWithIntegrationServices() throws {
        // Hyper-V Manager's default generation is 1; the seed guide assumes Integration Services throughout.
        #expect(VMConfig(name: "v").generation == 1 && VMConfig(name: "v").integrationServices)
        let c = try load(Self.vm(""))
        #expect(c.vms[0].generation == 1 && c.vms[0].integrationServices)
        #expect(ScenarioSchema.vmSection.field("generation")?.defaultValue == "1")
        #expect(ScenarioSchema.vmSection.field("integration_services")?.defaultValue == "true")
    }

    @Test func whatEachGuestCanHave() throws {
        // Generation 2 with synthetic adapters; generation 1 without integration services on a legacy adapter.
        let g2 = try load(Self.vm("generation: 2"))
        #expect(g2.vms[0].generation == 2 && g2.vms[0].adapters[0].kind == .synthetic)
        let bare = try load(Self.vm("integration_services: false", adapters: "[{type: emulated}]"))
        #expect(!bare.vms[0].integrationServices && bare.vms[0].adapters[0].kind == .emulated)
        // Both kinds on a generation 1 VM with integration services.
        #expect(try load(Self.vm("generation: 1", adapters: "[{type: emulated}, {type: synthetic}]")).vms[0].adapters.count == 2)
    }

    @Test func aGenerationTwoVMHasNoLegacyAdapter() {
        // Microsoft, "Should I create a generation 1 or 2 virtual machine in Hyper-V?": the legacy network adapter is a
        // generation 1 device.
        expectOneError(
            Self.vm("generation: 2", adapters: "[{type: emulated}]"), 6, 24,
            "a generation 2 VM has no legacy network adapter (Hyper-V offers it on generation 1 only); use type: synthetic or generation: 1"
        )
        // The second adapter of a group of three: one error for the group, at its type.
        expectOneError(
            Self.vm("generation: 2", adapters: "[{type: synthetic}, {type: emulated}]").replacingOccurrences(
                of: "name: vm", with: "name: \"vm[1-3]\""),
            6, 43, "a generation 2 VM has no legacy network adapter")
    }

    @Test func aSyntheticAdapterNeedsIntegrationServices() {
        expectOneError(
            Self.vm("integration_services: false", adapters: "[{type: synthetic}]"), 6, 24,
            "a synthetic adapter needs the guest's Integration Services (their netvsc driver), and this VM has none, so it would "
                + "carry nothing; use type: emulated (the emulated 21140 needs no integration services) or integration_services: true")
        // The default adapter (synthetic) has no `type` written: the error is at the key that rules it out.
        expectOneError(Self.vm("integration_services: false"), 5, 38, "a synthetic adapter needs the guest's Integration Services")
        // Generation 2 without integration services has no adapter it can drive: the fix says so.
        expectOneError(
            Self.vm("generation: 2, integration_services: false", adapters: "[{type: synthetic}]"), 6, 24,
            "a synthetic adapter needs the guest's Integration Services (their netvsc driver), and this VM has none, so it would "
                + "carry nothing; use integration_services: true (a generation 2 VM has no legacy adapter to fall back on)")
    }

    @Test func badValues() {
        expectOneError(Self.vm("generation: 3"), 5, 28, "'generation' is 3, out of range; write a value between 1 and 2")
        expectOneError(Self.vm("integration_services: maybe"), 5, 38, "'integration_services' must be true or false, not 'maybe'")
    }

    @Test func virtualServerHasNeither() throws {
        let vs = "host: {platform: virtual_server}\nnetworks: [{name: lan}]\nvms:\n  - {name: vm, "
        // Its VMs are BIOS machines with emulated devices: generation 1 is what they are, 2 is refused.
        #expect(try load(vs + "generation: 1}\n").vms[0].generation == 1)
        expectOneError(
            vs + "generation: 2}\n", 4, 28,
            "Virtual Server's VMs are BIOS machines with emulated devices only: there is no generation 2; remove 'generation'")
        // Integration Services are Hyper-V's: the Virtual Machine Additions do not change the emulated 21140.
        expectOneError(vs + "integration_services: true}\n", 4, 16, "'integration_services' is Hyper-V's")
    }

    /// The model's own validation, for configurations built in code: the same rules, at the adapter's `kind`.
    @Test func theModelValidatesTheSameRules() {
        var c = SimulationConfig(
            nics: [NICConfig(name: "pnic0")], switches: [SwitchConfig(name: "external", kind: .external(nic: "pnic0"))],
            vms: [VMConfig(name: "vm", adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "external")], generation: 2)])
        #expect(c.validate().map(\.path) == ["vms[0].adapters[0].kind"])
        c.vms[0] = VMConfig(name: "vm", integrationServices: false)
        #expect(c.validate().map(\.path) == ["vms[0].adapters[0].kind"])
        c.vms[0] = VMConfig(name: "vm", generation: 0)
        #expect(c.validate().map(\.path) == ["vms[0].generation"])
        c.host.platform = .virtualServer
        c.switches = [.virtualNetwork(name: "lan")]
        c.vms[0] = VMConfig(name: "vm", vcpus: 1, adapters: [AdapterConfig(name: "eth0", kind: .emulated, switch: "lan")], generation: 2)
        #expect(c.validate().map(\.path) == ["vms[0].generation"])
        // Integration Services are not used on Virtual Server (its adapters are emulated).
        c.vms[0].generation = 1
        c.vms[0].integrationServices = false
        #expect(c.validate().isEmpty)
    }
}
